import { allow, arn, bucketArn, type Deployment, type ExpectedPolicies, keyArn, logGroupName, logGroupNameRef, resourceName, when } from './deployment';

/** The exact grants of modules/auditor: the read-only auditor policy of each stack. */
export function auditorPolicy(d: Deployment): ExpectedPolicies {
  const transcripts = d.stack === 'ecs-bastion' ? { purpose: 'exec', prefix: 'ecs-exec/' } : { purpose: 'sessions', prefix: 'session-manager/' };
  const logGroup = arn(d, 'logs', `log-group:${logGroupNameRef(d, logGroupName(d, transcripts.purpose))}`);
  const archive = d.archive ? bucketArn(d, 'audit') : undefined;
  const accessLogs = d.archive ? bucketArn(d, 'access') : undefined;
  return {
    [`managed policy ${resourceName(d, 'auditor')}`]: [
      allow('ListSessionHistoryNoResourceScopeExists', ['ssm:DescribeSessions'], ['*']),
      allow('LookUpSessionEventsInCloudTrailNoResourceScopeExists', ['cloudtrail:LookupEvents'], ['*']),
      allow('ReadSessionTranscriptsInTheStacksLogGroup', ['logs:DescribeLogStreams', 'logs:GetLogEvents'], [logGroup, `${logGroup}:log-stream:*`]),
      ...(d.stack === 'ec2-bastion' ? [allow('FindTheStacksInstancesNoResourceScopeExists', ['ec2:DescribeInstances'], ['*'])] : []),
      ...(archive
        ? [
            allow(
              'ListTranscriptKeysUnderTheArchivePrefixOnly',
              ['s3:ListBucket', 's3:ListBucketVersions'],
              [archive],
              when('StringLike', 's3:prefix', `${transcripts.prefix}*`),
            ),
            allow('ReadArchivedTranscriptsOnly', ['s3:GetObject', 's3:GetObjectVersion'], [`${archive}/${transcripts.prefix}*`]),
            allow('ListTheArchiveAccessLogsOnly', ['s3:ListBucket'], [accessLogs!], when('StringLike', 's3:prefix', 'archive/*')),
            allow('ReadTheArchiveAccessLogsOnly', ['s3:GetObject'], [`${accessLogs}/archive/*`]),
            allow(
              'DecryptArchivedTranscriptsThroughS3Only',
              ['kms:Decrypt'],
              [keyArn(d)],
              when('StringEquals', 'kms:ViaService', `s3.${d.region}.amazonaws.com`),
              when('StringLike', 'kms:EncryptionContext:aws:s3:arn', archive, `${archive}/${transcripts.prefix}*`),
            ),
          ]
        : []),
    ],
  };
}
