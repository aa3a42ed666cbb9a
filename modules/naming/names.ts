import type { StackName } from '../config/schema';

/**
 * Names of the resources the stacks create, derived from `namePrefix` in one place, so the stacks, the
 * outputs and the operator CLI (which finds the bastion by these names and tags) always agree.
 */
export interface BastionNames {
  /** ECS cluster of the ecs-bastion stack. */
  readonly ecsCluster: string;
  /** ECS service of the ecs-bastion stack. */
  readonly ecsService: string;
  /** Container name inside the bastion task (the `--container` of ECS Exec). */
  readonly ecsContainer: string;
  /** Name tag of the EC2 bastion instance. */
  readonly ec2Instance: string;
  /** Custom Session Manager preferences document of the ec2-bastion stack. */
  readonly sessionDocument: string;
}

/**
 * Names of one stack's own resources. Both stacks may be deployed with the same prefix into one account,
 * region and (in existing-VPC mode) VPC, so every name a stack gives its shared-module resources carries the
 * stack's short name: `ssm-bastion-ecs-audit`, `/ssm-bastion/ec2/vpc-flow-logs`.
 */
export interface StackNames extends BastionNames {
  /** S3 bucket of the session archive, given the account id (literal or token). */
  readonly auditBucket: (accountId: string) => string;
  /** S3 bucket receiving the server access logs of the archive, given the account id. */
  readonly accessLogBucket: (accountId: string) => string;
  /** The log group Container Insights writes the cluster's performance events to (ecs-bastion). */
  readonly containerInsightsLogGroup: string;
  /** ECR repository prefix of the pull-through cache (ecs-bastion). */
  readonly pullThroughPrefix: string;
  /** ECR repository of the image built from docker/ (ecs-bastion). */
  readonly builtImageRepository: string;
  /** CloudWatch log group for a purpose: logGroup('exec') = "/ssm-bastion/ecs/exec". */
  readonly logGroup: (purpose: string) => string;
  /** Any other resource name: resource('task') = "ssm-bastion-ecs-task". */
  readonly resource: (suffix: string) => string;
}

/** Tag every resource of a stack carries, so tools find the stack's resources (value: the stack name). */
export const STACK_TAG = 'ssm-bastion:stack';

/** Tag every resource carries with the namePrefix, so two deployments in one account stay apart. */
export const PREFIX_TAG = 'ssm-bastion:name-prefix';

/** Where one stack records session transcripts. */
export interface TranscriptPlace {
  /** Purpose of the log group that receives them: `/<namePrefix>/<ecs|ec2>/<purpose>`. */
  readonly logPurpose: string;
  /** Key prefix of the transcript objects in the stack's archive bucket (`<prefix><session-id>.log`). */
  readonly s3Prefix: string;
}

/**
 * Where each stack sends session transcripts. The stacks configure ECS Exec and the session document with these
 * places, the instance and task roles may write only there, and `bastion transcript` and the auditor policy read
 * them back: one source, so the four cannot drift apart.
 */
export const TRANSCRIPTS: Readonly<Record<StackName, TranscriptPlace>> = {
  'ecs-bastion': { logPurpose: 'exec', s3Prefix: 'ecs-exec/' },
  'ec2-bastion': { logPurpose: 'sessions', s3Prefix: 'session-manager/' },
};

/** The short name of a stack inside resource names. */
export function stackShortName(stack: StackName): 'ecs' | 'ec2' {
  return stack === 'ecs-bastion' ? 'ecs' : 'ec2';
}

export function bastionNames(namePrefix: string): BastionNames {
  return {
    ecsCluster: `${namePrefix}-ecs`,
    ecsService: `${namePrefix}-ecs-bastion`,
    ecsContainer: 'bastion',
    ec2Instance: `${namePrefix}-ec2-bastion`,
    sessionDocument: `${namePrefix}-session-preferences`,
  };
}

/**
 * The ECR repository prefix of the pull-through cache. ECR accepts at most 30 characters there and namePrefix
 * may have 24, so the suffix is kept to four ("-ecr-public" would not fit).
 */
export function pullThroughPrefix(namePrefix: string): string {
  return `${namePrefix}-pub`;
}

/** Repository of the image built from docker/ (a namespace under the prefix keeps it next to the cache). */
export function builtImageRepository(namePrefix: string): string {
  return `${namePrefix}/ecs-bastion`;
}

export function stackNames(namePrefix: string, region: string, stack: StackName): StackNames {
  const short = stackShortName(stack);
  const bastion = bastionNames(namePrefix);
  return {
    ...bastion,
    // At most 24 + 4 + 8 + 12 + 1 + 14 = 63 characters ("-access-" in ap-southeast-1): exactly S3's 63 (the naming
    // rules check the real ones, and __tests__/naming proves the longest prefix fits).
    auditBucket: (accountId) => `${namePrefix}-${short}-audit-${accountId}-${region}`,
    accessLogBucket: (accountId) => `${namePrefix}-${short}-access-${accountId}-${region}`,
    // The name Container Insights uses; created by the stack so it is encrypted, retained and destroyed with it.
    containerInsightsLogGroup: `/aws/ecs/containerinsights/${bastion.ecsCluster}/performance`,
    pullThroughPrefix: pullThroughPrefix(namePrefix),
    builtImageRepository: builtImageRepository(namePrefix),
    logGroup: (purpose) => `/${namePrefix}/${short}/${purpose}`,
    resource: (suffix) => `${namePrefix}-${short}-${suffix}`,
  };
}
