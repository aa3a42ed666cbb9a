/** `bastion preflight` into an existing VPC whose subnets or DNS differ from the usual: IPv6-only subnets, full subnets, custom DHCP options. */
import { interfaceEndpoint, ownTags, SUBNET_A, SUBNET_B, world } from '../preflight-world';
import { EXISTING, levels, ofCheck, preflightHarness, withConfig } from './harness';

const { preflightJson } = preflightHarness();

describe('bastion preflight: VPC variations', () => {
  describe('IPv6-only subnets', () => {
    test('an IPv6-only subnet is a blocker naming it', async () => {
      const w = world();
      const b = w.subnets.find((s) => s.SubnetId === SUBNET_B)!;
      Object.assign(b, { CidrBlock: undefined, Ipv6Native: true, Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2001:db8:0:2::/64' }] });
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      const blockers = ofCheck(findings, 'subnets').filter((f) => f.level === 'blocker');
      expect(blockers).toHaveLength(1);
      expect(blockers[0]!.message).toContain(`${SUBNET_B} is IPv6-only`);
      expect(blockers[0]!.fix).toContain('IPv4 range');
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

    test("this deployment's own endpoints already hold their addresses", async () => {
      const w = withFree(1, 0);
      w.endpoints.push(...['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'].map((s) => interfaceEndpoint(s, `vpce-0own${s}`, { Tags: ownTags('ec2-bastion') })));
      const { findings } = await preflightJson(EXISTING, w);
      // 1 free in the first subnet for the instance, none needed in the second.
      expect(levels(ofCheck(findings, 'subnets'))).toEqual(['ok', 'ok']);
    });
  });
});
