/**
 * How IAM sees each AWS request of the CLI: the action, resource and request context AWS authorizes for each SDK
 * command it sends, and for each AWS CLI command line it spawns (with what the Session Manager plugin does under
 * it). Which command makes which calls is the table in permissions.ts.
 */
import { type BastionNames, stackNames, TRANSCRIPTS } from '../modules/naming';
import { PORT_FORWARD_DOCUMENT } from './aws-cli';
import { STACK_OF, type Variant } from './variants';

/** One request as IAM evaluates it. */
export interface IamRequest {
  /** The IAM action, e.g. `ecs:DescribeTasks`. */
  readonly action: string;
  /** The resource ARN the action is authorized against (`*` for actions without resource types). */
  readonly resource: string;
  /** Request context keys AWS sets for this request (resource tags, ecs:cluster, kms:ViaService, …). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** Why the request happens, for messages. */
  readonly note?: string;
}

/** The deployment a request is about: where it is and what its resources are called. */
export interface DeploymentFacts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly namePrefix: string;
  readonly names: BastionNames;
  /** ARN of the audit KMS key of the stack. */
  readonly kmsKeyArn: string;
  /** A running bastion task id (ECS) and its container runtime id, as the CLI would find them. */
  readonly taskId: string;
  /** The EC2 bastion's instance id. */
  readonly instanceId: string;
  /** The caller's session-name part of a session id (user name or role session name). */
  readonly sessionOwner: string;
  /** The existing VPC of the configuration (network.vpcId), which `preflight` reads. @default an example id */
  readonly vpcId?: string;
}

const arn = (d: DeploymentFacts, service: string, resource: string, region = d.region, account = d.accountId) =>
  `arn:${d.partition}:${service}:${region}:${account}:${resource}`;

const clusterArn = (d: DeploymentFacts) => arn(d, 'ecs', `cluster/${d.names.ecsCluster}`);
const taskArn = (d: DeploymentFacts) => arn(d, 'ecs', `task/${d.names.ecsCluster}/${d.taskId}`);
const instanceArn = (d: DeploymentFacts) => arn(d, 'ec2', `instance/${d.instanceId}`);
/** A session id: Session Manager starts it with the caller's user name or role session name. */
const sessionArn = (d: DeploymentFacts) => arn(d, 'ssm', `session/${d.sessionOwner}-0a1b2c3d4e5f67890`);
const awsDocumentArn = (d: DeploymentFacts, name: string) => arn(d, 'ssm', `document/${name}`, d.region, '');

/** Tags every resource of a stack carries (provider default tags); EC2 and SSM see them on the instance. */
function ec2BastionTags(d: DeploymentFacts): Record<string, string> {
  return { 'ssm-bastion:stack': 'ec2-bastion', 'ssm-bastion:name-prefix': d.namePrefix };
}

/**
 * A session whose transcript `bastion transcript` reads: ECS Exec sessions are named `ecs-execute-command-…` by
 * ECS, Session Manager sessions `<caller's user or role session name>-…`.
 */
export function transcriptSessionId(d: DeploymentFacts, variant: Variant): string {
  return variant === 'ecs' ? 'ecs-execute-command-0a1b2c3d4e5f67890' : `${d.sessionOwner}-0a1b2c3d4e5f67890`;
}

/** Where the variant's stack keeps transcripts: its log group, archive bucket and key prefix. */
function transcriptPlace(d: DeploymentFacts, variant: Variant) {
  const stack = STACK_OF[variant];
  const names = stackNames(d.namePrefix, d.region, stack);
  const bucket = names.auditBucket(d.accountId);
  const logGroupArn = arn(d, 'logs', `log-group:${names.logGroup(TRANSCRIPTS[stack].logPurpose)}`);
  return { bucketArn: `arn:${d.partition}:s3:::${bucket}`, key: `${TRANSCRIPTS[stack].s3Prefix}${transcriptSessionId(d, variant)}`, logGroupArn };
}

/** S3 refuses requests without TLS 1.2 (the archive's bucket policy); the SDK always sends them over TLS. */
const TLS = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };

/**
 * The IAM requests of each SDK command the CLI sends, by the command's class name. `variant` is the stack the
 * request is about (its log group, archive and key for the auditor's reads); most requests do not depend on it.
 */
