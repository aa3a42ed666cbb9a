import type { DeploymentContext } from '../context';
import type { PolicyStatement } from '../iam';
import { PATCH_OUTPUT_PREFIX, RUN_PATCH_BASELINE } from '../patching';
import { SESSION_LOG_PREFIX } from '../session-manager';

export interface InstanceRoleInputs {
  readonly context: DeploymentContext;
  /** ARN of the audit KMS key (session encryption, SSE-KMS of the archive). */
  readonly kmsKeyArn: string;
  /** ARNs of the log groups the agent writes to: session transcripts and patch command output. */
  readonly logGroupArns: readonly string[];
  /**
   * ARN of the archive bucket, for session transcripts and patch output.
   * @default - the archive is off: no S3 writes
   */
  readonly archiveBucketArn?: string;
  /** Object ARNs of the AWS-owned buckets the instance reads to patch itself (repositories, baselines). */
  readonly awsOwnedObjectArns: readonly string[];
}

/**
 * What the SSM agent of the bastion needs for Session Manager, Run Command, State Manager and Patch Manager,
 * written out instead of the managed AmazonSSMManagedInstanceCore (which grants its ssm actions on every
 * resource of the account), plus the log, archive and key permissions of this stack only.
 */
export function instanceRoleStatements(inputs: InstanceRoleInputs): PolicyStatement[] {
  const { context } = inputs;
  // Instances of this account and region: the credentials of this role only ever sit on the bastion itself.
  const instances = context.arn('ec2', 'instance/*');
  const patchDocument = context.arn('ssm', `document/${RUN_PATCH_BASELINE}`, { account: '' });
  const statements: PolicyStatement[] = [
    {
      sid: 'AgentRegistersAndReportsTheInstance',
      actions: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:PutComplianceItems'],
      resources: [instances],
    },
    {
      // The daily scan is a State Manager association of AWS-RunPatchBaseline; nothing else is associated.
      sid: 'AgentRunsThePatchScanAssociation',
      actions: ['ssm:DescribeAssociation', 'ssm:UpdateAssociationStatus', 'ssm:UpdateInstanceAssociationStatus'],
      resources: [instances, context.arn('ssm', 'association/*'), patchDocument],
    },
    {
      sid: 'AgentReadsThePatchDocument',
      actions: ['ssm:GetDocument', 'ssm:DescribeDocument'],
      resources: [patchDocument],
    },
    {
      // AWS defines no resource types for these agent calls: they can only be granted on "*".
      sid: 'AgentCallsWithoutResourceLevelPermissions',
      actions: ['ssm:ListAssociations', 'ssm:GetDeployablePatchSnapshotForInstance', 'ssm:PutInventory'],
      resources: ['*'],
    },
    {
      // Session Manager channels; ssmmessages has no resource types, so "*" is the only possible resource.
      sid: 'SessionManagerChannels',
      actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
      resources: ['*'],
    },
    {
      // Run Command delivery (the patch window); ec2messages has no resource types either.
      sid: 'RunCommandMessages',
      actions: [
        'ec2messages:AcknowledgeMessage',
        'ec2messages:DeleteMessage',
        'ec2messages:FailMessage',
        'ec2messages:GetEndpoint',
        'ec2messages:GetMessages',
        'ec2messages:SendReply',
      ],
      resources: ['*'],
    },
    {
      sid: 'WriteSessionAndPatchLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: inputs.logGroupArns.flatMap((arn) => [arn, `${arn}:*`]),
    },
    {
      // The agent checks that the session log group is encrypted before it streams; DescribeLogGroups has no
      // resource-level permissions.
      sid: 'CheckLogGroupEncryption',
      actions: ['logs:DescribeLogGroups'],
      resources: ['*'],
    },
    {
      // The agent decrypts the data key the operator's client generated for the session stream (a direct call).
      sid: 'DecryptSessionStreamsWithTheAuditKey',
      actions: ['kms:Decrypt'],
      resources: [inputs.kmsKeyArn],
    },
    {
      sid: 'ReadAwsOwnedRepositoriesAndPatchBaselines',
      actions: ['s3:GetObject'],
      resources: [...inputs.awsOwnedObjectArns],
    },
  ];
  if (inputs.archiveBucketArn) {
    const bucket = inputs.archiveBucketArn;
    statements.push(
      {
        sid: 'ArchiveSessionTranscriptsAndPatchOutput',
        actions: ['s3:PutObject'],
        resources: [`${bucket}/${SESSION_LOG_PREFIX}*`, `${bucket}/${PATCH_OUTPUT_PREFIX}*`],
      },
      {
        // Data keys for the SSE-KMS uploads to the archive, asked for by S3 only: never usable directly.
        sid: 'EncryptArchiveUploadsWithTheAuditKeyThroughS3',
        actions: ['kms:GenerateDataKey'],
        resources: [inputs.kmsKeyArn],
        conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${context.region}.${context.dnsSuffix}`] }],
      },
      {
        // With s3EncryptionEnabled the agent refuses to upload to a bucket it cannot see is encrypted.
        sid: 'CheckArchiveEncryption',
        actions: ['s3:GetEncryptionConfiguration'],
        resources: [bucket],
      },
    );
  }
  return statements;
}
