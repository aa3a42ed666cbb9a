import type { BastionConfigInput, StackName } from '../../../modules/config';
import { onlyResource, ref, resourceWhere } from '../../support/resources';
import { type PolicyStatementJson, resourcesOfType, synthStack, TEST_ACCOUNT, type TerraformJson } from '../../support/synth';

/**
 * The deployments the exact-grant tables are written for, and what the tables need to know about one. The facts
 * come from the configuration as written, with the documented defaults spelled out here, not from the code under
 * test; only the Terraform names of referenced resources are looked up (by their AWS names) in the synthesized
 * stack, because references are written with them.
 */

export const STACKS: readonly StackName[] = ['ecs-bastion', 'ec2-bastion'];

const EXISTING_VPC: BastionConfigInput['network'] = {
  mode: 'existing',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-0123456789abcdef0'],
  routeTableIds: ['rtb-0123456789abcdef0'],
};

/** Every configuration that changes what is granted, and a few that must not. */
export const VARIANTS: Readonly<Record<string, BastionConfigInput>> = {
  'the default configuration': {},
  'no session archive': { audit: { s3Archive: false } },
  'the image built from docker/': { ecs: { image: { build: true } } },
  'an existing VPC': { network: EXISTING_VPC },
  'an existing VPC, an S3 endpoint of its own, no archive': { network: EXISTING_VPC, endpoints: { s3: 'create' }, audit: { s3Archive: false } },
  'another prefix, region and patch group, no Container Insights': {
    namePrefix: 'team-a',
    region: 'me-south-1',
    ecs: { containerInsights: false },
    ec2: { patching: { patchGroup: 'prod-bastions' } },
  },
  'the account looked up at plan time': { accountId: undefined },
};

/** What the exact-grant tables of one synthesized stack depend on. */
export interface Deployment {
  readonly stack: StackName;
  /** `ecs` or `ec2`: the part of every resource name that tells the stacks apart. */
  readonly short: 'ecs' | 'ec2';
  readonly prefix: string;
  readonly region: string;
  /** The configured account, or the caller-identity lookup that stands for it. */
  readonly account: string;
  /** audit.s3Archive: the session archive and its access-log bucket exist. */
  readonly archive: boolean;
  /** ecs.image is { build: true }: an ECR repository instead of the pull-through cache. */
  readonly builtImage: boolean;
  /** network.mode is "create": flow logs and their role exist. */
  readonly newVpc: boolean;
  /** The stack creates the S3 gateway endpoint and restricts it (only in a VPC of its own: shared route tables keep AWS's default). */
  readonly s3EndpointPolicy: boolean;
  readonly containerInsights: boolean;
  readonly patchGroup: string;
  readonly tf: TerraformJson;
}

/** Synthesizes one stack of a variant and states its facts. */
export function deployment(stack: StackName, input: BastionConfigInput): Deployment {
  const { tf } = synthStack(stack, input);
  const prefix = input.namePrefix ?? 'ssm-bastion';
  const newVpc = (input.network?.mode ?? 'create') === 'create';
  const s3Mode = input.endpoints?.s3 ?? (newVpc ? 'create' : 'existing');
  return {
    stack,
    short: stack === 'ecs-bastion' ? 'ecs' : 'ec2',
    prefix,
    region: input.region ?? 'eu-west-1',
    account: 'accountId' in input && input.accountId === undefined ? '${data.aws_caller_identity.caller.account_id}' : (input.accountId ?? TEST_ACCOUNT),
    archive: input.audit?.s3Archive ?? true,
    builtImage: input.ecs?.image !== undefined && 'build' in input.ecs.image,
    newVpc,
    s3EndpointPolicy: newVpc && (s3Mode === 'create' || s3Mode === true),
    containerInsights: input.ecs?.containerInsights ?? true,
    patchGroup: input.ec2?.patching?.patchGroup ?? prefix,
    tf,
  };
}

