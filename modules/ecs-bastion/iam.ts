import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import { type PolicyStatement, ServiceRole } from '../iam';
import { EXEC_S3_KEY_PREFIX } from './cluster';

/** The four Session Manager channel actions the SSM agent inside the task calls for ECS Exec. */
export const SSM_MESSAGES_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
] as const;

export interface TaskRoleStatementsProps {
  /** ARN of the audit key the cluster encrypts ECS Exec sessions with. */
  readonly kmsKeyArn: string;
  /** ARN of the log group the cluster sends ECS Exec transcripts to. */
  readonly execLogGroupArn: string;
  /**
   * ARN of the session archive bucket the cluster sends ECS Exec transcripts to.
   * @default - no S3 permissions (the archive is off)
   */
  readonly archiveBucketArn?: string;
  /** S3 endpoint of the region (`s3.<region>.<dnsSuffix>`), for the kms:ViaService condition. */
  readonly s3ViaService: string;
}

/**
 * What the SSM agent that ECS Exec starts inside the container needs, and nothing else: the channels, the
 * transcript destinations of the cluster's exec configuration, and the audit key.
 */
export function taskRoleStatements(props: TaskRoleStatementsProps): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      // ssmmessages has no resource types: the channels are addressed by session, not by ARN.
      sid: 'OpenEcsExecSessionChannelsNoResourceScopeExists',
      actions: [...SSM_MESSAGES_ACTIONS],
      resources: ['*'],
    },
    {
      // The agent decrypts the session data key the operator's client generated with the cluster's key.
      sid: 'DecryptEcsExecSessionsWithTheAuditKey',
      actions: ['kms:Decrypt'],
      resources: [props.kmsKeyArn],
    },
    {
      sid: 'WriteEcsExecTranscriptsToTheExecLogGroup',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [props.execLogGroupArn, `${props.execLogGroupArn}:*`],
    },
    {
      // With cloudWatchEncryptionEnabled the agent checks the group is encrypted; DescribeLogGroups is a list
      // call without resource types, so it cannot be narrowed.
      sid: 'CheckTheExecLogGroupIsEncryptedListCallHasNoResourceScope',
      actions: ['logs:DescribeLogGroups'],
      resources: ['*'],
    },
  ];
  if (props.archiveBucketArn) {
    statements.push(
      {
        sid: 'UploadEcsExecTranscriptsToTheArchivePrefix',
        actions: ['s3:PutObject'],
        resources: [`${props.archiveBucketArn}/${EXEC_S3_KEY_PREFIX}*`],
      },
      {
        // With s3EncryptionEnabled the agent refuses to upload unless the bucket's default encryption is on.
        sid: 'CheckTheArchiveBucketIsEncrypted',
        actions: ['s3:GetEncryptionConfiguration'],
        resources: [props.archiveBucketArn],
      },
      {
        // The archive is SSE-KMS with the audit key: an upload needs a data key, and only S3 may ask for it.
        sid: 'EncryptTranscriptUploadsWithTheAuditKeyThroughS3',
        actions: ['kms:GenerateDataKey'],
        resources: [props.kmsKeyArn],
        conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [props.s3ViaService] }],
      },
    );
  }
  return statements;
}

export interface ExecutionRoleStatementsProps {
  /** Statements that let ECS pull (and, for the pull-through cache, import) the image. */
  readonly pullStatements: readonly PolicyStatement[];
  /** ARN of the log group the container's awslogs driver writes to. */
  readonly containerLogGroupArn: string;
}

/** What ECS needs to start the task: pull its image and ship the container's output. */
export function executionRoleStatements(props: ExecutionRoleStatementsProps): PolicyStatement[] {
  return [
    ...props.pullStatements,
    {
      sid: 'ShipContainerOutputToTheContainerLogGroup',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${props.containerLogGroupArn}:*`],
    },
  ];
}

export interface BastionRolesProps extends TaskRoleStatementsProps, ExecutionRoleStatementsProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
}

/** The task role (the container's identity, used by ECS Exec) and the execution role (used by ECS). */
export class BastionRoles extends Construct {
  readonly taskRole: ServiceRole;
  readonly executionRole: ServiceRole;

  constructor(scope: Construct, id: string, props: BastionRolesProps) {
    super(scope, id);
    const { context } = props;
    // Only ECS tasks of this account may assume the roles (confused-deputy protection).
    const trustConditions = [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [context.accountId] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [context.arn('ecs', '*')] },
    ];
    this.taskRole = new ServiceRole(this, 'task-role', {
      name: context.names.resource('task'),
      description: 'Identity of the ECS bastion container: ECS Exec channels, transcripts and session decryption only.',
      servicePrincipal: context.servicePrincipal('ecs-tasks'),
      trustConditions,
      statements: taskRoleStatements(props),
    });
    this.executionRole = new ServiceRole(this, 'execution-role', {
      name: context.names.resource('execution'),
      description: 'Used by ECS to start the bastion task: pull its image and ship its container log.',
      servicePrincipal: context.servicePrincipal('ecs-tasks'),
      trustConditions,
      statements: executionRoleStatements(props),
    });
  }
}
