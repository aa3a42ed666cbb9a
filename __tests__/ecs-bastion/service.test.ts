import type {} from 'cdktf/lib/testing/adapters/jest';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { resourcesOfType } from '../support/synth';
import { onlyResource, ref, resourceWhere, synthEcs } from './support';

describe('BastionService', () => {
  const { json, tf } = synthEcs();
  const service = onlyResource(tf, 'aws_ecs_service').body;

  it('runs the task definition in the bastion cluster with ECS Exec on the LATEST platform', () => {
    expect(json).toHaveResourceWithProperties(EcsService, {
      name: 'ssm-bastion-ecs-bastion',
      cluster: ref('aws_ecs_cluster', onlyResource(tf, 'aws_ecs_cluster').name, 'arn'),
      task_definition: ref('aws_ecs_task_definition', onlyResource(tf, 'aws_ecs_task_definition').name, 'arn'),
      enable_execute_command: true,
      platform_version: 'LATEST',
    });
  });

  it('places tasks in the private subnets with the bastion security group and no public IP', () => {
    const subnets = Object.keys(resourcesOfType(tf, 'aws_subnet')).map((name) => ref('aws_subnet', name, 'id'));
    const bastionGroup = resourceWhere(tf, 'aws_security_group', 'name', 'ssm-bastion-ecs-bastion').name;
    expect(subnets).toHaveLength(2);
    expect(service.network_configuration).toEqual({
      subnets: expect.arrayContaining(subnets),
      security_groups: [ref('aws_security_group', bastionGroup, 'id')],
      assign_public_ip: false,
    });
  });

  it('rolls a failing deployment back instead of restarting tasks forever', () => {
    expect(json).toHaveResourceWithProperties(EcsService, { deployment_circuit_breaker: { enable: true, rollback: true } });
  });

  it('runs on FARGATE, or FARGATE_SPOT with ecs.spot', () => {
    expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE', weight: 1 }]);
    expect(synthEcs({ ecs: { spot: true, architecture: 'x86_64' } }).json).toHaveResourceWithProperties(EcsService, {
      capacity_provider_strategy: [{ capacity_provider: 'FARGATE_SPOT', weight: 1 }],
    });
  });

  it('runs ecs.desiredCount tasks while bastion_enabled is true and none while parked', () => {
    expect(service.desired_count).toBe('${var.bastion_enabled ? var.ecs_desired_count : 0}');
    const three = synthEcs({ ecs: { desiredCount: 3 } });
    expect(three.json).toHaveResourceWithProperties(EcsService, { desired_count: '${var.bastion_enabled ? var.ecs_desired_count : 0}' });
    expect(three.tf.variable!.ecs_desired_count.default).toBe(3);
  });

  it('is not counted: parking keeps the service, so the operator CLI still finds it and reports it parked', () => {
    expect(service).not.toHaveProperty('count');
  });

  it('starts tasks only after the capacity providers, the role policies, the endpoints and the security group rules exist', () => {
    const dependsOn = service.depends_on as string[];
    const expected = [
      ...Object.keys(resourcesOfType(tf, 'aws_ecs_cluster_capacity_providers')).map((n) => `aws_ecs_cluster_capacity_providers.${n}`),
      ...Object.entries(resourcesOfType(tf, 'aws_iam_role_policy'))
        .filter(([, policy]) => /ecs-(task|execution)/.test(String(resourcesOfType(tf, 'aws_iam_role')[/aws_iam_role\.([^.]+)\./.exec(String(policy.role))![1]].name)))
        .map(([n]) => `aws_iam_role_policy.${n}`),
      ...Object.keys(resourcesOfType(tf, 'aws_vpc_endpoint')).map((n) => `aws_vpc_endpoint.${n}`),
      ...Object.keys(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule')).map((n) => `aws_vpc_security_group_egress_rule.${n}`),
    ];
    expect(expected.filter((e) => e.startsWith('aws_vpc_endpoint.'))).toHaveLength(6);
    expect(expected.filter((e) => e.startsWith('aws_iam_role_policy.'))).toHaveLength(2);
    expect(dependsOn).toEqual(expect.arrayContaining(expected));
  });

  it('starts tasks only after both of its log groups exist: the awslogs driver does not create the container group, ECS Exec the transcript group', () => {
    const logGroups = ['/ssm-bastion/ecs/container', '/ssm-bastion/ecs/exec'].map((name) => `aws_cloudwatch_log_group.${resourceWhere(tf, 'aws_cloudwatch_log_group', 'name', name).name}`);
    expect(service.depends_on).toEqual(expect.arrayContaining(logGroups));
  });

  it('propagates the service tags to its tasks', () => {
    expect(json).toHaveResourceWithProperties(EcsService, { propagate_tags: 'SERVICE', enable_ecs_managed_tags: true });
  });
});
