/**
 * The pure pieces of `bastion preflight`: what route tables, endpoints, policies and security groups mean,
 * and what the plan of a configuration is. No SDK mock needed.
 */
import type { RouteTable, SecurityGroup } from '@aws-sdk/client-ec2';
import { isFullAccessPolicy } from '../../cli/preflight/check-s3';
import { CHECKS, type Finding, sortFindings } from '../../cli/preflight/findings';
import { createdServices, listText, preflightPlan, sharedByStacks, shortServiceName } from '../../cli/preflight/plan';
import {
  admitsHttpsFrom,
  cidrContains,
  defaultRoute,
  effectiveRouteTable,
  isLive,
  isOwnEndpoint,
  natPath,
  bastionSubnets,
  reachesInternet,
} from '../../cli/preflight/vpc-model';
import { parseConfig } from '../../modules/config';

const table = (id: string, associations: RouteTable['Associations'], routes: RouteTable['Routes'] = []): RouteTable => ({
  RouteTableId: id,
  Associations: associations,
  Routes: routes,
});
const MAIN = table('rtb-main', [{ Main: true }]);
const OWN = table('rtb-own', [{ SubnetId: 'subnet-1' }]);

describe('route tables', () => {
  test('a subnet uses its explicitly associated table, else the main one', () => {
    expect(effectiveRouteTable('subnet-1', [MAIN, OWN])?.RouteTableId).toBe('rtb-own');
    expect(effectiveRouteTable('subnet-2', [MAIN, OWN])?.RouteTableId).toBe('rtb-main');
    expect(effectiveRouteTable('subnet-2', [OWN])).toBeUndefined();
  });

  test.each([
    [{ NatGatewayId: 'nat-1' }, { kind: 'nat', target: 'nat-1' }],
    [{ TransitGatewayId: 'tgw-1' }, { kind: 'transit', target: 'tgw-1' }],
    [{ NetworkInterfaceId: 'eni-1' }, { kind: 'appliance', target: 'eni-1' }],
    [{ InstanceId: 'i-1' }, { kind: 'appliance', target: 'i-1' }],
    [{ GatewayId: 'igw-1' }, { kind: 'internet-gateway', target: 'igw-1' }],
    [{ GatewayId: 'vgw-1' }, { kind: 'none' }],
    [{ NatGatewayId: 'nat-1', State: 'blackhole' as const }, { kind: 'none' }],
  ])('0.0.0.0/0 via %o is %o', (route, egress) => {
    expect(defaultRoute(table('rtb', [], [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }, { DestinationCidrBlock: '0.0.0.0/0', ...route }]))).toEqual(egress);
  });

  test('a NAT gateway, a transit gateway (central egress) or an appliance reach the internet from a private address; an internet gateway does not', () => {
    const kinds = ['nat', 'transit', 'appliance', 'internet-gateway', 'none'] as const;
    expect(kinds.filter((kind) => reachesInternet({ kind }))).toEqual(['nat', 'transit', 'appliance']);
  });

  test('no default route, or no table at all, is no way out', () => {
    expect(defaultRoute(table('rtb', [], [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }]))).toEqual({ kind: 'none' });
    expect(defaultRoute(undefined)).toEqual({ kind: 'none' });
  });

  test('the NAT is detected only when every subnet of the VPC has one; subnets elsewhere do not count', () => {
    const nat = table('rtb-nat', [{ SubnetId: 'subnet-1' }], [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' }]);
    const subnets = [
      { SubnetId: 'subnet-1', VpcId: 'vpc-1' },
      { SubnetId: 'subnet-2', VpcId: 'vpc-1' },
      { SubnetId: 'subnet-9', VpcId: 'vpc-9' },
    ];
    expect(natPath(bastionSubnets(['subnet-1', 'subnet-9'], 'vpc-1', subnets, [nat, MAIN]), false)).toEqual({ configured: false, detected: true });
    expect(natPath(bastionSubnets(['subnet-1', 'subnet-2'], 'vpc-1', subnets, [nat, MAIN]), true)).toEqual({ configured: true, detected: false });
    expect(natPath(bastionSubnets(['subnet-9'], 'vpc-1', subnets, [nat, MAIN]), true).detected).toBe(false);
  });
});

describe('endpoints', () => {
  const tags = (stack: string, prefix: string) => [
    { Key: 'ssm-bastion:stack', Value: stack },
    { Key: 'ssm-bastion:name-prefix', Value: prefix },
  ];

  test('own endpoints carry the prefix and one of the checked stacks', () => {
    expect(isOwnEndpoint({ Tags: tags('ec2-bastion', 'acme') }, 'acme', ['ec2-bastion'])).toBe(true);
    expect(isOwnEndpoint({ Tags: tags('ec2-bastion', 'acme') }, 'acme', ['ecs-bastion'])).toBe(false);
    expect(isOwnEndpoint({ Tags: tags('ec2-bastion', 'other') }, 'acme', ['ec2-bastion'])).toBe(false);
    expect(isOwnEndpoint({ Tags: [{ Key: 'ssm-bastion:name-prefix', Value: 'acme' }] }, 'acme', ['ec2-bastion'])).toBe(false);
    expect(isOwnEndpoint({}, 'acme', ['ec2-bastion'])).toBe(false);
  });

  test('endpoints being deleted or failed do not count, whatever the case of the state', () => {
    expect(['available', 'Available', 'pending', 'pendingAcceptance'].map((State) => isLive({ State: State as never }))).toEqual([true, true, true, true]);
    expect(['deleting', 'Deleted', 'failed', 'rejected', 'expired'].map((State) => isLive({ State: State as never }))).toEqual([false, false, false, false, false]);
  });

  test('service names, also in China', () => {
    expect(shortServiceName('com.amazonaws.eu-west-1.ecr.dkr')).toBe('ecr.dkr');
    expect(shortServiceName('cn.com.amazonaws.cn-north-1.ssm')).toBe('ssm');
    expect(shortServiceName('com.example.custom')).toBe('com.example.custom');
  });
});