/** An ARN in the deployment's partition (aws), region and account unless told otherwise ('' for AWS-owned). */
export function arn(d: Deployment, service: string, resource: string, options: { region?: string; account?: string } = {}): string {
  return `arn:aws:${service}:${options.region ?? d.region}:${options.account ?? d.account}:${resource}`;
}

/** `/<prefix>/<ecs|ec2>/<purpose>`. */
export function logGroupName(d: Deployment, purpose: string): string {
  return `/${d.prefix}/${d.short}/${purpose}`;
}

/** The reference to the ARN of the log group with this name. */
export function logGroupArn(d: Deployment, name: string): string {
  return ref('aws_cloudwatch_log_group', resourceWhere(d.tf, 'aws_cloudwatch_log_group', 'name', name).name, 'arn');
}

/** The reference to the name of the log group with this name (the auditor policy interpolates it into an ARN). */
export function logGroupNameRef(d: Deployment, name: string): string {
  return ref('aws_cloudwatch_log_group', resourceWhere(d.tf, 'aws_cloudwatch_log_group', 'name', name).name, 'name');
}

/**
 * The subnets the bastion runs in: the Terraform variable `subnet_ids` (the list the configuration gave) in an
 * existing VPC, the subnets the stack creates in a new one.
 */
export function bastionSubnets(d: Deployment): string[] | string {
  if (!d.newVpc) return '${var.subnet_ids}';
  return Object.keys(resourcesOfType(d.tf, 'aws_subnet')).map((name) => ref('aws_subnet', name, 'id'));
}

/** The reference to the ARN of the audit key. */
export function keyArn(d: Deployment): string {
  return ref('aws_kms_key', onlyResource(d.tf, 'aws_kms_key').name, 'arn');
}

/** `<prefix>-<ecs|ec2>-<audit|access>-<account>-<region>`: the session archive and its access-log bucket. */
export function bucketName(d: Deployment, kind: 'audit' | 'access'): string {
  return `${d.prefix}-${d.short}-${kind}-${d.account}-${d.region}`;
}

/** The reference to the ARN of the archive (`audit`) or access-log (`access`) bucket. */
export function bucketArn(d: Deployment, kind: 'audit' | 'access'): string {
  return ref('aws_s3_bucket', resourceWhere(d.tf, 'aws_s3_bucket', 'bucket', bucketName(d, kind)).name, 'arn');
}

/** `<prefix>-<ecs|ec2>-<suffix>`, the name of every other resource. */
export function resourceName(d: Deployment, suffix: string): string {
  return `${d.prefix}-${d.short}-${suffix}`;
}

type Condition = NonNullable<PolicyStatementJson['condition']>[number];

/** A condition: `when('StringEquals', 'aws:SourceAccount', account)`. */
export function when(test: string, variable: string, ...values: string[]): Condition {
  return { test, variable, values };
}

/** An Allow statement of an identity policy. */
export function allow(sid: string, actions: string[], resources: string[], ...conditions: Condition[]): PolicyStatementJson {
  return { sid, effect: 'Allow', actions, resources, ...(conditions.length > 0 ? { condition: conditions } : {}) };
}

/** A statement of a resource policy: the identity-policy statement plus who it is for. */
export function forPrincipal(statement: PolicyStatementJson, type: string, ...identifiers: string[]): PolicyStatementJson {
  return { ...statement, principals: [{ type, identifiers }] };
}

/** The one statement of a trust policy: the service may assume the role, under these conditions. */
export function assumedBy(sid: string, service: string, ...conditions: Condition[]): PolicyStatementJson {
  return {
    sid,
    effect: 'Allow',
    actions: ['sts:AssumeRole'],
    principals: [{ type: 'Service', identifiers: [service] }],
    ...(conditions.length > 0 ? { condition: conditions } : {}),
  };
}

/** The expected documents of a deployment, by the label `attachedPolicies` gives them. */
export type ExpectedPolicies = Record<string, PolicyStatementJson[]>;
