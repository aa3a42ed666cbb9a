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
  /** S3 bucket of the session archive, given the account id (literal or token). */
  readonly auditBucket: (accountId: string) => string;
  /** CloudWatch log group for a purpose, e.g. logGroup('ecs-exec') = "/ssm-bastion/ecs-exec". */
  readonly logGroup: (purpose: string) => string;
  /** Any other resource name: resource('ecs-task') = "ssm-bastion-ecs-task". */
  readonly resource: (suffix: string) => string;
}

/** Tag every resource of a stack carries, so tools find the stack's resources (value: the stack name). */
export const STACK_TAG = 'ssm-bastion:stack';

/** Tag every resource carries with the namePrefix, so two deployments in one account stay apart. */
export const PREFIX_TAG = 'ssm-bastion:name-prefix';

export function bastionNames(namePrefix: string, region: string): BastionNames {
  return {
    ecsCluster: `${namePrefix}-ecs`,
    ecsService: `${namePrefix}-ecs-bastion`,
    ecsContainer: 'bastion',
    ec2Instance: `${namePrefix}-ec2-bastion`,
    sessionDocument: `${namePrefix}-session-preferences`,
    auditBucket: (accountId) => `${namePrefix}-audit-${accountId}-${region}`,
    logGroup: (purpose) => `/${namePrefix}/${purpose}`,
    resource: (suffix) => `${namePrefix}-${suffix}`,
  };
}
