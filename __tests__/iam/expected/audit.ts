import type { PolicyStatementJson } from '../../support/synth';
import { allow, arn, bucketArn, bucketName, type Deployment, type ExpectedPolicies, forPrincipal, logGroupName, when } from './deployment';

/** The exact grants of modules/audit: the audit key's policy (its shared part) and the two bucket policies. */

/** Key administration, written out instead of kms:* (AWS's recommended root statement, without the wildcard). */
const KEY_ADMINISTRATION = [
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
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/** What a principal that encrypts and decrypts with the key may do with it. */
const KEY_USE = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * The key policy statements both stacks have: the account administers and uses the key through IAM (so the
 * roles' own policies decide), AWS services get grants for AWS resources only, and CloudWatch Logs of the region
 * uses it for this stack's log groups only (`/<prefix>/<ecs|ec2>/*` and the service-named groups it creates).
 */
export function sharedKeyPolicy(d: Deployment, serviceLogGroups: string[]): PolicyStatementJson[] {
  const root = arn(d, 'iam', 'root', { region: '' });
  const logGroupArns = [logGroupName(d, '*'), ...serviceLogGroups].map((name) => arn(d, 'logs', `log-group:${name}`));
  return [
    forPrincipal(allow('AccountAdministersKeyThroughIam', KEY_ADMINISTRATION, ['*']), 'AWS', root),
    forPrincipal(allow('AccountUsesKeyThroughIam', KEY_USE, ['*']), 'AWS', root),
    forPrincipal(allow('AccountGrantsKeyToAwsServices', ['kms:CreateGrant'], ['*'], when('Bool', 'kms:GrantIsForAWSResource', 'true')), 'AWS', root),
    forPrincipal(
      allow('CloudWatchLogsEncryptsThisStacksLogGroups', KEY_USE, ['*'], when('ArnLike', 'kms:EncryptionContext:aws:logs:arn', ...logGroupArns)),
      'Service',
      `logs.${d.region}.amazonaws.com`,
    ),
  ];
}

/** TLS only, 1.2 or newer, for everyone: the two denies every bucket of the stacks carries. */
function tlsOnly(bucket: string): PolicyStatementJson[] {
  const everything = [bucket, `${bucket}/*`];
  return [
    forPrincipal({ ...allow('DenyRequestsWithoutTls', ['s3:*'], everything, when('Bool', 'aws:SecureTransport', 'false')), effect: 'Deny' }, '*', '*'),
    forPrincipal({ ...allow('DenyOldTlsVersions', ['s3:*'], everything, when('NumericLessThan', 's3:TlsVersion', '1.2')), effect: 'Deny' }, '*', '*'),
  ];
}

/** The bucket policies: none without the archive; with it, TLS only on both, and S3 log delivery into the access-log bucket. */
export function bucketPolicies(d: Deployment): ExpectedPolicies {
  if (!d.archive) return {};
  const accessLogs = bucketArn(d, 'access');
  return {
    [`bucket ${bucketName(d, 'audit')}`]: tlsOnly(bucketArn(d, 'audit')),
    [`bucket ${bucketName(d, 'access')}`]: [
      ...tlsOnly(accessLogs),
      forPrincipal(
        allow(
          'S3DeliversTheArchiveAccessLogs',
          ['s3:PutObject'],
          [`${accessLogs}/archive/*`],
          when('StringEquals', 'aws:SourceAccount', d.account),
          when('ArnLike', 'aws:SourceArn', `arn:aws:s3:::${bucketName(d, 'audit')}`),
        ),
        'Service',
        'logging.s3.amazonaws.com',
      ),
    ],
  };
}
