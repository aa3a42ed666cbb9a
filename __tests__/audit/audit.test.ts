import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { archiveBucket, ref, resourceWhere, statement, statementsOf } from '../support/resources';
import type { StackName } from '../../modules/config';
import { policyStatements, resourcesOfType, synthStack, TEST_ACCOUNT } from '../support/synth';

// The audit trail is part of the shared foundation: every property holds for both stacks, each with its own
// key, log groups and buckets (`ecs` or `ec2` in their names).
const STACKS: [StackName, 'ecs' | 'ec2'][] = [
  ['ecs-bastion', 'ecs'],
  ['ec2-bastion', 'ec2'],
];

describe.each(STACKS)('AuditTrail of %s', (stack, short) => {
  const { json, tf } = synthStack(stack, { namePrefix: 'team-a', region: 'eu-central-1' });

  it('creates a customer-managed key with yearly rotation and a 30-day deletion window', () => {
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30 });
  });

  it('lets CloudWatch Logs use the key only for this deployment’s log groups', () => {
    const keyPolicy = Object.entries(policyStatements(tf)).find(([name]) => name.includes('key-policy'))![1];
    const logs = keyPolicy.find((s) => s.principals?.some((p) => p.identifiers.includes('logs.eu-central-1.amazonaws.com')));
    expect(logs).toBeDefined();
    expect(logs!.condition).toEqual([
      {
        test: 'ArnLike',
        variable: 'kms:EncryptionContext:aws:logs:arn',
        values: [
          `arn:aws:logs:eu-central-1:${TEST_ACCOUNT}:log-group:/team-a/${short}/*`,
          // The Container Insights group of the ECS cluster, which that stack creates encrypted.
          ...(stack === 'ecs-bastion' ? [`arn:aws:logs:eu-central-1:${TEST_ACCOUNT}:log-group:/aws/ecs/containerinsights/team-a-ecs/performance`] : []),
        ],
      },
    ]);
  });

  it('grants no wildcard action in the key policy', () => {
    const keyPolicy = Object.entries(policyStatements(tf)).find(([name]) => name.includes('key-policy'))![1];
    for (const statement of keyPolicy) for (const action of statement.actions ?? []) expect(action).not.toMatch(/\*/);
  });

  it('encrypts every log group with the audit key and sets the retention from log_retention_days (default: the configuration)', () => {
    const groups = Object.values(resourcesOfType(tf, 'aws_cloudwatch_log_group'));
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
      expect(group.retention_in_days).toBe('${var.log_retention_days}');
    }
    expect(tf.variable!.log_retention_days).toMatchObject({ type: 'number', default: 365, nullable: false });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: `/team-a/${short}/vpc-flow-logs` });
  });

  it('names the archive bucket after the prefix, account and region', () => {
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: `team-a-${short}-audit-${TEST_ACCOUNT}-eu-central-1`, force_destroy: false });
  });

  it('encrypts the archive with the audit key (SSE-KMS, bucket key)', () => {
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        expect.objectContaining({
          apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key/) }),
          bucket_key_enabled: true,
        }),
      ],
    });
  });

  it('keeps the archive private, versioned and owner-enforced', () => {
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('moves old sessions to cheaper storage, and keeps a replaced transcript as a noncurrent version for a year', () => {
    const archive = archiveBucket(tf);
    const lifecycle = resourceWhere(tf, 'aws_s3_bucket_lifecycle_configuration', 'bucket', ref('aws_s3_bucket', archive.name, 'id'));
    expect(lifecycle.body.rule).toEqual([
      expect.objectContaining({
        status: 'Enabled',
        transition: [
          { days: 30, storage_class: 'STANDARD_IA' },
          { days: 90, storage_class: 'GLACIER' },
        ],
        noncurrent_version_expiration: [{ noncurrent_days: 365 }],
      }),
    ]);
  });

  it('keeps an overwritten or deleted access log as a noncurrent version for 90 days: the record of who read a transcript', () => {
    const logs = resourceWhere(tf, 'aws_s3_bucket', 'bucket', `team-a-${short}-access-${TEST_ACCOUNT}-eu-central-1`);
    const lifecycle = resourceWhere(tf, 'aws_s3_bucket_lifecycle_configuration', 'bucket', ref('aws_s3_bucket', logs.name, 'id'));
    expect(lifecycle.body.rule).toEqual([expect.objectContaining({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] })]);
  });

  it('aborts an upload left incomplete for a week in both buckets, so its parts are not billed (and kept) forever', () => {
    const rules = Object.values(resourcesOfType(tf, 'aws_s3_bucket_lifecycle_configuration')).flatMap((lifecycle) => lifecycle.rule as Record<string, unknown>[]);
    expect(rules).toHaveLength(2);
    for (const rule of rules) expect(rule).toMatchObject({ status: 'Enabled', filter: [{ prefix: '' }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] });
  });

  it('leaves objects under 128 KB in S3 Standard in both buckets, where moving them would cost more than it saves', () => {
    const lifecycles = Object.values(resourcesOfType(tf, 'aws_s3_bucket_lifecycle_configuration'));
    expect(lifecycles).toHaveLength(2);
    for (const lifecycle of lifecycles) expect(lifecycle.transition_default_minimum_object_size).toBe('all_storage_classes_128K');
  });

  it('logs every request to the archive into a bucket of its own, which only S3 log delivery for this archive may write', () => {
    const archive = archiveBucket(tf);
    const logs = resourceWhere(tf, 'aws_s3_bucket', 'bucket', `team-a-${short}-access-${TEST_ACCOUNT}-eu-central-1`);
    expect(json).toHaveResourceWithProperties(S3BucketLoggingA, {
      bucket: ref('aws_s3_bucket', archive.name, 'id'),
      target_bucket: ref('aws_s3_bucket', logs.name, 'id'),
      target_prefix: 'archive/',
    });
    // S3 delivers access logs only to SSE-S3 destinations.
    const encryption = resourceWhere(tf, 'aws_s3_bucket_server_side_encryption_configuration', 'bucket', ref('aws_s3_bucket', logs.name, 'id'));
    expect(encryption.body.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false }]);
    const policy = statementsOf(tf, resourceWhere(tf, 'aws_s3_bucket_policy', 'bucket', ref('aws_s3_bucket', logs.name, 'id')).body.policy);
    expect(statement(policy, 'S3DeliversTheArchiveAccessLogs')).toEqual({
      sid: 'S3DeliversTheArchiveAccessLogs',
      effect: 'Allow',
      actions: ['s3:PutObject'],
      resources: [`${ref('aws_s3_bucket', logs.name, 'arn')}/archive/*`],
      principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
      condition: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [TEST_ACCOUNT] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:s3:::team-a-${short}-audit-${TEST_ACCOUNT}-eu-central-1`] },
      ],
    });
    expect(policy.filter((s) => (s.effect ?? 'Allow') === 'Allow')).toHaveLength(1);
  });

  it('refuses plain-HTTP and old-TLS requests to the archive', () => {
    const bucketPolicy = Object.entries(policyStatements(tf)).find(([name]) => name.includes('archive-policy'))![1];
    expect(bucketPolicy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }),
        expect.objectContaining({ effect: 'Deny', condition: [{ test: 'NumericLessThan', variable: 's3:TlsVersion', values: ['1.2'] }] }),
      ]),
    );
  });

  it('creates no bucket when the archive is off', () => {
    const { tf: withoutArchive } = synthStack(stack, { audit: { s3Archive: false, logRetentionDays: 30 } });
    expect(resourcesOfType(withoutArchive, 'aws_s3_bucket')).toEqual({});
    expect(withoutArchive.variable!.log_retention_days.default).toBe(30);
  });
});
