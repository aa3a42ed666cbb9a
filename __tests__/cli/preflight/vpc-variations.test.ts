/** `bastion preflight` into an existing VPC whose subnets or DNS differ from the usual: IPv6-only subnets, full subnets, custom DHCP options. */
import { SUBNET_A, SUBNET_B, world } from '../preflight-world';
import { EXISTING, levels, ofCheck, preflightHarness } from './harness';

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
});
