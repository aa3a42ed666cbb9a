import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import { PolicyDocument, type PolicyStatement } from '../iam';

/** The session archive as the auditor reads it: the bucket and the key prefix of the stack's transcripts. */
export interface TranscriptArchive {
  /** ARN of the archive bucket. */
  readonly bucketArn: string;
  /** Key prefix of the transcripts (`session-manager/`, `ecs-exec/`); objects are `<prefix><session-id>.log`. */
  readonly prefix: string;
  /** ARN of the bucket that receives the archive's server access logs. */
  readonly accessLogBucketArn: string;
  /** Key prefix of the archive's access logs in that bucket. */
  readonly accessLogPrefix: string;
}

export interface AuditorPolicyProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** ARN of the audit key that encrypts the archive (SSE-KMS). */
  readonly kmsKeyArn: string;
  /** Name of the log group that receives the session transcripts of the stack. */
  readonly transcriptLogGroupName: string;
  /**
   * Where the stack archives transcripts in S3.
   * @default - the archive is off: no S3 or KMS statement
   */
  readonly archive?: TranscriptArchive;
  /**
   * The stack's sessions run on EC2 instances, which `bastion sessions ec2` finds by their tags
   * (ec2:DescribeInstances), terminated ones included.
   * @default false
   */
  readonly findsInstances?: boolean;
}

/**
 * What an auditor needs for `bastion sessions` and `bastion transcript`, read-only: the Session Manager history,
 * the StartSession / ExecuteCommand events in CloudTrail, the transcripts in the stack's log group and archive
 * prefix, and decryption of archived transcripts with the audit key through S3 only. Nothing starts, stops or
 * changes anything: no session, no ECS Exec, no instance or service change, no write to logs or the archive.
 */
export function auditorStatements(props: AuditorPolicyProps): PolicyStatement[] {
  const { context } = props;
  const logGroupArn = context.arn('logs', `log-group:${props.transcriptLogGroupName}`);
  const statements: PolicyStatement[] = [
    {
      // Session Manager history (active and ended sessions); AWS defines no resource type for this list call.
      sid: 'ListSessionHistoryNoResourceScopeExists',
      actions: ['ssm:DescribeSessions'],
      resources: ['*'],
    },
    {
      // The authoritative who/when/with-which-parameters record (last 90 days): StartSession holds the host and
      // port of a port forward, ExecuteCommand the ECS Exec command. A read-only call without resource types.
      sid: 'LookUpSessionEventsInCloudTrailNoResourceScopeExists',
      actions: ['cloudtrail:LookupEvents'],
      resources: ['*'],
    },
    {
      // CloudWatch Logs decrypts the encrypted group itself (the key policy lets it, for this deployment's
      // groups): the reader needs no KMS permission here.
      sid: 'ReadSessionTranscriptsInTheStacksLogGroup',
      actions: ['logs:DescribeLogStreams', 'logs:GetLogEvents'],
      resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
    },
  ];
  if (props.findsInstances) {
    statements.push({
      // To tell this stack's sessions from others: its instances, by tag. A list call without resource types.
      sid: 'FindTheStacksInstancesNoResourceScopeExists',
      actions: ['ec2:DescribeInstances'],
      resources: ['*'],
    });
  }
  const archive = props.archive;
  if (archive) {
    const transcripts = `${archive.bucketArn}/${archive.prefix}*`;
    statements.push(
      {
        // Finding a transcript's key and storage class, and its earlier versions: a transcript overwritten from
        // inside a session stays as a noncurrent version, the evidence of the overwrite. Listing is limited to
        // the transcript prefix (s3:prefix applies to ListBucket and ListBucketVersions alike).
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/list-obj-version-enabled-bucket.html
        sid: 'ListTranscriptKeysUnderTheArchivePrefixOnly',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [archive.bucketArn],
        conditions: [{ test: 'StringLike', variable: 's3:prefix', values: [`${archive.prefix}*`] }],
      },
      {
        // GetObject with a versionId needs s3:GetObjectVersion.
        sid: 'ReadArchivedTranscriptsOnly',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [transcripts],
      },
      {
        // Who read or overwrote a transcript is in the archive's access logs (SSE-S3: no key to grant).
        sid: 'ListTheArchiveAccessLogsOnly',
        actions: ['s3:ListBucket'],
        resources: [archive.accessLogBucketArn],
        conditions: [{ test: 'StringLike', variable: 's3:prefix', values: [`${archive.accessLogPrefix}*`] }],
      },
      {
        sid: 'ReadTheArchiveAccessLogsOnly',
        actions: ['s3:GetObject'],
        resources: [`${archive.accessLogBucketArn}/${archive.accessLogPrefix}*`],
      },
      {
        // The archive is SSE-KMS with a bucket key: S3 decrypts with the caller's permission, and the encryption
        // context names the bucket (or, without a bucket key, the object). Only through S3, only this archive.
        sid: 'DecryptArchivedTranscriptsThroughS3Only',
        actions: ['kms:Decrypt'],
        resources: [props.kmsKeyArn],
        conditions: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${context.region}.${context.dnsSuffix}`] },
          { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: [archive.bucketArn, transcripts] },
        ],
      },
    );
  }
  return statements;
}

/**
 * The customer-managed policy to attach to auditors (their group, role or Identity Center permission set):
 * `<namePrefix>-<ecs|ec2>-auditor`, published as the stack output `auditor_policy_arn`.
 */
export class AuditorPolicy extends Construct {
  readonly policyArn: string;
  readonly policyName: string;

  constructor(scope: Construct, id: string, props: AuditorPolicyProps) {
    super(scope, id);
    const document = new PolicyDocument(this, 'document', auditorStatements(props));
    const name = props.context.names.resource('auditor');
    const policy = new IamPolicy(this, 'policy', {
      name,
      description: `Read-only audit of the ${props.context.stackName} sessions: history, transcripts (logs and archive), CloudTrail events. Starts, stops and changes nothing.`,
      policy: document.json,
      tags: { Name: name },
    });
    this.policyArn = policy.arn;
    this.policyName = policy.name;
  }
}
