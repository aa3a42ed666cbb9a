import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { TranscriptArchive } from '../auditor';
import type { DeploymentContext } from '../context';
import { PolicyDocument, type PolicyStatement } from '../iam';

// Key administration, delegated to IAM in this account (the AWS-recommended root statement), written out
// instead of "kms:*" so the key policy grants no wildcard.
const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RetireGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];

/** Key prefix of the archive's server access logs in the access-log bucket. */
export const ARCHIVE_ACCESS_LOG_PREFIX = 'archive/';
/** The archive's lifecycle moves no object under 128 KB out of S3 Standard (see the lifecycle configuration). */
export const SMALL_OBJECTS_STAY = 'all_storage_classes_128K';

interface PrivateBucketOptions {
  readonly name: string;
  readonly encryption: { readonly sseAlgorithm: 'aws:kms' | 'AES256'; readonly kmsMasterKeyId?: string };
  /** Days a replaced or deleted object version is kept. */
  readonly noncurrentDays: number;
  /** Statements beyond the TLS-only denies, given the bucket ARN. @default - none */
  readonly statements?: (bucketArn: string) => PolicyStatement[];
}

export interface AuditTrailProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** Retention of every log group created through `logGroup()`, in days (a value CloudWatch accepts). */
  readonly logRetentionDays: number;
  /**
   * Create the S3 session archive (SSE-KMS, versioned, private, TLS only).
   * @default true
   */
  readonly archiveBucket?: boolean;
  /**
   * Extra key policy statements, for services that use the key on behalf of the account (e.g. EBS).
   * @default - none
   */
  readonly additionalKeyPolicyStatements?: readonly PolicyStatement[];
  /**
   * Log groups outside `/<namePrefix>/` whose names AWS services fix (Container Insights), created with
   * {@link AuditTrail.namedLogGroup}: CloudWatch Logs may use the key for them too.
   * @default - none
   */
  readonly serviceLogGroupNames?: readonly string[];
}

/**
 * The encrypted audit trail of one stack: a customer-managed KMS key, the log groups (all encrypted with it,
 * all with retention) and an S3 archive for session transcripts.
 */
