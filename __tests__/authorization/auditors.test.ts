import { awsCliRequests, CLI_COMMAND_CALLS, CLI_COMMAND_PRINCIPAL, CLI_COMMANDS, type IamRequest, SDK_REQUESTS } from '../../cli/permissions';
import type { Variant } from '../../cli/variants';
import { DEPLOYMENTS, deploymentOf, INSTANCE_ID, WHERE } from './deployments';
import { allowed, refused, roleSession } from './simulate';

/**
 * The auditor policy, simulated with the key and bucket policies: every request of `bastion sessions` and
 * `bastion transcript` is allowed (S3 reads under the archive's TLS-only policy, the SSE-KMS decrypt under the key
 * policy); starting sessions, ECS Exec, waking or parking, and writing to the logs or the archive are refused.
 */

const TLS = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };

describe.each(DEPLOYMENTS)('auditors of $label', ({ stack, input }) => {
  const deployment = deploymentOf(stack, input);
  const variant: Variant = stack === 'ecs-bastion' ? 'ecs' : 'ec2';
  const policy = deployment.model.managedPolicy(`ssm-bastion-${variant}-auditor`);
  const auditors = [
    roleSession('auditor (IAM role)', WHERE, 'SecurityAuditors', 'carol', [policy]),
    roleSession('auditor (IAM Identity Center)', WHERE, 'AWSReservedSSO_BastionAuditor_0123456789abcdef', 'carol@example.com', [policy], { roleId: 'AROASSOAUDITORROLE01' }),
  ];
  const facts = deployment.facts('alice');

  it.each(auditors.map((auditor) => [auditor.label, auditor] as const))('lets an %s make every call of sessions and transcript', async (_label, auditor) => {
    const requests = CLI_COMMANDS.filter((command) => CLI_COMMAND_PRINCIPAL[command] === 'auditor').flatMap((command) =>
      CLI_COMMAND_CALLS[command][variant].sdk.flatMap((name) => SDK_REQUESTS[name]!(facts, variant)),
    );
    expect(requests.map((request) => request.action)).toEqual(expect.arrayContaining(['s3:GetObject', 'kms:Decrypt', 'logs:GetLogEvents', 'ssm:DescribeSessions']));
    expect(await refused(deployment.model, auditor, requests)).toEqual([]);
  });

  it('lets an auditor find the evidence of an overwrite: a transcript\'s earlier versions and the archive\'s access logs', async () => {
    const archive = `arn:aws:s3:::${deployment.names.auditBucket(WHERE.accountId)}`;
    const accessLogs = `arn:aws:s3:::${deployment.names.accessLogBucket(WHERE.accountId)}`;
    const prefix = variant === 'ecs' ? 'ecs-exec/' : 'session-manager/';
    const evidence: IamRequest[] = [
      { action: 's3:ListBucketVersions', resource: archive, context: { ...TLS, 's3:prefix': prefix } },
      { action: 's3:GetObjectVersion', resource: `${archive}/${prefix}alice-0a1b2c3d4e5f67890.log`, context: TLS },
      {
        action: 'kms:Decrypt',
        resource: facts.kmsKeyArn,
        context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': archive },
        note: 'the earlier version, decrypted through S3',
      },
      { action: 's3:ListBucket', resource: accessLogs, context: { ...TLS, 's3:prefix': 'archive/' } },
      { action: 's3:GetObject', resource: `${accessLogs}/archive/2026-12-02-10-00-00-0123456789ABCDEF`, context: TLS },
    ];
    for (const auditor of auditors) expect(await refused(deployment.model, auditor, evidence)).toEqual([]);
  });

  it('refuses starting sessions, ECS Exec, start/stop and park/wake, and writes to the logs or the archive', async () => {
    const operatorCalls = [
      ...(['connect', 'shell'] as const).flatMap((command) => CLI_COMMAND_CALLS[command][variant].awsCli.flatMap((call) => awsCliRequests(call, variant, facts))),
      ...['UpdateServiceCommand', 'StartInstancesCommand', 'StopInstancesCommand'].flatMap((command) => SDK_REQUESTS[command]!(facts, variant)),
    ];
    const archive = `arn:aws:s3:::${deployment.names.auditBucket(WHERE.accountId)}`;
    const group = deployment.arn('logs', `log-group:${deployment.names.logGroup(variant === 'ecs' ? 'exec' : 'sessions')}`);
    const transcript = `${archive}/${variant === 'ecs' ? 'ecs-exec' : 'session-manager'}/x.log`;
    const writes: IamRequest[] = [
      { action: 's3:PutObject', resource: transcript, context: TLS },
      { action: 's3:DeleteObject', resource: transcript, context: TLS },
      { action: 's3:DeleteObjectVersion', resource: transcript, context: TLS },
      { action: 's3:RestoreObject', resource: transcript, context: TLS },
      { action: 's3:PutBucketPolicy', resource: archive, context: TLS },
      { action: 's3:PutLifecycleConfiguration', resource: archive, context: TLS },
      { action: 'logs:CreateLogStream', resource: `${group}:log-stream:forged` },
      { action: 'logs:PutLogEvents', resource: `${group}:log-stream:forged` },
      { action: 'logs:DeleteLogStream', resource: `${group}:log-stream:x` },
      { action: 'logs:PutRetentionPolicy', resource: group },
      { action: 'kms:GenerateDataKey', resource: facts.kmsKeyArn, context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      { action: 'ssm:SendCommand', resource: deployment.arn('ec2', `instance/${INSTANCE_ID}`) },
      { action: 'ssm:StartSession', resource: deployment.arn('ec2', `instance/${INSTANCE_ID}`), context: { 'ssm:SessionDocumentAccessCheck': 'true' } },
    ];
    // Reads beyond the transcripts: other prefixes and log groups of the stack, or the key outside S3.
    const otherReads: IamRequest[] = [
      { action: 's3:GetObject', resource: `${archive}/patching/install/output`, context: TLS, note: 'outside the transcript prefix' },
      { action: 's3:ListBucket', resource: archive, context: { ...TLS, 's3:prefix': 'patching/' } },
      { action: 's3:ListBucketVersions', resource: archive, context: { ...TLS, 's3:prefix': 'patching/' } },
      { action: 's3:GetObjectVersion', resource: `${archive}/patching/install/output`, context: TLS, note: 'an earlier version outside the transcript prefix' },
      {
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${deployment.names.accessLogBucket(WHERE.accountId)}`,
        context: { ...TLS, 's3:prefix': 'other/' },
        note: 'the access-log bucket outside the archive\'s logs',
      },
      { action: 'logs:GetLogEvents', resource: deployment.arn('logs', `log-group:${deployment.names.logGroup('vpc-flow-logs')}:log-stream:eni-1`) },
      { action: 'kms:Decrypt', resource: facts.kmsKeyArn, context: { 'kms:CallerAccount': WHERE.accountId }, note: 'not through S3' },
      {
        action: 'kms:Decrypt',
        resource: facts.kmsKeyArn,
        context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::someone-elses-bucket' },
        note: 'through S3, for another bucket',
      },
    ];
    expect(operatorCalls.map((r) => r.action)).toEqual(
      expect.arrayContaining(variant === 'ecs' ? ['ecs:ExecuteCommand', 'ssm:StartSession', 'ecs:UpdateService'] : ['ssm:StartSession', 'ec2:StartInstances', 'ec2:StopInstances']),
    );
    for (const auditor of auditors) expect(await allowed(deployment.model, auditor, [...operatorCalls, ...writes, ...otherReads])).toEqual([]);
  });
});
