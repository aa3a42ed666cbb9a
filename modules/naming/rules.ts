import type { StackName } from '../config/schema';
import { stackNames } from './names';

/**
 * The naming rules AWS enforces at apply time, from each service's API reference, for every kind of name the
 * stacks write. Terraform and the provider check few of them at plan time, so a bad `namePrefix` used to
 * pass synth and plan and fail halfway through an apply; the configuration is now checked against these.
 */
export interface AwsNameRule {
  /** What the name is, for messages. */
  readonly what: string;
  /** The API reference that states the rule. */
  readonly source: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** The shape AWS accepts. */
  readonly pattern: RegExp;
  /** What the pattern allows, in words. */
  readonly allowed: string;
  /** Prefixes AWS reserves (compared case-insensitively). */
  readonly reservedPrefixes?: readonly string[];
}

// Repository names and pull-through cache prefixes: lowercase components separated by one `.`, `_`, `-` or `/`.
const ECR_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const SSM_NAME = /^[a-zA-Z0-9_.-]+$/;
const IAM_NAME = /^[\w+=,.@-]+$/;

/** Rules by `<terraform resource type>.<attribute>`. */
export const AWS_NAME_RULES: Readonly<Record<string, AwsNameRule>> = {
  'aws_s3_bucket.bucket': {
    what: 'S3 bucket name',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
    minLength: 3,
    maxLength: 63,
    pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    allowed: 'lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    reservedPrefixes: ['xn--', 'sthree-', 'amzn-s3-demo-'],
  },
  'aws_ssm_document.name': {
    what: 'Systems Manager document name',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html',
    minLength: 3,
    maxLength: 128,
    pattern: SSM_NAME,
    allowed: 'letters, digits, _ - and .',
    // "You can't use the following strings as document name prefixes. These are reserved by AWS for use as document name prefixes: aws, amazon, amzn"
    reservedPrefixes: ['aws', 'amazon', 'amzn'],
  },
  'aws_ssm_patch_baseline.name': {
    what: 'patch baseline name',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreatePatchBaseline.html',
    minLength: 3,
    maxLength: 128,
    pattern: SSM_NAME,
    allowed: 'letters, digits, _ - and .',
  },
  'aws_ssm_maintenance_window.name': {
    what: 'maintenance window name',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateMaintenanceWindow.html',
    minLength: 3,
    maxLength: 128,
    pattern: SSM_NAME,
    allowed: 'letters, digits, _ - and .',
  },
  'aws_ssm_maintenance_window_target.name': {
    what: 'maintenance window target name',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTargetWithMaintenanceWindow.html',
    minLength: 3,
    maxLength: 128,
    pattern: SSM_NAME,
    allowed: 'letters, digits, _ - and .',
  },
  'aws_ssm_maintenance_window_task.name': {
    what: 'maintenance window task name',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html',
    minLength: 3,
    maxLength: 128,
    pattern: SSM_NAME,
    allowed: 'letters, digits, _ - and .',
  },
  'aws_ssm_association.association_name': {
    what: 'State Manager association name',
    source: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html',
    minLength: 3,
    maxLength: 128,
    pattern: SSM_NAME,
    allowed: 'letters, digits, _ - and .',
  },
  'aws_iam_role.name': {
    what: 'IAM role name',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
    minLength: 1,
    maxLength: 64,
    pattern: IAM_NAME,
    allowed: 'letters, digits and _+=,.@-',
  },
  'aws_iam_instance_profile.name': {
    what: 'instance profile name',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html',
    minLength: 1,
    maxLength: 128,
    pattern: IAM_NAME,
    allowed: 'letters, digits and _+=,.@-',
  },
  'aws_iam_policy.name': {
    what: 'IAM policy name',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html',
    minLength: 1,
    maxLength: 128,
    pattern: IAM_NAME,
    allowed: 'letters, digits and _+=,.@-',
  },
  'aws_kms_alias.name': {
    what: 'KMS alias',
    source: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html',
    minLength: 1,
    maxLength: 256,
    pattern: /^alias\/[a-zA-Z0-9/_-]+$/,
    allowed: '"alias/" then letters, digits and / _ -',
    reservedPrefixes: ['alias/aws/'],
  },
  'aws_cloudwatch_log_group.name': {
    what: 'log group name',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
    minLength: 1,
    maxLength: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: 'letters, digits and _ - / . #',
  },
  'aws_security_group.name': {
    what: 'security group name',
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html',
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    allowed: 'letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*',
    // "Constraints: Up to 255 characters in length. Cannot start with sg-."
    reservedPrefixes: ['sg-'],
  },
  'aws_launch_template.name': {
    what: 'launch template name',
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html',
    minLength: 3,
    maxLength: 128,
    pattern: /^[a-zA-Z0-9().\-/_]+$/,
    allowed: 'letters, digits and ( ) . - / _',
  },
  'aws_ecs_cluster.name': {
    what: 'ECS cluster name',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html',
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores',
  },
  'aws_ecs_service.name': {
    what: 'ECS service name',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html',
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores',
  },
  'aws_ecs_task_definition.family': {
    what: 'task definition family',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
    minLength: 1,
    maxLength: 255,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores',
  },
  'aws_ecr_repository.name': {
    what: 'ECR repository name',
    source: 'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html',
    minLength: 2,
    maxLength: 256,
    pattern: ECR_NAME,
    allowed: 'lowercase components separated by a single . _ - or /',
  },
  'aws_ecr_pull_through_cache_rule.ecr_repository_prefix': {
    what: 'pull-through cache repository prefix',
    source: 'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html',
    minLength: 2,
    maxLength: 30,
    pattern: ECR_NAME,
    allowed: 'lowercase components separated by a single . _ - or /',
  },
  'aws_ecr_repository_creation_template.prefix': {
    what: 'repository creation template prefix',
    source: 'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html',
    minLength: 1,
    maxLength: 256,
    pattern: ECR_NAME,
    allowed: 'lowercase components separated by a single . _ - or /',
  },
};

