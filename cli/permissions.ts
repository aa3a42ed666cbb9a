/**
 * Every AWS request each `bastion` command can make, as IAM sees it: the SDK commands it sends and the AWS
 * CLI command lines it spawns (with what the Session Manager plugin does under them), each as the IAM action,
 * resource and request context AWS authorizes (those are built in iam-requests.ts).
 *
 * This table is the contract between the CLI and the policies the stacks write: a test records every SDK
 * command and AWS CLI invocation the commands really make (against mocked AWS) and fails when one is missing
 * here; the authorization simulation (`__tests__/authorization`) evaluates each request against the
 * synthesized identity, key, bucket and endpoint policies.
 */
import type { AwsCliCall, SDK_REQUESTS } from './iam-requests';
import type { Variant } from './variants';

// The request model, re-exported: this module is the contract's one import for the authorization tests.
export {
  AWS_CLI_COMMANDS,
  type AwsCliCall,
  type AwsCliCommand,
  awsCliRequests,
  type DeploymentFacts,
  documentName,
  ebsKeyRequests,
  type IamRequest,
  SDK_REQUESTS,
  type SessionDocumentKind,
  transcriptSessionId,
} from './iam-requests';

/** The CLI commands, as `bastion <command>`. */
export const CLI_COMMANDS = ['connect', 'shell', 'up', 'down', 'status', 'sessions', 'transcript', 'preflight'] as const;
/** One of CLI_COMMANDS. */
export type CliCommand = (typeof CLI_COMMANDS)[number];

/**
 * Who runs a command, and so which policy must allow its requests: the operator (the stack's
 * `operator_policy_arn`), an auditor (read-only), or whoever deploys (their own administrator rights: the
 * project writes no policy for them).
 */
export type CliPrincipal = 'operator' | 'auditor' | 'deployer';

/** Who runs each command, and so whose policy the authorization simulation checks its requests against. */
export const CLI_COMMAND_PRINCIPAL: Readonly<Record<CliCommand, CliPrincipal>> = {
  connect: 'operator',
  shell: 'operator',
  up: 'operator',
  down: 'operator',
  status: 'operator',
  sessions: 'auditor',
  transcript: 'auditor',
  // Runs before the first deploy, so before any operator policy exists: the deployer's own ec2:Describe* rights.
  preflight: 'deployer',
};

/** What each command may send, per variant: SDK command class names and AWS CLI command lines. */
export interface CommandCalls {
  readonly sdk: readonly (keyof typeof SDK_REQUESTS)[];
  readonly awsCli: readonly AwsCliCall[];
}

const FORWARD: AwsCliCall = { command: 'ssm start-session', document: 'port-forwarding' };
const FIND_ECS = ['DescribeServicesCommand', 'ListTasksCommand', 'DescribeTasksCommand', 'DescribeVpcEndpointsCommand'];
const FIND_EC2 = ['DescribeInstancesCommand', 'DescribeInstanceInformationCommand', 'DescribeVpcEndpointsCommand'];
const SESSION_HISTORY = ['DescribeSessionsCommand', 'LookupEventsCommand'];
const READ_TRANSCRIPT = [
  'DescribeSessionsCommand',
  'DescribeLogStreamsCommand',
  'GetLogEventsCommand',
  'GetCallerIdentityCommand',
  'ListObjectsV2Command',
  'HeadObjectCommand',
  'GetObjectCommand',
];
/**
 * What preflight reads of the VPC and the region; the instance type offerings only for the EC2 bastion. The network
 * ACLs and interfaces only when the deploy creates interface endpoints (what they change for the VPC's other
 * workloads); the caller's account for a VPC another account shares; the VPC's DHCP option set (its DNS servers).
 */
const PREFLIGHT = [
  'GetCallerIdentityCommand',
  'DescribeVpcsCommand',
  'DescribeVpcAttributeCommand',
  'DescribeSubnetsCommand',
  'DescribeRouteTablesCommand',
  'DescribeVpcEndpointsCommand',
  'DescribeSecurityGroupsCommand',
  'DescribeAvailabilityZonesCommand',
  'DescribeVpcEndpointServicesCommand',
  'DescribeNetworkAclsCommand',
  'DescribeNetworkInterfacesCommand',
  'DescribeDhcpOptionsCommand',
];

/** The calls of each CLI command and variant (waking a parked bastion included). */
export const CLI_COMMAND_CALLS: Readonly<Record<CliCommand, Readonly<Record<Variant, CommandCalls>>>> = {
  connect: {
    ecs: { sdk: [...FIND_ECS, 'UpdateServiceCommand'], awsCli: [FORWARD] },
    ec2: { sdk: [...FIND_EC2, 'StartInstancesCommand'], awsCli: [FORWARD] },
  },
  shell: {
    ecs: { sdk: [...FIND_ECS, 'UpdateServiceCommand'], awsCli: [{ command: 'ecs execute-command' }] },
    ec2: { sdk: [...FIND_EC2, 'StartInstancesCommand'], awsCli: [{ command: 'ssm start-session', document: 'session-document' }] },
  },
  up: {
    ecs: { sdk: [...FIND_ECS, 'UpdateServiceCommand'], awsCli: [] },
    ec2: { sdk: [...FIND_EC2, 'StartInstancesCommand'], awsCli: [] },
  },
  down: {
    ecs: { sdk: ['DescribeServicesCommand', 'ListTasksCommand', 'DescribeTasksCommand', 'UpdateServiceCommand'], awsCli: [] },
    ec2: { sdk: ['DescribeInstancesCommand', 'StopInstancesCommand'], awsCli: [] },
  },
  status: {
    ecs: { sdk: FIND_ECS, awsCli: [] },
    ec2: { sdk: [...FIND_EC2, 'DescribeDocumentCommand', 'DescribeInstancePatchStatesCommand'], awsCli: [] },
  },
  // `bastion sessions`: the ECS bastion's sessions are recognised by their target alone; the EC2 bastion's by the
  // stack's instances (found by tag) and its session document.
  sessions: {
    ecs: { sdk: SESSION_HISTORY, awsCli: [] },
    ec2: { sdk: ['DescribeInstancesCommand', ...SESSION_HISTORY], awsCli: [] },
  },
  // `bastion transcript <id>`: the variant is the stack the session ran on (its log group and archive prefix).
  transcript: {
    ecs: { sdk: READ_TRANSCRIPT, awsCli: [] },
    ec2: { sdk: READ_TRANSCRIPT, awsCli: [] },
  },
  preflight: {
    ecs: { sdk: PREFLIGHT, awsCli: [] },
    ec2: { sdk: [...PREFLIGHT, 'DescribeInstanceTypeOfferingsCommand'], awsCli: [] },
  },
};
