/**
 * `bastion preflight` into an existing VPC: what the private-DNS endpoints the stack creates change for the VPC's
 * other workloads, which then call ssm, logs, kms… at the endpoints' private addresses instead of through their NAT.
 */
import { DescribeNetworkAclsCommand, DescribeNetworkInterfacesCommand, type SecurityGroup } from '@aws-sdk/client-ec2';
import {
  aclEntry,
  interfaceEndpoint,
  networkAcl,
  ownTags,
  RTB_MAIN,
  SUBNET_A,
  SUBNET_APP,
  SUBNET_B,
  VPC_ID,
  type World,
  workloadInterface,
  world,
} from '../preflight-world';
import { EXISTING, levels, ofCheck, preflightHarness, sharedSsmEndpoints, withConfig } from './harness';

const { ec2Mock, preflight, preflightJson } = preflightHarness();

const APP_GROUP = 'sg-0a0a0a0a0a0a0a0a1';
const ALL_EXISTING = { endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing' } };

/** The world with the app subnet (main route table) going out through a NAT gateway, as private app tiers do. */
function natWorld(egress: SecurityGroup['IpPermissionsEgress']): World {
  const w = world();
  const main = w.routeTables.find((t) => t.RouteTableId === RTB_MAIN)!;
  main.Routes = [main.Routes![0]!, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a0a0a0a0a0a0a0a0', State: 'active' }];
  w.securityGroups.push({ GroupId: APP_GROUP, GroupName: 'app', VpcId: VPC_ID, IpPermissionsEgress: egress });
  w.networkInterfaces.push(workloadInterface('eni-0app00000000000001', SUBNET_APP, [APP_GROUP]));
  return w;
}

/** Egress 443 to a public range only (a partner API, or AWS's published ranges): nothing inside the VPC. */
const PUBLIC_ONLY = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '52.0.0.0/8' }] }];
const ANYWHERE = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];