export const SDK_REQUESTS: Readonly<Record<string, (d: DeploymentFacts, variant: Variant) => IamRequest[]>> = {
  // ECS (ecs-bastion)
  DescribeServicesCommand: (d) => [
    { action: 'ecs:DescribeServices', resource: arn(d, 'ecs', `service/${d.names.ecsCluster}/${d.names.ecsService}`), context: { 'ecs:cluster': clusterArn(d) } },
  ],
  ListTasksCommand: (d) => [{ action: 'ecs:ListTasks', resource: arn(d, 'ecs', `container-instance/${d.names.ecsCluster}/*`), context: { 'ecs:cluster': clusterArn(d) } }],
  DescribeTasksCommand: (d) => [{ action: 'ecs:DescribeTasks', resource: taskArn(d), context: { 'ecs:cluster': clusterArn(d) } }],
  UpdateServiceCommand: (d) => [
    { action: 'ecs:UpdateService', resource: arn(d, 'ecs', `service/${d.names.ecsCluster}/${d.names.ecsService}`), context: { 'ecs:cluster': clusterArn(d) } },
  ],
  // EC2
  DescribeVpcEndpointsCommand: () => [{ action: 'ec2:DescribeVpcEndpoints', resource: '*' }],
  DescribeInstancesCommand: () => [{ action: 'ec2:DescribeInstances', resource: '*' }],
  StartInstancesCommand: (d) => [
    { action: 'ec2:StartInstances', resource: instanceArn(d), context: tagContext('aws:ResourceTag', ec2BastionTags(d)) },
    // The root volume is encrypted with the audit key: EC2 asks KMS for a grant and a decrypt of the volume's
    // data key with the caller's credentials (forward access session), so the caller needs both via EC2.
    ...ebsKeyRequests(d),
  ],
  StopInstancesCommand: (d) => [{ action: 'ec2:StopInstances', resource: instanceArn(d), context: tagContext('aws:ResourceTag', ec2BastionTags(d)) }],
  // EC2 (preflight): list actions without resource types, except DescribeVpcAttribute, which is authorized
  // against the VPC (Service Authorization Reference).
  DescribeVpcsCommand: () => [{ action: 'ec2:DescribeVpcs', resource: '*' }],
  DescribeVpcAttributeCommand: (d) => [
    { action: 'ec2:DescribeVpcAttribute', resource: arn(d, 'ec2', `vpc/${d.vpcId ?? 'vpc-0123456789abcdef0'}`), note: 'enableDnsSupport and enableDnsHostnames, one call each' },
  ],
  DescribeSubnetsCommand: () => [{ action: 'ec2:DescribeSubnets', resource: '*' }],
  DescribeRouteTablesCommand: () => [{ action: 'ec2:DescribeRouteTables', resource: '*' }],
  DescribeSecurityGroupsCommand: () => [{ action: 'ec2:DescribeSecurityGroups', resource: '*' }],
  DescribeAvailabilityZonesCommand: () => [{ action: 'ec2:DescribeAvailabilityZones', resource: '*' }],
  DescribeInstanceTypeOfferingsCommand: () => [{ action: 'ec2:DescribeInstanceTypeOfferings', resource: '*' }],
  DescribeVpcEndpointServicesCommand: () => [{ action: 'ec2:DescribeVpcEndpointServices', resource: '*' }],
  DescribeNetworkAclsCommand: () => [{ action: 'ec2:DescribeNetworkAcls', resource: '*' }],
  DescribeNetworkInterfacesCommand: () => [{ action: 'ec2:DescribeNetworkInterfaces', resource: '*' }],
  DescribeDhcpOptionsCommand: () => [{ action: 'ec2:DescribeDhcpOptions', resource: '*' }],
  // Systems Manager
  DescribeDocumentCommand: (d) => [{ action: 'ssm:DescribeDocument', resource: arn(d, 'ssm', `document/${d.names.sessionDocument}`) }],
  DescribeInstanceInformationCommand: () => [{ action: 'ssm:DescribeInstanceInformation', resource: '*' }],
  DescribeInstancePatchStatesCommand: (d) => [
    { action: 'ssm:DescribeInstancePatchStates', resource: instanceArn(d), context: tagContext('ssm:resourceTag', ec2BastionTags(d)) },
  ],
  // The auditor's reads (`bastion sessions`, `bastion transcript`)
  DescribeSessionsCommand: () => [{ action: 'ssm:DescribeSessions', resource: '*', note: 'Session Manager history, active and ended' }],
  LookupEventsCommand: () => [{ action: 'cloudtrail:LookupEvents', resource: '*', note: 'StartSession / ExecuteCommand events: who, and a port forward\'s host:port' }],
  // STS answers GetCallerIdentity for any valid credentials, even under an explicit deny: no IAM request.
  GetCallerIdentityCommand: () => [],
  DescribeLogStreamsCommand: (d, variant) => [
    { action: 'logs:DescribeLogStreams', resource: transcriptPlace(d, variant).logGroupArn, note: 'the stream of the session (named after its id)' },
  ],
  GetLogEventsCommand: (d, variant) => [
    {
      action: 'logs:GetLogEvents',
      resource: `${transcriptPlace(d, variant).logGroupArn}:log-stream:${transcriptSessionId(d, variant)}`,
      // CloudWatch Logs decrypts the group with its own permission from the key policy: no kms request of the caller.
      note: 'the transcript in CloudWatch Logs',
    },
  ],
  ListObjectsV2Command: (d, variant) => {
    const place = transcriptPlace(d, variant);
    return [{ action: 's3:ListBucket', resource: place.bucketArn, context: { ...TLS, 's3:prefix': place.key }, note: 'the transcript\'s key in the archive' }];
  },
  HeadObjectCommand: (d, variant) => {
    const place = transcriptPlace(d, variant);
    return [{ action: 's3:GetObject', resource: `${place.bucketArn}/${place.key}.log`, context: TLS, note: 'storage class and encryption of the archived transcript' }];
  },
  GetObjectCommand: (d, variant) => {
    const place = transcriptPlace(d, variant);
    return [
      { action: 's3:GetObject', resource: `${place.bucketArn}/${place.key}.log`, context: TLS, note: 'the archived transcript' },
      {
        action: 'kms:Decrypt',
        resource: d.kmsKeyArn,
        // With the bucket key on, S3 decrypts the bucket's data key and names the bucket in the encryption context.
        context: { 'kms:ViaService': `s3.${d.region}.amazonaws.com`, 'kms:CallerAccount': d.accountId, 'kms:EncryptionContext:aws:s3:arn': place.bucketArn },
        note: 'S3 decrypts the SSE-KMS object with the caller\'s permission on the audit key',
      },
    ];
  },
};

