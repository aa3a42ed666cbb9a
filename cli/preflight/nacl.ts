/**
 * What a network ACL lets through, evaluated as AWS does: the rules of one direction in order, lowest rule number
 * first, and the first rule that matches a packet decides; a packet no rule matches is denied (the `*` rule,
 * number 32767, in every ACL). Network ACLs are stateless, so the reply of a connection is a packet of its own
 * that the rules of the other direction must admit, on the client's ephemeral port. Traffic between two
 * addresses of one subnet never crosses its network ACL.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
 */
import type { NetworkAcl, NetworkAclEntry } from '@aws-sdk/client-ec2';
import { parseCidr } from '../../modules/config';

/** A TCP port range, both ends included. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export const HTTPS: PortRange = { from: 443, to: 443 };

/**
 * The client ports a reply to an HTTPS call goes back to: AWS's example network ACLs open 32768-65535, which holds
 * the ephemeral ports of Linux (32768-61000, Amazon Linux included) and of Windows Server 2008 and later
 * (49152-65535). Lambda functions use 1024-65535: an ACL opening only 32768-65535 refuses some of their replies,
 * today already through the NAT, so this check does not hold it against the endpoints.
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 */
export const EPHEMERAL: PortRange = { from: 32768, to: 65535 };

/** The network ACL a subnet is associated with: every subnet has exactly one, its own or the VPC's default. */
export function networkAclOf(subnetId: string, acls: readonly NetworkAcl[]): NetworkAcl | undefined {
  return acls.find((acl) => acl.Associations?.some((a) => a.SubnetId === subnetId));
}

const addresses = (cidr: string) => {
  const { network, prefix } = parseCidr(cidr);
  return { from: network, to: network + 2 ** (32 - prefix) - 1 };
};

/** TCP rules, and rules for every protocol ("-1"); UDP, ICMP and the other protocols never match a TCP packet. */
const matchesTcp = (entry: NetworkAclEntry) => entry.Protocol === '-1' || entry.Protocol === '6';

// A rule for all protocols carries no port range: it matches every port.
const portsOf = (entry: NetworkAclEntry): PortRange =>
  entry.Protocol === '-1' || !entry.PortRange ? { from: 0, to: 65535 } : { from: entry.PortRange.From ?? 0, to: entry.PortRange.To ?? 65535 };

/** The points where the answer may change inside `within`: its start, and each range's start and end + 1. */
function breakpoints(within: PortRange, ranges: readonly PortRange[]): number[] {
  const points = new Set([within.from]);
  for (const r of ranges) {
    if (r.from > within.from && r.from <= within.to) points.add(r.from);
    if (r.to + 1 > within.from && r.to + 1 <= within.to) points.add(r.to + 1);
  }
  return [...points].sort((a, b) => a - b);
}

/**
 * Whether the ACL admits every TCP packet from (ingress) or to (egress) every address of `cidr`, on every port of
 * `ports`. Exact: the addresses and ports are cut where a rule's range begins or ends, and one packet of each
 * piece is run through the rules in order. IPv6 rules do not match IPv4 packets.
 */
export function naclAdmits(acl: NetworkAcl, direction: 'ingress' | 'egress', cidr: string, ports: PortRange): boolean {
  const rules = (acl.Entries ?? [])
    .filter((e) => e.Egress === (direction === 'egress') && e.CidrBlock !== undefined)
    .sort((a, b) => (a.RuleNumber ?? 32767) - (b.RuleNumber ?? 32767));
  const range = addresses(cidr);
  const relevant = rules.filter(matchesTcp);
  const addressPoints = breakpoints(range, relevant.map((r) => addresses(r.CidrBlock!)));
  const portPoints = breakpoints(ports, relevant.map(portsOf));
  return addressPoints.every((address) =>
    portPoints.every((port) => {
      const first = rules.find((r) => {
        const a = addresses(r.CidrBlock!);
        const p = portsOf(r);
        return matchesTcp(r) && a.from <= address && address <= a.to && p.from <= port && port <= p.to;
      });
      return first?.RuleAction === 'allow';
    }),
  );
}

/** One leg of an HTTPS call between two subnets that a network ACL refuses. */
export interface RefusedLeg {
  readonly aclId: string;
  readonly direction: 'ingress' | 'egress';
  readonly ports: PortRange;
  readonly cidr: string;
}

/**
 * The legs of an HTTPS call from a client subnet to a server subnet that their ACLs refuse: the request leaving the
 * client's subnet and entering the server's (port 443), the reply leaving the server's and entering the client's
 * (ephemeral ports). Empty when the call goes through, or when it stays inside one subnet.
 */
export function refusedHttpsLegs(client: { id: string; cidr: string; acl: NetworkAcl }, server: { id: string; cidr: string; acl: NetworkAcl }): RefusedLeg[] {
  if (client.id === server.id) return [];
  const legs = [
    { acl: client.acl, direction: 'egress', ports: HTTPS, cidr: server.cidr },
    { acl: server.acl, direction: 'ingress', ports: HTTPS, cidr: client.cidr },
    { acl: server.acl, direction: 'egress', ports: EPHEMERAL, cidr: client.cidr },
    { acl: client.acl, direction: 'ingress', ports: EPHEMERAL, cidr: server.cidr },
  ] as const;
  return legs
    .filter((leg) => !naclAdmits(leg.acl, leg.direction, leg.cidr, leg.ports))
    .map(({ acl, ...leg }) => ({ aclId: acl.NetworkAclId ?? '', ...leg }));
}

/** "acl-1 outbound TCP 443 to 10.0.1.0/24". */
export function legText(leg: RefusedLeg): string {
  const ports = leg.ports.from === leg.ports.to ? `${leg.ports.from}` : `${leg.ports.from}-${leg.ports.to}`;
  return `${leg.aclId} ${leg.direction === 'egress' ? 'outbound' : 'inbound'} TCP ${ports} ${leg.direction === 'egress' ? 'to' : 'from'} ${leg.cidr}`;
}
