import { cidrSubnet, isNetworkAligned, isPrivateRange, subnetNewBits } from '../../modules/config/network-math';
import { configProblems } from './support';

/**
 * The VPC blocks the configuration accepts, at every boundary: each private range (RFC 1918 and the shared
 * 100.64.0.0/10) from its first to its last block and the blocks just outside it, the /16 to /24 sizes and one
 * beyond each, and the subnets carved from every size.
 */
const PRIVATE = [
  { range: '10.0.0.0/8', first: '10.0.0.0', last: '10.255.0.0', before: '9.255.0.0', after: '11.0.0.0' },
  { range: '172.16.0.0/12', first: '172.16.0.0', last: '172.31.0.0', before: '172.15.0.0', after: '172.32.0.0' },
  { range: '192.168.0.0/16', first: '192.168.0.0', last: '192.168.0.0', before: '192.167.0.0', after: '192.169.0.0' },
  { range: '100.64.0.0/10', first: '100.64.0.0', last: '100.127.0.0', before: '100.63.0.0', after: '100.128.0.0' },
];

/** `path: message` of each problem with a new VPC of this block, or undefined when it is accepted. */
function cidrProblem(cidr: string): string | undefined {
  return configProblems({ stacks: ['ec2-bastion'], network: { mode: 'create', cidr } }).map((p) => `${p.path}: ${p.message}`).join('; ') || undefined;
}

describe('VPC blocks', () => {
  it.each(PRIVATE)('accept $range from its first to its last /16, and refuse the /16 on either side', ({ first, last, before, after }) => {
    expect([cidrProblem(`${first}/16`), cidrProblem(`${last}/16`)]).toEqual([undefined, undefined]);
    for (const outside of [before, after]) expect(cidrProblem(`${outside}/16`)).toMatch(/^network\.cidr: must lie in a private range/);
    expect([isPrivateRange(`${first}/24`), isPrivateRange(`${before}/24`), isPrivateRange(`${after}/24`)]).toEqual([true, false, false]);
  });

  it('are not private when wider than the private range they start in (10.0.0.0/7 reaches 11.255.255.255)', () => {
    expect(['10.0.0.0/7', '172.16.0.0/11', '192.168.0.0/15', '100.64.0.0/9'].map(isPrivateRange)).toEqual([false, false, false, false]);
    expect(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(isPrivateRange)).toEqual([true, true, true, true]);
  });

  it('accept /16 to /24 and refuse one bit beyond each end', () => {
    for (let prefix = 16; prefix <= 24; prefix++) expect({ prefix, problem: cidrProblem(`10.42.0.0/${prefix}`) }).toEqual({ prefix, problem: undefined });
    for (const prefix of [8, 15, 25, 28]) expect(cidrProblem(`10.0.0.0/${prefix}`)).toBe('network.cidr: the VPC block must be between /16 and /24');
  });

  it('refuse host bits at every size', () => {
    for (let prefix = 16; prefix <= 24; prefix++) {
      const hostBit = `10.42.${prefix === 24 ? 0 : 2 ** (24 - prefix) - 1}.${prefix === 24 ? 1 : 0}/${prefix}`;
      expect(isNetworkAligned(hostBit)).toBe(false);
      expect(cidrProblem(hostBit)).toMatch(/^network\.cidr: host bits are set/);
    }
  });

  it('get 16 subnets of their size plus 4 bits at every size, /28 at the smallest', () => {
    for (let prefix = 16; prefix <= 24; prefix++) {
      expect(subnetNewBits(prefix)).toBe(4);
      expect(cidrSubnet(`10.42.0.0/${prefix}`, 4, 0)).toBe(`10.42.0.0/${prefix + 4}`);
      expect(cidrSubnet(`10.42.0.0/${prefix}`, 4, 15)).toBe(`10.42.${Math.floor((15 * 2 ** (28 - prefix)) / 256)}.${(15 * 2 ** (28 - prefix)) % 256}/${prefix + 4}`);
    }
  });
});
