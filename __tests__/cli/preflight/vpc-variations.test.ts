/** `bastion preflight` into an existing VPC whose subnets or DNS differ from the usual: IPv6-only subnets, full subnets, custom DHCP options. */
import { DescribeAvailabilityZonesCommand, DescribeDhcpOptionsCommand } from '@aws-sdk/client-ec2';
import type { Finding } from '../../../cli/preflight/findings';
import { DHCP_OPTIONS, interfaceEndpoint, ownTags, SUBNET_A, SUBNET_B, VPC_ID, type World, world } from '../preflight-world';
import { EXISTING, existingNetwork, levels, ofCheck, preflightHarness, sharedSsmEndpoints, withConfig } from './harness';

const { ec2Mock, preflight, preflightJson } = preflightHarness();

describe('bastion preflight: VPC variations', () => {
  describe('IPv6-only subnets', () => {
    test('an IPv6-only subnet is a blocker naming it', async () => {
      const w = world();
      const b = w.subnets.find((s) => s.SubnetId === SUBNET_B)!;
      // No IPv4 range, so no free IPv4 address either: the one blocker says why, not also that it is full.
      Object.assign(b, { CidrBlock: undefined, AvailableIpAddressCount: 0, Ipv6Native: true, Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2001:db8:0:2::/64' }] });
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      const blockers = ofCheck(findings, 'subnets').filter((f) => f.level === 'blocker');
      expect(blockers).toHaveLength(1);
      expect(blockers[0]!.message).toContain(`${SUBNET_B} is IPv6-only`);
      expect(blockers[0]!.fix).toContain('IPv4 range');
    });

    test('for the ECS bastion too, whose task ECS may place in any subnet, the one blocker is that it is IPv6-only', async () => {
      const w = world();
      Object.assign(w.subnets.find((s) => s.SubnetId === SUBNET_B)!, { CidrBlock: undefined, AvailableIpAddressCount: 0, Ipv6Native: true });
      const { findings } = await preflightJson(withConfig({ stacks: ['ecs-bastion'] }), w);
      expect(ofCheck(findings, 'subnets').filter((f) => f.level === 'blocker').map((f) => f.message)).toEqual([expect.stringMatching(new RegExp(`^${SUBNET_B} is IPv6-only`))]);
    });

    test('a dual-stack subnet is fine', async () => {
      const w = world();
      Object.assign(w.subnets.find((s) => s.SubnetId === SUBNET_B)!, { Ipv6Native: false, Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2001:db8:0:2::/64' }] });
      const { findings } = await preflightJson(EXISTING, w);
      expect(levels(ofCheck(findings, 'subnets'))).toEqual(['ok', 'ok']);
      expect(ofCheck(findings, 'subnets').map((f) => f.message).join(' ')).toContain(SUBNET_A);
    });
  });

  describe('free addresses', () => {
    const withFree = (a: number, b: number) => {
      const w = world();
      w.subnets.find((s) => s.SubnetId === SUBNET_A)!.AvailableIpAddressCount = a;
      w.subnets.find((s) => s.SubnetId === SUBNET_B)!.AvailableIpAddressCount = b;
      return w;
    };

    test('a subnet with fewer free addresses than the endpoints and the bastion take is a blocker with the numbers', async () => {
      const { code, findings } = await preflightJson(EXISTING, withFree(5, 5));
      expect(code).toBe(1);
      expect(ofCheck(findings, 'subnets').filter((f) => f.level === 'blocker')).toEqual([
        {
          level: 'blocker',
          check: 'subnets',
          message: `${SUBNET_A} has 5 free IPv4 addresses, and the deploy needs 6 there: 5 for the interface endpoints for ssm, ssmmessages, ec2messages, logs and kms and 1 for the EC2 bastion. The apply fails when it runs out.`,
          fix: `Free 1 address in ${SUBNET_A}, or list subnets with at least 6 free addresses in network.subnetIds.`,
        },
      ]);
    });

    test('enough free addresses: no blocker', async () => {
      const { code, findings } = await preflightJson(EXISTING, withFree(6, 5));
      expect(code).toBe(0);
      expect(levels(ofCheck(findings, 'subnets'))).toEqual(['ok', 'ok']);
    });

    test('the Fargate task may go into any subnet; with singleAz the endpoints take addresses in the first only', async () => {
      const config = withConfig({ stacks: ['ecs-bastion'], endpoints: { singleAz: true } });
      const { findings } = await preflightJson(config, withFree(20, 0));
      expect(ofCheck(findings, 'subnets').filter((f) => f.level === 'blocker').map((f) => f.message)).toEqual([
        `${SUBNET_B} has 0 free IPv4 addresses, and the deploy needs 1 there: 1 for the Fargate task (ECS may place it in any of the subnets). The apply fails when it runs out.`,
      ]);
    });

    test("another deployment's endpoints hold no address for the ones this deploy creates", async () => {
      const w = withFree(5, 5);
      w.endpoints.push(...['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'].map((s) => interfaceEndpoint(s, `vpce-0other${s}`, { PrivateDnsEnabled: false })));
      const { findings } = await preflightJson(EXISTING, w);
      expect(ofCheck(findings, 'subnets').filter((f) => f.level === 'blocker').map((f) => f.message)).toEqual([
        expect.stringMatching(new RegExp(`^${SUBNET_A} has 5 free IPv4 addresses, and the deploy needs 6 there`)),
      ]);
    });

    test("this deployment's own endpoints already hold their addresses", async () => {
      const w = withFree(1, 0);
      w.endpoints.push(...['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'].map((s) => interfaceEndpoint(s, `vpce-0own${s}`, { Tags: ownTags('ec2-bastion') })));
      const { findings } = await preflightJson(EXISTING, w);
      // 1 free in the first subnet for the instance, none needed in the second.
      expect(levels(ofCheck(findings, 'subnets'))).toEqual(['ok', 'ok']);
    });
  });

  describe('DHCP option set', () => {
    const withServers = (w: World, servers: string[]) => {
      w.dhcpOptions[0]!.DhcpConfigurations = [{ Key: 'domain-name-servers', Values: servers.map((Value) => ({ Value })) }];
      return w;
    };

    test("custom DNS servers: a warning saying what to resolve and where to forward, the deploy can go ahead", async () => {
      const { code, findings } = await preflightJson(EXISTING, withServers(world(), ['10.0.0.10', '10.0.0.11']));
      expect(code).toBe(0);
      expect(ofCheck(findings, 'dhcp-options')).toEqual([
        {
          level: 'warning',
          check: 'dhcp-options',
          message: `${VPC_ID} uses DHCP option set ${DHCP_OPTIONS}, whose domain-name-servers are 10.0.0.10 and 10.0.0.11: the bastion asks them, and the interface endpoints' private DNS names (ssm, ssmmessages, ec2messages, logs and kms) resolve to the endpoints only at the Route 53 Resolver. Unless 10.0.0.10 and 10.0.0.11 forward eu-west-1.amazonaws.com to it, the bastion gets public addresses and, without a NAT, never connects.`,
          fix: `From an instance of ${VPC_ID}, \`dig +short ssm.eu-west-1.amazonaws.com\` (or nslookup) must answer addresses in the VPC's CIDR blocks. If it answers public addresses, have 10.0.0.10 and 10.0.0.11 forward amazonaws.com to the Route 53 Resolver (10.0.0.2 or 169.254.169.253).`,
        },
      ]);
    });

    test('one custom DNS server: the warning speaks of it in the singular', async () => {
      const { findings } = await preflightJson(EXISTING, withServers(world(), ['10.0.0.10']));
      const [finding] = ofCheck(findings, 'dhcp-options');
      expect(finding!.level).toBe('warning');
      expect(finding!.message).toContain('whose domain-name-servers are 10.0.0.10: the bastion asks it, and');
      expect(finding!.message).toContain('Unless 10.0.0.10 forwards eu-west-1.amazonaws.com to it');
    });

    test('custom DNS servers next to AmazonProvidedDNS: only the custom ones are told to forward', async () => {
      const { findings } = await preflightJson(EXISTING, withServers(world(), ['AmazonProvidedDNS', '10.0.0.10']));
      const [finding] = ofCheck(findings, 'dhcp-options');
      expect(finding!.message).toContain('whose domain-name-servers are AmazonProvidedDNS and 10.0.0.10: the bastion asks them');
      expect(finding!.message).toContain('Unless 10.0.0.10 forwards eu-west-1.amazonaws.com to it');
    });

    test('custom DNS servers and endpoints the VPC already has: a warning too, their private DNS needs the Resolver as much', async () => {
      const w = withServers(world(), ['10.0.0.10']);
      w.endpoints.push(...sharedSsmEndpoints(), interfaceEndpoint('logs', 'vpce-0logs'), interfaceEndpoint('kms', 'vpce-0kms'));
      const { findings } = await preflightJson(withConfig({ endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing' } }), w);
      const [finding] = ofCheck(findings, 'dhcp-options');
      expect(finding!.level).toBe('warning');
      expect(finding!.message).toContain("the interface endpoints' private DNS names (ssm, ssmmessages, ec2messages, logs and kms) resolve to the endpoints only at the Route 53 Resolver");
    });

    test('custom DNS servers and no interface endpoint (a NAT for every group): ok, they need only resolve public names', async () => {
      const config = withConfig({ ...existingNetwork({ natGateway: true }), endpoints: { ssm: 'none', ecr: 'none', logs: 'none', kms: 'none' } });
      const { findings } = await preflightJson(config, withServers(world(), ['10.0.0.10']));
      expect(ofCheck(findings, 'dhcp-options')).toEqual([
        {
          level: 'ok',
          check: 'dhcp-options',
          message: `${VPC_ID} hands out the DNS servers 10.0.0.10 (${DHCP_OPTIONS}); the bastion uses no interface endpoint, so they need only resolve public names.`,
        },
      ]);
    });

    test('in a China region, the names to forward end in amazonaws.com.cn', async () => {
      const { findings } = await preflightJson(withConfig({ region: 'cn-north-1' }), withServers(world(), ['10.0.0.10']));
      const [finding] = ofCheck(findings, 'dhcp-options');
      expect(finding!.message).toContain('Unless 10.0.0.10 forwards cn-north-1.amazonaws.com.cn to it');
      expect(finding!.fix).toContain('`dig +short ssm.cn-north-1.amazonaws.com.cn`');
      expect(finding!.fix).toContain('have 10.0.0.10 forward amazonaws.com.cn to the Route 53 Resolver');
    });

    test("the Route 53 Resolver's own addresses (primary block + 2, 169.254.169.253, fd00:ec2::253) are no custom server", async () => {
      const { findings } = await preflightJson(EXISTING, withServers(world(), ['10.0.0.2', '169.254.169.253', 'fd00:ec2::253']));
      expect(ofCheck(findings, 'dhcp-options')).toEqual([
        { level: 'ok', check: 'dhcp-options', message: `${VPC_ID} resolves through the Amazon DNS server (AmazonProvidedDNS), which answers the endpoints' private DNS names.` },
      ]);
      ec2Mock.reset();
      // Base + 2 of a secondary block is an ordinary address; next to the resolver, only the custom server is told to forward.
      const [finding] = ofCheck((await preflightJson(EXISTING, withServers(world(), ['10.0.0.2', '100.64.0.2']))).findings, 'dhcp-options');
      expect(finding!.level).toBe('warning');
      expect(finding!.message).toContain('Unless 100.64.0.2 forwards eu-west-1.amazonaws.com to it');
    });

    test('AmazonProvidedDNS: ok', async () => {
      const { findings } = await preflightJson(EXISTING, world());
      expect(levels(ofCheck(findings, 'dhcp-options'))).toEqual(['ok']);
    });

    test('no option set ("default"): ok, without asking for one, so a policy without the action does not matter', async () => {
      const w = world();
      w.vpcs = w.vpcs.map((v) => ({ ...v, DhcpOptionsId: 'default' }));
      const { findings } = await preflightJson(EXISTING, w, [], () => {
        ec2Mock.on(DescribeDhcpOptionsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' }));
      });
      expect(levels(ofCheck(findings, 'dhcp-options'))).toEqual(['ok']);
      expect(ec2Mock.commandCalls(DescribeDhcpOptionsCommand)).toHaveLength(0);
    });

    test('a refused DescribeDhcpOptions is a "Not checked" warning naming the action; the rest of preflight runs', async () => {
      const refused = Object.assign(new Error('You are not authorized to perform this operation. User: … is not authorized to perform: ec2:DescribeDhcpOptions'), {
        name: 'UnauthorizedOperation',
      });
      const { code, findings } = await preflightJson(EXISTING, world(), [], () => {
        ec2Mock.on(DescribeDhcpOptionsCommand).rejects(refused);
      });
      expect(code).toBe(0);
      expect(ofCheck(findings, 'dhcp-options')).toEqual([
        {
          level: 'warning',
          check: 'dhcp-options',
          message: `Not checked: AWS refused ec2:DescribeDhcpOptions to these credentials, so preflight cannot tell which DNS servers ${VPC_ID} hands out.`,
          fix: 'Add ec2:DescribeDhcpOptions to the deployer policy (docs/cli.md, Permissions) and run preflight again.',
        },
      ]);
      expect(levels(ofCheck(findings, 'subnets'))).toEqual(['ok', 'ok']);
    });
  });

  describe('Local Zones, Wavelength Zones and Outposts', () => {
    const ECS = withConfig({ stacks: ['ecs-bastion'], endpoints: { singleAz: true } });
    const LOCAL_ZONE = 'eu-west-1-lhr-1a';
    /** The second subnet moved to a Local Zone the account opted into. */
    const inLocalZone = () => {
      const w = world();
      w.zones.push({ ZoneName: LOCAL_ZONE, ZoneId: 'euw1-lhr1-az1', State: 'available', ZoneType: 'local-zone', RegionName: 'eu-west-1' });
      Object.assign(w.subnets.find((s) => s.SubnetId === SUBNET_B)!, { AvailabilityZone: LOCAL_ZONE, AvailabilityZoneId: 'euw1-lhr1-az1' });
      return w;
    };
    const blockers = (findings: readonly Finding[]) => ofCheck(findings, 'zones').filter((f) => f.level === 'blocker');

    test('an ECS bastion subnet in a Local Zone is a blocker: Fargate does not run there', async () => {
      const { code, findings } = await preflightJson(ECS, inLocalZone());
      expect(code).toBe(1);
      expect(blockers(findings)).toEqual([
        {
          level: 'blocker',
          check: 'zones',
          message: `${SUBNET_B} is in a Local Zone (${LOCAL_ZONE}): Amazon ECS does not run Fargate tasks there, so the ECS bastion's task fails whenever ECS places it in this subnet.`,
          fix: `Leave ${SUBNET_B} out of network.subnetIds (keep subnets of the region's availability zones), or use the EC2 bastion there.`,
        },
      ]);
    });

    test('an Outpost subnet is a blocker for the ECS bastion', async () => {
      const w = world();
      const outpost = 'arn:aws:outposts:eu-west-1:123456789012:outpost/op-0123456789abcdef0';
      w.subnets.find((s) => s.SubnetId === SUBNET_B)!.OutpostArn = outpost;
      const { findings } = await preflightJson(ECS, w);
      expect(blockers(findings).map((f) => f.message)).toEqual([
        `${SUBNET_B} is on the Outpost ${outpost}: Amazon ECS does not run Fargate tasks there, so the ECS bastion's task fails whenever ECS places it in this subnet.`,
      ]);
    });

    test('the EC2 bastion is not concerned, and availability zones are fine for both', async () => {
      expect(blockers((await preflightJson(withConfig({ endpoints: { singleAz: true } }), inLocalZone())).findings)).toEqual([]);
      expect(blockers((await preflightJson(ECS, world())).findings)).toEqual([]);
    });

    test('with both stacks, a subnet in a Wavelength Zone is a blocker too', async () => {
      const w = world();
      const WAVELENGTH_ZONE = 'eu-west-1-wl1-lon-wlz-1';
      w.zones.push({ ZoneName: WAVELENGTH_ZONE, ZoneId: 'euw1-wl1-lon-wlz1', State: 'available', ZoneType: 'wavelength-zone', RegionName: 'eu-west-1' });
      Object.assign(w.subnets.find((s) => s.SubnetId === SUBNET_B)!, { AvailabilityZone: WAVELENGTH_ZONE, AvailabilityZoneId: 'euw1-wl1-lon-wlz1' });
      const { findings } = await preflightJson(withConfig({ stacks: ['ec2-bastion', 'ecs-bastion'], endpoints: { singleAz: true } }), w);
      expect(blockers(findings).map((f) => f.message)).toEqual([
        `${SUBNET_B} is in a Wavelength Zone (${WAVELENGTH_ZONE}): Amazon ECS does not run Fargate tasks there, so the ECS bastion's task fails whenever ECS places it in this subnet.`,
      ]);
    });

    test('the EC2 bastion alone in an existing VPC does not read the zones (its policy need not allow it)', async () => {
      await preflightJson(EXISTING, inLocalZone());
      expect(ec2Mock.commandCalls(DescribeAvailabilityZonesCommand)).toHaveLength(0);
    });

    test('a failed DescribeAvailabilityZones other than a refusal fails preflight, not "Not checked"', async () => {
      const outage = Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
      const { code, out, err } = await preflight(ECS, inLocalZone(), ['--json'], () => {
        ec2Mock.on(DescribeAvailabilityZonesCommand).rejects(outage);
      });
      expect({ code, out }).toEqual({ code: 1, out: '' });
      expect(err).toBe('error: ec2:DescribeAvailabilityZones failed: InternalError: We encountered an internal error.\n');
    });

    test('a refused DescribeAvailabilityZones is a "Not checked" warning naming the action; the rest of preflight runs', async () => {
      const refused = Object.assign(new Error('You are not authorized to perform: ec2:DescribeAvailabilityZones'), { name: 'UnauthorizedOperation' });
      const { code, findings } = await preflightJson(ECS, inLocalZone(), [], () => {
        ec2Mock.on(DescribeAvailabilityZonesCommand).rejects(refused);
      });
      expect(code).toBe(0);
      expect(ofCheck(findings, 'zones').filter((f) => f.level !== 'ok')).toEqual([
        {
          level: 'warning',
          check: 'zones',
          message:
            'Not checked: AWS refused ec2:DescribeAvailabilityZones to these credentials, so preflight cannot tell whether a subnet is in a Local Zone or Wavelength Zone, where Fargate does not run.',
          fix: 'Add ec2:DescribeAvailabilityZones to the deployer policy (docs/cli.md, Permissions) and run preflight again.',
        },
      ]);
    });
  });
});