export class AuditTrail extends Construct {
  /** ARN of the customer-managed audit key. */
  readonly kmsKeyArn: string;
  /** Id of the audit key. */
  readonly kmsKeyId: string;
  /** Name of the session archive bucket, or undefined when the archive is off. */
  readonly bucketName?: string;
  /** ARN of the session archive bucket, or undefined when the archive is off. */
  readonly bucketArn?: string;
  /** Name of the bucket holding the archive's server access logs, or undefined when the archive is off. */
  readonly accessLogBucketName?: string;
  /** ARN of the bucket holding the archive's server access logs, or undefined when the archive is off. */
  readonly accessLogBucketArn?: string;
  private readonly context: DeploymentContext;
  private readonly logRetentionDays: number;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { context } = props;
    this.context = context;
    this.logRetentionDays = props.logRetentionDays;
    const root = context.arn('iam', 'root', { region: '' });
    const keyPolicy = new PolicyDocument(this, 'key-policy', [
      {
        sid: 'AccountAdministersKeyThroughIam',
        actions: KEY_ADMIN_ACTIONS,
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [root] }],
      },
      {
        // Roles and operators get kms:Decrypt / GenerateDataKey from their own least-privilege IAM policies;
        // this statement is what lets IAM grant them at all.
        sid: 'AccountUsesKeyThroughIam',
        actions: KEY_USE_ACTIONS,
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [root] }],
      },
      {
        // AWS services that store data for us (EBS volumes, …) use grants; only for AWS resources.
        sid: 'AccountGrantsKeyToAwsServices',
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [root] }],
        conditions: [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
      },
      {
        // CloudWatch Logs encrypts our log groups, and only ours: the encryption context names the group.
        sid: 'CloudWatchLogsEncryptsThisStacksLogGroups',
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: [context.servicePrincipal('logs', { regional: true })] }],
        conditions: [
          {
            test: 'ArnLike',
            variable: 'kms:EncryptionContext:aws:logs:arn',
            values: [context.names.logGroup('*'), ...(props.serviceLogGroupNames ?? [])].map((name) => context.arn('logs', `log-group:${name}`)),
          },
        ],
      },
      ...(props.additionalKeyPolicyStatements ?? []),
    ]);
    const key = new KmsKey(this, 'key', {
      description: `${context.namePrefix}: session encryption and audit logs`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
    });
    new KmsAlias(this, 'alias', { name: `alias/${context.names.resource('audit')}`, targetKeyId: key.keyId });
    this.kmsKeyArn = key.arn;
    this.kmsKeyId = key.keyId;

    if (props.archiveBucket ?? true) {
      const { archive, accessLogs } = this.createArchiveBucket(key);
      this.bucketName = archive.bucket;
      this.bucketArn = archive.arn;
      this.accessLogBucketName = accessLogs.bucket;
      this.accessLogBucketArn = accessLogs.arn;
    }
  }

  /**
   * Where an auditor reads the transcripts archived under `prefix` and the archive's access logs; undefined when
   * the archive is off.
   */
  transcriptArchive(prefix: string): TranscriptArchive | undefined {
    if (!this.bucketArn || !this.accessLogBucketArn) return undefined;
    return { bucketArn: this.bucketArn, prefix, accessLogBucketArn: this.accessLogBucketArn, accessLogPrefix: ARCHIVE_ACCESS_LOG_PREFIX };
  }

  /** An encrypted log group with the audit retention, named `/<namePrefix>/<ecs|ec2>/<purpose>`. */
  logGroup(id: string, purpose: string): CloudwatchLogGroup {
    return this.namedLogGroup(id, this.context.names.logGroup(purpose));
  }

  /**
   * An encrypted log group with the audit retention whose name an AWS service decides (it must be one of
   * `serviceLogGroupNames`, or CloudWatch Logs could not use the key for it).
   */
  namedLogGroup(id: string, name: string): CloudwatchLogGroup {
    return new CloudwatchLogGroup(this, id, { name, kmsKeyId: this.kmsKeyArn, retentionInDays: this.logRetentionDays });
  }

  private createArchiveBucket(key: KmsKey): { archive: S3Bucket; accessLogs: S3Bucket } {
    const { context } = this;
    const accessLogs = this.privateBucket('access-logs', {
      name: context.names.accessLogBucket(context.accountId),
      // S3 delivers server access logs only to a destination whose default encryption is SSE-S3; with a KMS
      // key, log delivery is not supported and the logs would be lost.
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
      encryption: { sseAlgorithm: 'AES256' },
      noncurrentDays: 90,
      statements: (bucketArn) => [
        {
          // Only S3's log delivery, only for this stack's archive: the bucket is Bucket-owner-enforced, so
          // the grant is a policy, not an ACL.
          sid: 'S3DeliversTheArchiveAccessLogs',
          actions: ['s3:PutObject'],
          resources: [`${bucketArn}/${ARCHIVE_ACCESS_LOG_PREFIX}*`],
          principals: [{ type: 'Service', identifiers: [context.servicePrincipal('logging.s3')] }],
          conditions: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [context.accountId] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:${context.partition}:s3:::${context.names.auditBucket(context.accountId)}`] },
          ],
        },
      ],
    });
    const bucket = this.privateBucket('archive', {
      name: context.names.auditBucket(context.accountId),
      encryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
      // A transcript overwritten from inside a session stays as a noncurrent version: kept for a year.
      noncurrentDays: 365,
    });
    // Every read of a transcript (and every write, with its caller) is recorded: Security Hub S3.9.
    new S3BucketLoggingA(this, 'archive-access-logging', {
      bucket: bucket.id,
      targetBucket: accessLogs.id,
      targetPrefix: ARCHIVE_ACCESS_LOG_PREFIX,
    });
    return { archive: bucket, accessLogs };
  }

  /**
   * A bucket nobody outside the account can reach: full public access block, ACLs off, versioning, default
   * encryption, TLS 1.2+ only, and a lifecycle to colder storage. Audit records are not thrown away with the
   * stack (no force_destroy): empty a bucket by hand to destroy it.
   */
  private privateBucket(id: string, options: PrivateBucketOptions): S3Bucket {
    const bucket = new S3Bucket(this, id, { bucket: options.name, forceDestroy: false });
    new S3BucketPublicAccessBlock(this, `${id}-public-access-block`, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, `${id}-ownership`, {
      bucket: bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketVersioningA(this, `${id}-versioning`, {
      bucket: bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, `${id}-encryption`, {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: options.encryption, bucketKeyEnabled: options.encryption.sseAlgorithm === 'aws:kms' }],
    });
    new S3BucketLifecycleConfiguration(this, `${id}-lifecycle`, {
      bucket: bucket.id,
      // Objects under 128 KB (most transcripts, every access log) stay in S3 Standard: each object in Standard-IA is
      // billed as 128 KB at least, and one in Glacier carries 40 KB of index, so moving small ones costs more than it
      // saves. This is S3's default since September 2024; stated so the plan shows it and a changed default cannot
      // move them. https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
      transitionDefaultMinimumObjectSize: SMALL_OBJECTS_STAY,
      rule: [
        {
          id: id === 'archive' ? 'archive-sessions' : `${id}-records`,
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: [
            { days: 30, storageClass: 'STANDARD_IA' },
            { days: 90, storageClass: 'GLACIER' },
          ],
          noncurrentVersionExpiration: [{ noncurrentDays: options.noncurrentDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const policy = new PolicyDocument(this, `${id}-policy`, [
      {
        sid: 'DenyRequestsWithoutTls',
        effect: 'Deny',
        actions: ['s3:*'],
        resources: [bucket.arn, `${bucket.arn}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
        conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
      {
        sid: 'DenyOldTlsVersions',
        effect: 'Deny',
        actions: ['s3:*'],
        resources: [bucket.arn, `${bucket.arn}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
        conditions: [{ test: 'NumericLessThan', variable: 's3:TlsVersion', values: ['1.2'] }],
      },
      ...(options.statements?.(bucket.arn) ?? []),
    ]);
    new S3BucketPolicy(this, `${id}-bucket-policy`, { bucket: bucket.id, policy: policy.json });
    return bucket;
  }
}
