import type {} from 'cdktf/lib/testing/adapters/jest';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { Testing } from 'cdktf';
import { parseConfig } from '../../modules/config';
import { deploymentContext } from '../../modules/context';
import { BastionCluster } from '../../modules/ecs-bastion';
import { TEST_ACCOUNT } from '../support/synth';
import { archiveBucket, keyPolicyStatements, onlyResource, ref, resourceWhere, statement, synthEcs } from './support';

describe('BastionCluster', () => {
  const { json, tf } = synthEcs({ namePrefix: 'team-a' });
  const key = onlyResource(tf, 'aws_kms_key').name;
  const execLogs = resourceWhere(tf, 'aws_cloudwatch_log_group', 'name', '/team-a/ecs/exec').name;
  const bucket = archiveBucket(tf).name;

  it('is named after the prefix', () => {
    expect(json).toHaveResourceWithProperties(EcsCluster, { name: 'team-a-ecs' });
  });

  it('encrypts ECS Exec sessions with the audit key and sends transcripts to the exec log group and the archive', () => {
    expect(json).toHaveResourceWithProperties(EcsCluster, {
      configuration: expect.objectContaining({
        execute_command_configuration: {
          kms_key_id: ref('aws_kms_key', key, 'arn'),
          logging: 'OVERRIDE',
          log_configuration: {
            cloud_watch_log_group_name: ref('aws_cloudwatch_log_group', execLogs, 'name'),
            cloud_watch_encryption_enabled: true,
            s3_bucket_name: ref('aws_s3_bucket', bucket, 'bucket'),
            s3_bucket_encryption_enabled: true,
            s3_key_prefix: 'ecs-exec/',
          },
        },
      }),
    });
  });

  it('encrypts Fargate ephemeral storage with the audit key (by key id: aliases are refused there)', () => {
    expect(json).toHaveResourceWithProperties(EcsCluster, {
      configuration: expect.objectContaining({ managed_storage_configuration: { fargate_ephemeral_storage_kms_key_id: ref('aws_kms_key', key, 'key_id') } }),
    });
  });

  it('lets Fargate use the audit key only for the ephemeral storage of this cluster in this account', () => {
    const statements = keyPolicyStatements(tf);
    const context = [
      { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:ecs:clusterAccount', values: [TEST_ACCOUNT] },
      { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:ecs:clusterName', values: ['team-a-ecs'] },
    ];
    const generate = statement(statements, 'FargateEncryptsEphemeralStorageOfTheBastionCluster');
    expect(generate).toMatchObject({ actions: ['kms:GenerateDataKeyWithoutPlaintext'], principals: [{ type: 'Service', identifiers: ['fargate.amazonaws.com'] }] });
    expect(generate.condition).toEqual(context);
    const grant = statement(statements, 'FargateDecryptsEphemeralStorageOfTheBastionCluster');
    expect(grant.actions).toEqual(['kms:CreateGrant']);
    expect(grant.condition).toEqual([...context, { test: 'ForAllValues:StringEquals', variable: 'kms:GrantOperations', values: ['Decrypt'] }]);
    const fargateActions = statements.filter((s) => s.principals?.some((p) => p.identifiers.includes('fargate.amazonaws.com'))).flatMap((s) => s.actions);
    expect(fargateActions.sort()).toEqual(['kms:CreateGrant', 'kms:GenerateDataKeyWithoutPlaintext']);
  });

  it('turns Container Insights on unless ecs.containerInsights is false', () => {
    expect(json).toHaveResourceWithProperties(EcsCluster, { setting: [{ name: 'containerInsights', value: 'enabled' }] });
    expect(synthEcs({ ecs: { containerInsights: false } }).json).toHaveResourceWithProperties(EcsCluster, {
      setting: [{ name: 'containerInsights', value: 'disabled' }],
    });
  });

  it('creates the Container Insights log group itself, encrypted and retained, before the cluster can write to it', () => {
    const insights = resourceWhere(tf, 'aws_cloudwatch_log_group', 'name', '/aws/ecs/containerinsights/team-a-ecs/performance');
    expect(insights.body).toMatchObject({ kms_key_id: ref('aws_kms_key', key, 'arn'), retention_in_days: '${var.log_retention_days}' });
    expect(onlyResource(tf, 'aws_ecs_cluster').body.depends_on).toEqual([`aws_cloudwatch_log_group.${insights.name}`]);
    // Without Container Insights, no such group.
    const off = synthEcs({ namePrefix: 'team-a', ecs: { containerInsights: false } }).tf;
    expect(Object.values(off.resource!.aws_cloudwatch_log_group).map((group) => group.name)).not.toContain('/aws/ecs/containerinsights/team-a-ecs/performance');
  });

  it('associates both Fargate capacity providers and defaults to FARGATE', () => {
    expect(json).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
      cluster_name: ref('aws_ecs_cluster', onlyResource(tf, 'aws_ecs_cluster').name, 'name'),
      capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
      default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 1 }],
    });
  });

  it('defaults to FARGATE_SPOT with ecs.spot (x86_64)', () => {
    const spot = synthEcs({ ecs: { spot: true, architecture: 'x86_64' } });
    expect(spot.json).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
      default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE_SPOT', weight: 1 }],
    });
  });

  it('logs to CloudWatch only when the session archive is off', () => {
    const noArchive = synthEcs({ audit: { s3Archive: false } });
    const cluster = onlyResource(noArchive.tf, 'aws_ecs_cluster').body as {
      configuration: { execute_command_configuration: { log_configuration: Record<string, unknown> } };
    };
    expect(Object.keys(cluster.configuration.execute_command_configuration.log_configuration).sort()).toEqual([
      'cloud_watch_encryption_enabled',
      'cloud_watch_log_group_name',
    ]);
  });
});

describe('BastionCluster used on its own', () => {
  it('turns Container Insights on when containerInsights is left out (its documented default)', () => {
    const context = deploymentContext(parseConfig({ region: 'eu-west-1', accountId: TEST_ACCOUNT, stacks: ['ecs-bastion'] }), 'ecs-bastion', TEST_ACCOUNT, 1);
    const synthesized = Testing.synthScope((scope) => {
      new BastionCluster(scope, 'cluster', { context, kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k', kmsKeyId: 'k', execLogGroupName: '/x/ecs/exec', capacityProvider: 'FARGATE' });
    });
    expect(synthesized).toHaveResourceWithProperties(EcsCluster, { setting: [{ name: 'containerInsights', value: 'enabled' }] });
  });
});