describe('S3 endpoint policies', () => {
  const policy = (statement: unknown) => JSON.stringify({ Version: '2008-10-17', Statement: statement });

  test('the default policy, or none, is full access', () => {
    expect(isFullAccessPolicy(undefined)).toBe(true);
    expect(isFullAccessPolicy(policy([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }]))).toBe(true);
    expect(isFullAccessPolicy(policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:*'], Resource: ['*'] }))).toBe(true);
  });

  test('anything narrower, a deny, a condition or an unreadable document is not', () => {
    expect(isFullAccessPolicy(policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }]))).toBe(false);
    expect(isFullAccessPolicy(policy([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: 'arn:aws:s3:::bucket/*' }]))).toBe(false);
    expect(
      isFullAccessPolicy(policy([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }, { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::x/*' }])),
    ).toBe(false);
    expect(isFullAccessPolicy(policy([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }]))).toBe(false);
    expect(isFullAccessPolicy('{not json')).toBe(false);
  });
});

describe('security group ingress', () => {
  test('CIDR containment', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.2.0/24')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.1.2.0/24')).toBe(false);
    expect(cidrContains('10.0.2.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '192.168.1.0/24')).toBe(true);
    expect(cidrContains('10.0.2.0/24', '10.0.2.0/24')).toBe(true);
  });

  const group = (permission: NonNullable<SecurityGroup['IpPermissions']>[number]): SecurityGroup => ({ GroupId: 'sg-1', IpPermissions: [permission] });

  test.each([
    [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }, true],
    [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }, true],
    [{ IpProtocol: '6', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.2.0/24' }] }, true],
    [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/16' }] }, true],
    [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }, false],
    [{ IpProtocol: 'udp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }, false],
    [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.3.0/24' }] }, false],
    [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-2' }], PrefixListIds: [{ PrefixListId: 'pl-1' }] }, false],
  ])('%o admits HTTPS from 10.0.2.0/24: %s', (permission, admits) => {
    expect(admitsHttpsFrom([group(permission)], '10.0.2.0/24')).toBe(admits);
  });
});

describe('the plan of a configuration', () => {
  const existing = { network: { mode: 'existing', vpcId: 'vpc-0a1b2c3d4e5f60718', subnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] } };

  test('each stack uses its own services; a group serves only the stacks that use it', () => {
    const config = parseConfig({ ...existing, stacks: ['ecs-bastion', 'ec2-bastion'], endpoints: { ssm: 'existing', logs: 'existing', kms: 'none', s3: 'existing' }, network: { ...existing.network, natGateway: true } });
    const plan = preflightPlan(config, 'eu-west-1', ['ecs-bastion', 'ec2-bastion']);
    expect(plan.services.map((s) => [s.service, s.mode, s.stacks])).toEqual([
      ['ssm', 'existing', ['ec2-bastion']],
      ['ssmmessages', 'existing', ['ecs-bastion', 'ec2-bastion']],
      ['ec2messages', 'existing', ['ec2-bastion']],
      ['ecr.api', 'create', ['ecs-bastion']],
      ['ecr.dkr', 'create', ['ecs-bastion']],
      ['logs', 'existing', ['ecs-bastion', 'ec2-bastion']],
      ['kms', 'none', ['ecs-bastion', 'ec2-bastion']],
    ]);
    expect(createdServices(plan)).toEqual(['ecr.api', 'ecr.dkr']);
    expect(plan.instanceType).toBe('t4g.nano');
  });

  test('groups both stacks use are shared (the configuration refuses "create" for them in one VPC); ecr is not', () => {
    const plan = preflightPlan(parseConfig({ stacks: ['ecs-bastion', 'ec2-bastion'] }), 'eu-west-1', ['ecs-bastion', 'ec2-bastion']);
    expect((['ssm', 'ecr', 'logs', 'kms', 's3'] as const).map((group) => sharedByStacks(plan, group))).toEqual([true, false, true, true, true]);
    expect(sharedByStacks({ ...plan, stacks: ['ec2-bastion'] }, 'ssm')).toBe(false);
  });

  test('the ECS bastion alone has no instance type and no ssm/ec2messages', () => {
    const plan = preflightPlan(parseConfig({ stacks: ['ecs-bastion'] }), 'eu-west-1', ['ecs-bastion']);
    expect(plan.instanceType).toBeUndefined();
    expect(createdServices(plan)).toEqual(['ssmmessages', 'ecr.api', 'ecr.dkr', 'logs', 'kms']);
  });
});

describe('findings', () => {
  test('sorted by check in the printed order, stable within a check', () => {
    const f = (check: Finding['check'], message: string): Finding => ({ level: 'ok', check, message });
    expect(sortFindings([f('targets', '1'), f('vpc', '2'), f('targets', '3'), f('dns', '4')]).map((x) => x.message)).toEqual(['2', '4', '1', '3']);
    expect(CHECKS[0]).toBe('vpc');
  });

  test('lists read as prose', () => {
    expect([listText([]), listText(['a']), listText(['a', 'b']), listText(['a', 'b', 'c'])]).toEqual(['', 'a', 'a and b', 'a, b and c']);
  });
});
