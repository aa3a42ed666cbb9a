/** Small IPv4 helpers, so subnet CIDRs are computed at synth time and no Terraform function is needed. */

export function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseCidr(cidr: string): { network: number; prefix: number } {
  const [address, prefix] = cidr.split('/');
  return { network: ipv4ToInt(address), prefix: Number(prefix) };
}

/** True when no host bits are set (10.0.0.0/16 yes, 10.0.0.1/16 no). */
export function isNetworkAligned(cidr: string): boolean {
  const { network, prefix } = parseCidr(cidr);
  return network % 2 ** (32 - prefix) === 0;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

/** True when the block lies inside RFC 1918 space or the shared 100.64.0.0/10 range. */
export function isPrivateRange(cidr: string): boolean {
  const { network, prefix } = parseCidr(cidr);
  return PRIVATE_RANGES.some((range) => {
    const outer = parseCidr(range);
    const size = 2 ** (32 - outer.prefix);
    return prefix >= outer.prefix && network >= outer.network && network < outer.network + size;
  });
}

/** Terraform's cidrsubnet(): the netnum-th block of `newbits` more bits inside `cidr`. */
export function cidrSubnet(cidr: string, newbits: number, netnum: number): string {
  const { network, prefix } = parseCidr(cidr);
  const size = 2 ** (32 - prefix - newbits);
  return `${intToIpv4(network + netnum * size)}/${prefix + newbits}`;
}

/**
 * Bits added to the VPC prefix for each private subnet: room for 16 subnets, never smaller than the /28
 * AWS allows. A /16 VPC gets /20 subnets (4,091 usable addresses each).
 */
export function subnetNewBits(vpcPrefix: number): number {
  return Math.min(4, 28 - vpcPrefix);
}
