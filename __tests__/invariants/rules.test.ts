import type { TerraformJson } from '../support/synth';
import {
  bucketsMissingProtection,
  bucketsWithoutAccessLogging,
  ingressOpenToTheWorld,
  logGroupsMissingEncryptionOrRetention,
  publicIpSettings,
  securityGroupRulesBeyondOneTcpPort,
  securityGroupRulesWithoutDescription,
  unscopableActionsOnResources,
  wildcardActionGrants,
  wildcardResourceGrants,
} from './rules';

// Each rule in pairs, as cdk-nag tests its rules: a compliant input passes, a non-compliant one is caught.

const policy = (statement: Record<string, unknown>): TerraformJson => ({
  data: { aws_iam_policy_document: { doc: { statement: [{ sid: 'S', effect: 'Allow', ...statement }] } } },
});

describe('invariant rules', () => {
  it('ingressOpenToTheWorld: catches 0.0.0.0/0 and ::/0, passes a security-group source', () => {
    expect(ingressOpenToTheWorld({ resource: { aws_vpc_security_group_ingress_rule: { a: { cidr_ipv4: '0.0.0.0/0' }, b: { cidr_ipv6: '::/0' } } } })).toHaveLength(2);
    expect(ingressOpenToTheWorld({ resource: { aws_security_group: { g: { ingress: [{ cidr_blocks: ['0.0.0.0/0'] }] } } } })).toHaveLength(1);
    expect(ingressOpenToTheWorld({ resource: { aws_vpc_security_group_ingress_rule: { a: { referenced_security_group_id: 'sg-1' } } } })).toEqual([]);
  });

  it('securityGroupRulesBeyondOneTcpPort: passes one TCP port, catches all protocols, UDP and a port range', () => {
    const rules = (body: Record<string, unknown>): TerraformJson => ({ resource: { aws_vpc_security_group_egress_rule: { r: body } } });
    expect(securityGroupRulesBeyondOneTcpPort(rules({ ip_protocol: 'tcp', from_port: 443, to_port: 443 }))).toEqual([]);
    expect(securityGroupRulesBeyondOneTcpPort(rules({ ip_protocol: '-1' }))).toHaveLength(1);
    expect(securityGroupRulesBeyondOneTcpPort(rules({ ip_protocol: 'udp', from_port: 53, to_port: 53 }))).toHaveLength(1);
    expect(securityGroupRulesBeyondOneTcpPort(rules({ ip_protocol: 'tcp', from_port: 0, to_port: 443 }))).toHaveLength(1);
    expect(securityGroupRulesBeyondOneTcpPort({ resource: { aws_security_group: { g: { egress: [{ protocol: '-1', from_port: 0, to_port: 0 }] } } } })).toHaveLength(1);
  });

  it('logGroupsMissingEncryptionOrRetention: needs both a customer key and a retention', () => {
    const group = (body: Record<string, unknown>): TerraformJson => ({ resource: { aws_cloudwatch_log_group: { g: body } } });
    expect(logGroupsMissingEncryptionOrRetention(group({ kms_key_id: '${aws_kms_key.k.arn}', retention_in_days: 30 }))).toEqual([]);
    expect(logGroupsMissingEncryptionOrRetention(group({ retention_in_days: 30 }))).toHaveLength(1);
    expect(logGroupsMissingEncryptionOrRetention(group({ kms_key_id: '${aws_kms_key.k.arn}' }))).toHaveLength(1);
  });

  it('bucketsMissingProtection: names each missing protection of a bare bucket', () => {
    expect(bucketsMissingProtection({ resource: { aws_s3_bucket: { b: {} } } })).toEqual([
      'b: no default encryption',
      'b: no full public access block',
      'b: ACLs not disabled (BucketOwnerEnforced)',
      'b: not versioned',
      'b: no TLS-only bucket policy',
    ]);
  });

  it('bucketsWithoutAccessLogging: passes a logged bucket and its log destination, catches an unlogged one', () => {
    const logged: TerraformJson = {
      resource: {
        aws_s3_bucket: { data: {}, logs: {}, other: {} },
        aws_s3_bucket_logging: { l: { bucket: '${aws_s3_bucket.data.id}', target_bucket: '${aws_s3_bucket.logs.id}' } },
      },
    };
    expect(bucketsWithoutAccessLogging(logged)).toEqual(['aws_s3_bucket.other']);
  });

  it('wildcardActionGrants: catches "*" and "s3:*" in Allow, ignores Deny', () => {
    expect(wildcardActionGrants(policy({ actions: ['s3:*'] }))).toHaveLength(1);
    expect(wildcardActionGrants(policy({ actions: ['*'] }))).toHaveLength(1);
    expect(wildcardActionGrants(policy({ effect: 'Deny', actions: ['s3:*'] }))).toEqual([]);
    expect(wildcardActionGrants(policy({ actions: ['s3:GetObject'] }))).toEqual([]);
  });

  it('wildcardResourceGrants: allows "*" only for actions AWS cannot scope', async () => {
    expect(await wildcardResourceGrants(policy({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }))).toEqual([]);
    expect(await wildcardResourceGrants(policy({ actions: ['s3:PutObject'], resources: ['*'] }))).toHaveLength(1);
    expect(await wildcardResourceGrants(policy({ actions: ['s3:PutObject'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['x'] }] }))).toEqual([]);
    const narrowed = { actions: ['ecs:ListTasks'], resources: ['*'], condition: [{ test: 'ArnEquals', variable: 'ecs:cluster', values: ['arn'] }] };
    expect(await wildcardResourceGrants(policy(narrowed))).toEqual([]);
  });

  it('unscopableActionsOnResources: catches an action without resource types granted on an ARN only, passes "*" and scopable actions', async () => {
    expect(await unscopableActionsOnResources(policy({ actions: ['ecr:GetAuthorizationToken'], resources: ['arn:aws:ecr:eu-west-1:1:repository/x'] }))).toHaveLength(1);
    expect(await unscopableActionsOnResources(policy({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }))).toEqual([]);
    expect(await unscopableActionsOnResources(policy({ actions: ['ecr:BatchGetImage'], resources: ['arn:aws:ecr:eu-west-1:1:repository/x'] }))).toEqual([]);
    expect(await unscopableActionsOnResources(policy({ effect: 'Deny', actions: ['ecr:GetAuthorizationToken'], resources: ['arn:aws:ecr:eu-west-1:1:repository/x'] }))).toEqual([]);
  });

  it('securityGroupRulesWithoutDescription: catches an undescribed rule', () => {
    expect(securityGroupRulesWithoutDescription({ resource: { aws_vpc_security_group_egress_rule: { r: {} } } })).toHaveLength(1);
    expect(securityGroupRulesWithoutDescription({ resource: { aws_vpc_security_group_egress_rule: { r: { description: 'why' } } } })).toEqual([]);
  });

  it('publicIpSettings: catches public subnets, public tasks and instances', () => {
    expect(publicIpSettings({ resource: { aws_subnet: { s: { map_public_ip_on_launch: true } } } })).toHaveLength(1);
    expect(publicIpSettings({ resource: { aws_ecs_service: { s: { network_configuration: { assign_public_ip: true } } } } })).toHaveLength(1);
    expect(publicIpSettings({ resource: { aws_instance: { i: { associate_public_ip_address: true } } } })).toHaveLength(1);
    expect(publicIpSettings({ resource: { aws_subnet: { s: { map_public_ip_on_launch: false } } } })).toEqual([]);
  });
});