/** Why AWS would refuse `name` under `rule`, or undefined. */
export function nameViolation(name: string, rule: AwsNameRule): string | undefined {
  const reserved = rule.reservedPrefixes?.find((prefix) => name.toLowerCase().startsWith(prefix));
  if (reserved) return `AWS reserves the prefix "${reserved}" for ${rule.what}s`;
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    return `a ${rule.what} has ${rule.minLength} to ${rule.maxLength} characters, "${name}" has ${name.length}`;
  }
  if (!rule.pattern.test(name)) return `a ${rule.what} allows ${rule.allowed}`;
  return undefined;
}

/** One name a stack writes: the Terraform attribute it goes into and the value. */
export interface PlannedName {
  readonly key: keyof typeof AWS_NAME_RULES;
  readonly name: string;
}

/** What decides which names a stack writes besides the prefix. */
export interface NamingOptions {
  readonly namePrefix: string;
  readonly region: string;
  /** A literal account id, or a 12-digit stand-in when the account is looked up at plan time. */
  readonly accountId: string;
  /** ecs-bastion: the image comes from the pull-through cache (else from the repository built from docker/). */
  readonly pullThrough: boolean;
  /** The patch group of the ec2-bastion stack. */
  readonly patchGroup: string;
  /** The stack creates its VPC (network.mode "create"): only then does it create flow logs and their role. */
  readonly createsVpc: boolean;
  /** audit.s3Archive: only then does it create the archive bucket and its access-log bucket. */
  readonly s3Archive: boolean;
}

/**
 * Every name a stack gives its resources, as the constructs derive them (a test compares this with the names
 * in the synthesized stacks, so the two cannot drift apart).
 */
export function plannedNames(stack: StackName, options: NamingOptions): PlannedName[] {
  const names = stackNames(options.namePrefix, options.region, stack);
  // Only the names of resources the configuration creates: a name that is never written cannot be refused.
  const shared: PlannedName[] = [
    ...(options.s3Archive
      ? [
          { key: 'aws_s3_bucket.bucket', name: names.auditBucket(options.accountId) } as const,
          { key: 'aws_s3_bucket.bucket', name: names.accessLogBucket(options.accountId) } as const,
        ]
      : []),
    { key: 'aws_kms_alias.name', name: `alias/${names.resource('audit')}` },
    ...(options.createsVpc
      ? [
          { key: 'aws_iam_role.name', name: names.resource('vpc-flow-logs') } as const,
          { key: 'aws_cloudwatch_log_group.name', name: names.logGroup('vpc-flow-logs') } as const,
        ]
      : []),
    { key: 'aws_security_group.name', name: names.resource('bastion') },
    { key: 'aws_security_group.name', name: names.resource('vpc-endpoints') },
    { key: 'aws_iam_policy.name', name: names.resource('operator') },
    { key: 'aws_iam_policy.name', name: names.resource('auditor') },
  ];
  if (stack === 'ecs-bastion') {
    return [
      ...shared,
      { key: 'aws_cloudwatch_log_group.name', name: names.logGroup('exec') },
      { key: 'aws_cloudwatch_log_group.name', name: names.logGroup('container') },
      { key: 'aws_cloudwatch_log_group.name', name: names.containerInsightsLogGroup },
      { key: 'aws_ecs_cluster.name', name: names.ecsCluster },
      { key: 'aws_ecs_service.name', name: names.ecsService },
      { key: 'aws_ecs_task_definition.family', name: names.resource('bastion') },
      { key: 'aws_iam_role.name', name: names.resource('task') },
      { key: 'aws_iam_role.name', name: names.resource('execution') },
      ...(options.pullThrough
        ? [
            { key: 'aws_ecr_pull_through_cache_rule.ecr_repository_prefix', name: names.pullThroughPrefix },
            { key: 'aws_ecr_repository_creation_template.prefix', name: names.pullThroughPrefix },
            { key: 'aws_iam_role.name', name: names.resource('ecr-cache-creation') },
          ]
        : [{ key: 'aws_ecr_repository.name', name: names.builtImageRepository }]),
    ];
  }
  return [
    ...shared,
    { key: 'aws_cloudwatch_log_group.name', name: names.logGroup('sessions') },
    { key: 'aws_cloudwatch_log_group.name', name: names.logGroup('patching') },
    { key: 'aws_ssm_document.name', name: names.sessionDocument },
    { key: 'aws_iam_role.name', name: names.resource('bastion') },
    { key: 'aws_iam_instance_profile.name', name: names.resource('bastion') },
    { key: 'aws_launch_template.name', name: names.resource('bastion') },
    { key: 'aws_iam_role.name', name: names.resource('patch-window') },
    { key: 'aws_ssm_patch_baseline.name', name: names.resource('al2023') },
    { key: 'aws_ssm_maintenance_window.name', name: names.resource('patching') },
    { key: 'aws_ssm_maintenance_window_target.name', name: names.resource('bastion') },
    { key: 'aws_ssm_maintenance_window_task.name', name: names.resource('install-patches') },
    { key: 'aws_ssm_association.association_name', name: names.resource('patch-scan') },
  ];
}
