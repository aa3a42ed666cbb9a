import type { IamRequest } from '../../cli/permissions';
import type { IamPolicyJson } from './iam-model';
import { DEPLOYMENTS, deploymentOf, WHERE } from './deployments';
import { decide, roleSession, servicePrincipal } from './simulate';

/**
 * The service principals that assume the stack's roles or use its key and buckets, simulated against the trust,
 * key and bucket policies: each may do what it does for this deployment, and nothing for another account,
 * cluster, log group or bucket (the confused-deputy conditions). And the S3 gateway endpoint: restrictive in a
 * VPC of the bastion's own, neutral for everyone else in a VPC it shares.
 */

const OTHER_ACCOUNT = '210987654321';
const ALLOW_ALL: IamPolicyJson = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

describe.each(DEPLOYMENTS)('services of $label', ({ stack, input }) => {
  const deployment = deploymentOf(stack, input);
  const { model, names, arn } = deployment;
  const existingVpc = input.network?.mode === 'existing';
  const assume = (role: string, context: Record<string, string>): IamRequest => ({
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${WHERE.accountId}:role/${role}`,
    context,
  });

  const trusts: [string, string, Record<string, string> | undefined, Record<string, string>][] =
    stack === 'ecs-bastion'
      ? [
          [
            names.resource('task'),
            'ecs-tasks.amazonaws.com',
            { 'aws:SourceAccount': WHERE.accountId, 'aws:SourceArn': arn('ecs', `task/${names.ecsCluster}/0123`) },
            { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': arn('ecs', 'task/x/0123', { account: OTHER_ACCOUNT }) },
          ],
          [
            names.resource('execution'),
            'ecs-tasks.amazonaws.com',
            { 'aws:SourceAccount': WHERE.accountId, 'aws:SourceArn': arn('ecs', `task/${names.ecsCluster}/0123`) },
            { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': arn('ecs', 'task/x/0123', { account: OTHER_ACCOUNT }) },
          ],
          [names.resource('ecr-cache-creation'), 'ecr.amazonaws.com', undefined, {}],
        ]
      : [
          [names.resource('bastion'), 'ec2.amazonaws.com', undefined, {}],
          [names.resource('patch-window'), 'ssm.amazonaws.com', { 'aws:SourceAccount': WHERE.accountId }, { 'aws:SourceAccount': OTHER_ACCOUNT }],
        ];
  if (!existingVpc) {
    trusts.push([
      names.resource('vpc-flow-logs'),
      'vpc-flow-logs.amazonaws.com',
      { 'aws:SourceAccount': WHERE.accountId, 'aws:SourceArn': arn('ec2', 'vpc-flow-log/fl-0123456789abcdef0') },
      { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': arn('ec2', 'vpc-flow-log/fl-0123456789abcdef0', { account: OTHER_ACCOUNT }) },
    ]);
  }

  it.each(trusts)('lets only its service assume %s, for this account', async (role, service, context, foreign) => {
    expect(await decide(model, servicePrincipal(service), assume(role, context ?? {}))).toBe('Allowed');
    expect(await decide(model, servicePrincipal('lambda.amazonaws.com'), assume(role, context ?? {}))).not.toBe('Allowed');
    if (context) expect(await decide(model, servicePrincipal(service), assume(role, foreign))).not.toBe('Allowed');
  });

  it('lets CloudWatch Logs use the key for every log group of the stack, and for no other group', async () => {
    const logs = servicePrincipal(`logs.${WHERE.region}.amazonaws.com`);
    const groups = Object.values(model.tf.resource?.aws_cloudwatch_log_group ?? {}).map((group) => String(group.name));
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const group of groups) {
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt']) {
        const request = { action, resource: model.keyArn(), context: { 'kms:EncryptionContext:aws:logs:arn': arn('logs', `log-group:${group}`) } };
        expect({ group, action, decision: await decide(model, logs, request) }).toEqual({ group, action, decision: 'Allowed' });
      }
    }
    const other = { action: 'kms:Decrypt', resource: model.keyArn(), context: { 'kms:EncryptionContext:aws:logs:arn': arn('logs', 'log-group:/payments/api') } };
    expect(await decide(model, logs, other)).not.toBe('Allowed');
  });

  if (stack === 'ecs-bastion') {
    it('lets Fargate encrypt the ephemeral storage of this cluster only, and grant itself Decrypt only', async () => {
      const fargate = servicePrincipal('fargate.amazonaws.com');
      const thisCluster = { 'kms:EncryptionContext:aws:ecs:clusterAccount': WHERE.accountId, 'kms:EncryptionContext:aws:ecs:clusterName': names.ecsCluster };
      expect(await decide(model, fargate, { action: 'kms:GenerateDataKeyWithoutPlaintext', resource: model.keyArn(), context: thisCluster })).toBe('Allowed');
      expect(await decide(model, fargate, { action: 'kms:CreateGrant', resource: model.keyArn(), context: { ...thisCluster, 'kms:GrantOperations': ['Decrypt'] } })).toBe('Allowed');
      expect(
        await decide(model, fargate, { action: 'kms:CreateGrant', resource: model.keyArn(), context: { ...thisCluster, 'kms:GrantOperations': ['Decrypt', 'Encrypt'] } }),
      ).not.toBe('Allowed');
      const otherCluster = { ...thisCluster, 'kms:EncryptionContext:aws:ecs:clusterName': 'payments-prod' };
      expect(await decide(model, fargate, { action: 'kms:GenerateDataKeyWithoutPlaintext', resource: model.keyArn(), context: otherCluster })).not.toBe('Allowed');
    });
  }

  it('lets S3 deliver the archive’s access logs, and only the archive’s', async () => {
    const delivery = servicePrincipal('logging.s3.amazonaws.com');
    const logs = `arn:aws:s3:::${names.accessLogBucket(WHERE.accountId)}`;
    const from = (bucket: string, account: string = WHERE.accountId) => ({
      'aws:SourceArn': `arn:aws:s3:::${bucket}`,
      'aws:SourceAccount': account,
      'aws:SecureTransport': 'true',
      's3:TlsVersion': '1.2',
    });
    const archive = names.auditBucket(WHERE.accountId);
    expect(await decide(model, delivery, { action: 's3:PutObject', resource: `${logs}/archive/2026-12-01-00-00-00-ABCDEF`, context: from(archive) })).toBe('Allowed');
    expect(await decide(model, delivery, { action: 's3:PutObject', resource: `${logs}/archive/x`, context: from('payments-exports') })).not.toBe('Allowed');
    expect(await decide(model, delivery, { action: 's3:PutObject', resource: `${logs}/archive/x`, context: from(archive, OTHER_ACCOUNT) })).not.toBe('Allowed');
    expect(await decide(model, delivery, { action: 's3:GetObject', resource: `${logs}/archive/x`, context: from(archive) })).not.toBe('Allowed');
  });

  it('refuses plain HTTP and old TLS to both buckets, whoever asks', async () => {
    const admin = roleSession('an administrator', WHERE, 'Admin', 'root-cause', [ALLOW_ALL]);
    for (const bucket of [names.auditBucket(WHERE.accountId), names.accessLogBucket(WHERE.accountId)]) {
      const object = `arn:aws:s3:::${bucket}/x`;
      expect(await decide(model, admin, { action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' } })).toBe('Allowed');
      expect(await decide(model, admin, { action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'false' } })).toBe('ExplicitlyDenied');
      expect(await decide(model, admin, { action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.1' } })).toBe(
        'ExplicitlyDenied',
      );
    }
  });

  // Another workload of the VPC, whose own identity policy lets it use its own bucket.
  const workload = roleSession('another workload of the VPC', WHERE, 'payments-api', 'i-0aaaaaaaaaaaaaaaa', [ALLOW_ALL], { inVpc: true });
  const itsBucket: IamRequest = { action: 's3:GetObject', resource: 'arn:aws:s3:::payments-exports/dump.csv', context: { 'aws:SecureTransport': 'true' } };
  if (existingVpc) {
    it('leaves the S3 access of other workloads as it was: no endpoint policy of its own in a shared VPC, also when asked to create one', async () => {
      expect(model.s3EndpointPolicy()).toBeUndefined();
      expect(await decide(model, workload, itsBucket)).toBe('Allowed');
      const created = deploymentOf(stack, { ...input, endpoints: { s3: 'create' } });
      expect(created.model.hasS3GatewayEndpoint()).toBe(true);
      expect(created.model.s3EndpointPolicy()).toBeUndefined();
    });
  } else {
    it('limits what passes the S3 endpoint of its own VPC to the buckets the bastion needs', async () => {
      expect(model.s3EndpointPolicy()).toBeDefined();
      expect(await decide(model, workload, itsBucket)).toBe('ImplicitlyDenied');
      const archiveObject = `arn:aws:s3:::${names.auditBucket(WHERE.accountId)}/x`;
      const foreign = roleSession('a role of another account', { partition: 'aws', accountId: OTHER_ACCOUNT }, 'exfil', 's', [ALLOW_ALL], { inVpc: true });
      // The archive admits this account's principals only (aws:PrincipalAccount), whatever their credentials allow.
      expect(await decide(model, foreign, { action: 's3:PutObject', resource: archiveObject, context: { 'aws:SecureTransport': 'true' } })).not.toBe('Allowed');
    });
  }
});