/** What EC2 asks of KMS, as the caller, when it starts an instance whose volume the audit key encrypts. */
export function ebsKeyRequests(d: DeploymentFacts): IamRequest[] {
  const viaEc2 = { 'kms:ViaService': `ec2.${d.region}.amazonaws.com`, 'kms:CallerAccount': d.accountId };
  return [
    { action: 'kms:CreateGrant', resource: d.kmsKeyArn, context: { ...viaEc2, 'kms:GrantIsForAWSResource': 'true' }, note: 'EC2 attaches the encrypted root volume' },
    { action: 'kms:Decrypt', resource: d.kmsKeyArn, context: viaEc2, note: 'EC2 decrypts the data key of the encrypted root volume' },
  ];
}

function tagContext(prefix: string, tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [`${prefix}/${key}`, value]));
}

/** The AWS CLI command lines the CLI spawns, by their first two words (`ssm start-session`). */
export const AWS_CLI_COMMANDS = ['ssm start-session', 'ecs execute-command'] as const;
export type AwsCliCommand = (typeof AWS_CLI_COMMANDS)[number];

/** The documents `ssm start-session` is run with: port forwarding, or the stack's logged session document. */
export type SessionDocumentKind = 'port-forwarding' | 'session-document';

/** One AWS CLI command line the CLI spawns. */
export interface AwsCliCall {
  readonly command: AwsCliCommand;
  /** `--document-name` of `ssm start-session`. */
  readonly document?: SessionDocumentKind;
}

/** The document name a kind stands for in a deployment. */
export function documentName(kind: SessionDocumentKind, names: Pick<BastionNames, 'sessionDocument'>): string {
  return kind === 'port-forwarding' ? PORT_FORWARD_DOCUMENT : names.sessionDocument;
}

/**
 * The IAM requests of an AWS CLI command line the CLI spawns and of the Session Manager plugin it runs:
 * StartSession is authorized against the target and the document; the plugin encrypts the session with a data
 * key of the audit key and opens the session's data channel; on Ctrl-C it terminates the session.
 */
export function awsCliRequests(call: AwsCliCall, variant: Variant, d: DeploymentFacts): IamRequest[] {
  const session: IamRequest[] = [
    { action: 'kms:GenerateDataKey', resource: d.kmsKeyArn, context: { 'kms:CallerAccount': d.accountId }, note: 'the plugin encrypts the session stream' },
    // No resource type in the Service Authorization Reference: IAM matches it against "*".
    { action: 'ssmmessages:OpenDataChannel', resource: '*', note: 'the plugin opens the data channel of the session' },
    { action: 'ssm:TerminateSession', resource: sessionArn(d), note: 'the plugin ends the session on Ctrl-C' },
  ];
  if (call.command === 'ecs execute-command') {
    const exec = { 'ecs:cluster': clusterArn(d), 'ecs:container-name': d.names.ecsContainer, 'ecs:task': taskArn(d) };
    return [
      { action: 'ecs:ExecuteCommand', resource: clusterArn(d), context: exec },
      { action: 'ecs:ExecuteCommand', resource: taskArn(d), context: exec },
      ...session.filter((request) => request.action === 'kms:GenerateDataKey'),
    ];
  }
  const target = variant === 'ecs' ? taskArn(d) : instanceArn(d);
  const targetContext = variant === 'ec2' ? tagContext('ssm:resourceTag', ec2BastionTags(d)) : {};
  const document = call.document ? documentName(call.document, d.names) : undefined;
  // Without --document-name Session Manager uses the account's SSM-SessionManagerRunShell preferences.
  const documentArn = document === d.names.sessionDocument ? arn(d, 'ssm', `document/${document}`) : awsDocumentArn(d, document ?? 'SSM-SessionManagerRunShell');
  // With --document-name the access check is on: StartSession is authorized against the document as well.
  const check = { 'ssm:SessionDocumentAccessCheck': 'true' };
  return [
    { action: 'ssm:StartSession', resource: target, context: { ...targetContext, ...check } },
    { action: 'ssm:StartSession', resource: documentArn, context: check },
    ...session,
  ];
}