describe('bastion preflight: what the created endpoints change for other workloads', () => {
  describe('their security groups', () => {
    test('a group that allows HTTPS only to public ranges: a warning, with the rule to add and the way out', async () => {
      const { code, findings } = await preflightJson(EXISTING, natWorld(PUBLIC_ONLY));
      expect(code).toBe(0);
      expect(ofCheck(findings, 'workload-egress')).toEqual([
        {
          level: 'warning',
          check: 'workload-egress',
          message: `${APP_GROUP} (on eni-0app00000000000001) allows no HTTPS to ${SUBNET_A} (10.0.1.0/24) and ${SUBNET_B} (10.0.2.0/24) by address range: once this stack's endpoints answer for ssm, ssmmessages, ec2messages, logs and kms in the VPC, those workloads' calls to ssm, ssmmessages, ec2messages, logs and kms time out, where they reach AWS today. Rules naming security groups or prefix lists are not counted.`,
          fix: [
            `aws ec2 authorize-security-group-egress --group-id ${APP_GROUP} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.1.0/24}]' --region eu-west-1`,
            `aws ec2 authorize-security-group-egress --group-id ${APP_GROUP} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.2.0/24}]' --region eu-west-1`,
            `(if the group's owner agrees), or have the VPC's owner create the endpoints where these workloads may reach them, and set endpoints.ssm, endpoints.logs and endpoints.kms to "existing".`,
          ].join('\n'),
        },
      ]);
    });

    test('a group that allows HTTPS anywhere (or to the VPC) is fine', async () => {
      const { findings } = await preflightJson(EXISTING, natWorld(ANYWHERE));
      expect(ofCheck(findings, 'workload-egress')).toEqual([
        {
          level: 'ok',
          check: 'workload-egress',
          message: 'The 1 other network interface that reaches AWS today may send HTTPS to the endpoint subnets: their calls to ssm, ssmmessages, ec2messages, logs and kms go through the endpoints.',
        },
      ]);
      const vpcOnly = [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }];
      expect(levels(ofCheck((await preflightJson(EXISTING, natWorld(vpcOnly))).findings, 'workload-egress'))).toEqual(['ok']);
    });

    test('with singleAz only the first subnet holds endpoints; with a NAT route the way out is "none"', async () => {
      const w = natWorld([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.1.0/24' }] }]);
      expect(levels(ofCheck((await preflightJson(withConfig({ endpoints: { singleAz: true } }), w)).findings, 'workload-egress'))).toEqual(['ok']);
      for (const id of ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2']) {
        w.routeTables.find((t) => t.RouteTableId === id)!.Routes!.push({ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a0a0a0a0a0a0a0a0', State: 'active' });
      }
      const [finding] = ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress');
      expect(finding!.fix).toContain('or set endpoints.ssm, endpoints.logs and endpoints.kms to "none" with network.natGateway true');
    });

    test('interfaces that do not reach AWS today, endpoints, this deployment\'s own and those without groups are not counted', async () => {
      const w = natWorld(PUBLIC_ONLY);
      w.networkInterfaces = [
        // No route out: it could not call the services before, and reaches them now.
        workloadInterface('eni-0isolated00000001', SUBNET_A, [APP_GROUP]),
        workloadInterface('eni-0endpoint00000001', SUBNET_APP, [APP_GROUP], { InterfaceType: 'vpc_endpoint' }),
        workloadInterface('eni-0bastion000000001', SUBNET_APP, ['sg-0b0b0b0b0b0b0b0b1']),
        // Listed without groups: there is no rule to judge, nor a group to name in the fix.
        workloadInterface('eni-0nogroups00000001', SUBNET_APP, []),
      ];
      w.securityGroups.push({ GroupId: 'sg-0b0b0b0b0b0b0b0b1', VpcId: VPC_ID, Tags: ownTags('ec2-bastion'), IpPermissionsEgress: [] });
      expect(ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress').map((f) => f.level)).toEqual(['ok']);
    });

    test('requester-managed interfaces of type "interface" (an endpoint, a database) are not counted; a Fargate task\'s is', async () => {
      const w = natWorld([]);
      const managed = { RequesterManaged: true, RequesterId: '727180483921' };
      w.networkInterfaces = [
        workloadInterface('eni-0endpoint00000001', SUBNET_APP, [APP_GROUP], { ...managed, Description: 'VPC Endpoint Interface vpce-0f00567fa8477a1e6' }),
        workloadInterface('eni-0database00000001', SUBNET_APP, [APP_GROUP], { ...managed, Description: 'RDSNetworkInterface' }),
      ];
      expect(ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress')).toMatchObject([{ level: 'ok', message: expect.stringContaining('No other network interface') }]);
      const task = { ...managed, Description: 'arn:aws:ecs:eu-west-1:123456789012:attachment/f6d9fc22-dbaf-4bff-b501-a41b41f27826' };
      w.networkInterfaces.push(workloadInterface('eni-0fargate000000001', SUBNET_APP, [APP_GROUP], task));
      const [finding] = ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress');
      expect(finding).toMatchObject({ level: 'warning', message: expect.stringContaining(`${APP_GROUP} (on eni-0fargate000000001) allows no HTTPS`) });
    });

    test('in a public subnet, only interfaces with a public IP reached AWS before', async () => {
      const w = world();
      w.securityGroups.push({ GroupId: APP_GROUP, VpcId: VPC_ID, IpPermissionsEgress: PUBLIC_ONLY });
      w.networkInterfaces.push(workloadInterface('eni-0private000000001', SUBNET_APP, [APP_GROUP]));
      expect(levels(ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress'))).toEqual(['ok']);
      w.networkInterfaces.push(workloadInterface('eni-0public0000000001', SUBNET_APP, [APP_GROUP], { Association: { PublicIp: '198.51.100.7' } }));
      const [finding] = ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress');
      expect(finding).toMatchObject({ level: 'warning', message: expect.stringContaining(`${APP_GROUP} (on eni-0public0000000001) allows no HTTPS`) });
    });

    test('a Lambda function\'s interface (type "lambda", requester-managed) runs code: counted', async () => {
      const w = natWorld(PUBLIC_ONLY);
      w.networkInterfaces = [workloadInterface('eni-0lambda0000000001', SUBNET_APP, [APP_GROUP], { InterfaceType: 'lambda', RequesterManaged: true })];
      const [finding] = ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress');
      expect(finding).toMatchObject({ level: 'warning', message: expect.stringContaining(`${APP_GROUP} (on eni-0lambda0000000001) allows no HTTPS`) });
    });

    test('an interface may send what any of its groups allows; a group this account cannot see leaves its set unjudged', async () => {
      const w = natWorld(PUBLIC_ONLY);
      const OPEN_GROUP = 'sg-0f0f0f0f0f0f0f0f1';
      w.securityGroups.push({ GroupId: OPEN_GROUP, GroupName: 'open', VpcId: VPC_ID, IpPermissionsEgress: ANYWHERE });
      // APP_GROUP first: the restrictive group of the set must not decide alone.
      w.networkInterfaces = [workloadInterface('eni-0app00000000000001', SUBNET_APP, [APP_GROUP, OPEN_GROUP])];
      expect(levels(ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress'))).toEqual(['ok']);
      ec2Mock.reset();
      // Another account's group in a shared VPC: its rules may allow what APP_GROUP does not.
      w.networkInterfaces = [workloadInterface('eni-0app00000000000001', SUBNET_APP, [APP_GROUP, 'sg-0999999999999999a'])];
      expect(levels(ofCheck((await preflightJson(EXISTING, w)).findings, 'workload-egress'))).toEqual(['ok']);
    });
  });

  describe('network ACLs', () => {
    test('an endpoint subnet whose ACL admits only the database port from the app tier: a warning naming the rule', async () => {
      const w = natWorld(ANYWHERE);
      w.networkAcls[0]!.Associations = [{ SubnetId: SUBNET_APP }];
      w.networkAcls.push(
        networkAcl('acl-0db0000000000001', [SUBNET_A, SUBNET_B], [
          aclEntry(false, 100, 'allow', '10.0.8.0/24', [5432, 5432]),
          aclEntry(false, 110, 'allow', '10.0.0.0/22'),
          aclEntry(true, 100, 'allow', '0.0.0.0/0'),
        ]),
      );
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'network-acls')).toEqual([
        {
          level: 'warning',
          check: 'network-acls',
          message: `${SUBNET_APP} (10.0.8.0/24): its workloads will call ssm, ssmmessages, ec2messages, logs and kms at this stack's endpoints in ${SUBNET_A} and ${SUBNET_B}, and the network ACLs refuse it: acl-0db0000000000001 inbound TCP 443 from 10.0.8.0/24.`,
          fix: 'Add those rules to the network ACLs (their owner decides; replies go to ports 32768-65535), or have the VPC\'s owner create the endpoints where these workloads may reach them, and set endpoints.ssm, endpoints.logs and endpoints.kms to "existing".',
        },
      ]);
    });

    test('with singleAz the endpoints are in the first subnet only, and the ACLs on the way to it still count', async () => {
      const w = natWorld(ANYWHERE);
      w.networkAcls[0]!.Associations = [{ SubnetId: SUBNET_APP }, { SubnetId: SUBNET_B }];
      w.networkAcls.push(networkAcl('acl-0db0000000000001', [SUBNET_A], [aclEntry(false, 100, 'allow', '10.0.0.0/22'), aclEntry(true, 100, 'allow', '0.0.0.0/0')]));
      const { findings } = await preflightJson(withConfig({ endpoints: { singleAz: true } }), w);
      expect(ofCheck(findings, 'network-acls').map((f) => [f.level, f.message])).toEqual([
        [
          'warning',
          `${SUBNET_APP} (10.0.8.0/24): its workloads will call ssm, ssmmessages, ec2messages, logs and kms at this stack's endpoints in ${SUBNET_A}, and the network ACLs refuse it: acl-0db0000000000001 inbound TCP 443 from 10.0.8.0/24.`,
        ],
      ]);
    });

    test('the bastion\'s own subnets must reach the endpoints in the other zone', async () => {
      const w = world();
      w.networkAcls = [
        networkAcl('acl-0a00000000000001', [SUBNET_A, SUBNET_APP], [aclEntry(false, 100, 'allow', '0.0.0.0/0'), aclEntry(true, 100, 'allow', '0.0.0.0/0')]),
        networkAcl('acl-0b00000000000001', [SUBNET_B], [aclEntry(false, 100, 'allow', '0.0.0.0/0'), aclEntry(true, 100, 'allow', '0.0.0.0/0', [0, 1023])]),
      ];
      const findings = ofCheck((await preflightJson(EXISTING, w)).findings, 'network-acls');
      expect(findings.map((f) => f.message)).toEqual([
        `${SUBNET_A} (10.0.1.0/24): the bastion there will call ssm, ssmmessages, ec2messages, logs and kms at this stack's endpoints in ${SUBNET_B}, and the network ACLs refuse it: acl-0b00000000000001 outbound TCP 32768-65535 to 10.0.1.0/24.`,
        `${SUBNET_APP} (10.0.8.0/24): its workloads will call ssm, ssmmessages, ec2messages, logs and kms at this stack's endpoints in ${SUBNET_A} and ${SUBNET_B}, and the network ACLs refuse it: acl-0b00000000000001 outbound TCP 32768-65535 to 10.0.8.0/24.`,
      ]);
    });
  });

  test('a deployer policy that refuses the new reads: both checks say they were not made, and preflight goes on', async () => {
    const refused = (action: string) =>
      Object.assign(new Error(`You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: ${action}`), {
        name: 'UnauthorizedOperation',
      });
    const { code, findings } = await preflightJson(EXISTING, natWorld(PUBLIC_ONLY), [], () => {
      ec2Mock.on(DescribeNetworkAclsCommand).rejects(refused('ec2:DescribeNetworkAcls'));
      ec2Mock.on(DescribeNetworkInterfacesCommand).rejects(refused('ec2:DescribeNetworkInterfaces'));
    });
    expect(code).toBe(0);
    for (const check of ['workload-egress', 'network-acls']) {
      expect(ofCheck(findings, check)).toEqual([
        {
          level: 'warning',
          check,
          message:
            "Not checked: AWS refused ec2:DescribeNetworkAcls and ec2:DescribeNetworkInterfaces to these credentials, so preflight cannot tell what this stack's endpoints change for the VPC's other workloads.",
          fix: 'Add ec2:DescribeNetworkAcls, ec2:DescribeNetworkInterfaces and ec2:DescribeSecurityGroups to the deployer policy (docs/cli.md, Permissions) and run preflight again.',
        },
      ]);
    }
    // The rest of preflight ran and passed: the VPC, its DNS, subnets, routes and endpoints were read and judged.
    expect(levels(ofCheck(findings, 'vpc'))).toEqual(['ok']);
    expect(findings.filter((f) => f.level !== 'ok').map((f) => f.check)).toEqual(['workload-egress', 'network-acls']);
  });

  test('a failed DescribeNetworkAcls other than a refusal fails preflight, not "Not checked"', async () => {
    const outage = Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    const { code, out, err } = await preflight(EXISTING, natWorld(PUBLIC_ONLY), ['--json'], () => {
      ec2Mock.on(DescribeNetworkAclsCommand).rejects(outage);
    });
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err).toBe('error: ec2:DescribeNetworkAcls failed: InternalError: We encountered an internal error.\n');
  });

  test('a deploy that creates no interface endpoint reads neither network ACLs nor interfaces, and reports neither', async () => {
    const w = natWorld(PUBLIC_ONLY);
    w.endpoints.push(...sharedSsmEndpoints(), interfaceEndpoint('logs', 'vpce-0logs'), interfaceEndpoint('kms', 'vpce-0kms'));
    const { findings } = await preflightJson(withConfig(ALL_EXISTING), w);
    expect(ofCheck(findings, 'workload-egress')).toEqual([]);
    expect(ofCheck(findings, 'network-acls')).toEqual([]);
    expect(ec2Mock.commandCalls(DescribeNetworkAclsCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(0);
  });
});
