/**
 * What the raw EC2 descriptions mean for a deploy: which route table a subnet really uses, whether it has a
 * way out to the internet, which endpoints are this project's own, which S3 gateway endpoint serves a route
 * table. Pure functions, shared by the checks and the suggested configuration.
 */
import type { IpPermission, RouteTable, SecurityGroup, Subnet, Tag, VpcEndpoint } from '@aws-sdk/client-ec2';
import { parseCidr, type StackName } from '../../modules/config';
import { PREFIX_TAG, STACK_TAG } from '../../modules/naming';
import { serviceName } from './plan';

/**
 * A subnet's effective route table: the one explicitly associated with it, else the VPC's main route table
 * (AWS routes every subnet without an explicit association through the main table).
 */
export function effectiveRouteTable(subnetId: string, routeTables: readonly RouteTable[]): RouteTable | undefined {
  const explicit = routeTables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId));
  return explicit ?? routeTables.find((t) => t.Associations?.some((a) => a.Main === true));
}

export function isMainRouteTable(table: RouteTable): boolean {
  return table.Associations?.some((a) => a.Main === true) === true;
}

/** Subnets explicitly associated with a route table. */
export function associatedSubnetIds(table: RouteTable): string[] {
  return (table.Associations ?? []).flatMap((a) => (a.SubnetId ? [a.SubnetId] : []));
}

/**
 * Where a route table sends 0.0.0.0/0. "nat": a NAT gateway; "transit": a transit gateway (central egress,
 * usually NAT in another VPC); "appliance": a NAT instance or firewall (instance or network interface);
 * "internet-gateway": straight out, which only works for addresses with a public IP — the bastion gets none;
 * "none": no default route, or a blackhole one (its target was deleted).
 */
export type EgressKind = 'nat' | 'transit' | 'appliance' | 'internet-gateway' | 'none';

export interface Egress {
  readonly kind: EgressKind;
  /** nat-…, tgw-…, eni-…, i-…, igw-… */
  readonly target?: string;
}

export function defaultRoute(table: RouteTable | undefined): Egress {
  const route = table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.State !== 'blackhole');
  if (!route) return { kind: 'none' };
  if (route.NatGatewayId) return { kind: 'nat', target: route.NatGatewayId };
  if (route.TransitGatewayId) return { kind: 'transit', target: route.TransitGatewayId };
  if (route.NetworkInterfaceId || route.InstanceId) return { kind: 'appliance', target: route.NetworkInterfaceId ?? route.InstanceId };
  if (route.GatewayId?.startsWith('igw-')) return { kind: 'internet-gateway', target: route.GatewayId };
  return { kind: 'none' };
}

/** True when traffic from a private address reaches the internet (and so the public AWS endpoints). */
export function reachesInternet(egress: Egress): boolean {
  return egress.kind === 'nat' || egress.kind === 'transit' || egress.kind === 'appliance';
}

const tag = (tags: readonly Tag[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;

/**
 * An endpoint a stack of this deployment created (its provider default tags): after a deploy, preflight must
 * not call the stack's own endpoints a collision.
 */
export function isOwnEndpoint(endpoint: VpcEndpoint, namePrefix: string, stacks: readonly StackName[]): boolean {
  return isOwnResource(endpoint, namePrefix, stacks);
}

/** A resource (endpoint, security group) a stack of this deployment created, by the provider default tags. */
export function isOwnResource(resource: { readonly Tags?: readonly Tag[] }, namePrefix: string, stacks: readonly StackName[]): boolean {
  const stack = tag(resource.Tags, STACK_TAG);
  return tag(resource.Tags, PREFIX_TAG) === namePrefix && stack !== undefined && (stacks as readonly string[]).includes(stack);
}

// The API answers lowercase states ("available"); the SDK's enum is capitalised. Gone endpoints do not count.
const GONE_STATES = new Set(['deleting', 'deleted', 'rejected', 'failed', 'expired']);

/** Endpoints that exist (or are on their way), not those being deleted or failed. */
export function isLive(endpoint: VpcEndpoint): boolean {
  return !GONE_STATES.has((endpoint.State ?? '').toLowerCase());
}

/** The live interface endpoints of a service in the VPC. */
export function interfaceEndpointsOf(endpoints: readonly VpcEndpoint[], region: string, service: string): VpcEndpoint[] {
  return endpoints.filter((e) => e.VpcEndpointType === 'Interface' && e.ServiceName === serviceName(region, service) && isLive(e));
}

/** The live S3 gateway endpoints of the VPC. */
export function s3GatewayEndpoints(endpoints: readonly VpcEndpoint[], region: string): VpcEndpoint[] {
  return endpoints.filter((e) => e.VpcEndpointType === 'Gateway' && e.ServiceName === serviceName(region, 's3') && isLive(e));
}

/** The S3 gateway endpoint whose prefix-list route a route table carries (a table takes only one). */
export function s3EndpointOn(routeTableId: string, gateways: readonly VpcEndpoint[]): VpcEndpoint | undefined {
  return gateways.find((e) => e.RouteTableIds?.includes(routeTableId));
}

/** True when every address of `inner` lies in `outer` (both IPv4 CIDR blocks). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (i.prefix < o.prefix) return false;
  const size = 2 ** (32 - o.prefix);
  return Math.floor(i.network / size) === Math.floor(o.network / size);
}

/** Whether one of the rules covers TCP 443 for every address of `cidr` through an IPv4 range. */
function coversHttps(permissions: readonly IpPermission[], cidr: string): boolean {
  return permissions.some((permission) => {
    const anyTcp = permission.IpProtocol === '-1';
    const tcp443 = (permission.IpProtocol === 'tcp' || permission.IpProtocol === '6') && (permission.FromPort ?? 0) <= 443 && 443 <= (permission.ToPort ?? 65535);
    return (anyTcp || tcp443) && (permission.IpRanges ?? []).some((range) => range.CidrIp !== undefined && cidrContains(range.CidrIp, cidr));
  });
}

/**
 * Whether the security groups admit TCP 443 from every address of `cidr` through an IPv4 range rule. Rules
 * that name a security group or a prefix list are not counted: the bastion's group does not exist before the
 * deploy, and a prefix list's entries would need another read.
 */
export function admitsHttpsFrom(groups: readonly SecurityGroup[], cidr: string): boolean {
  return groups.some((group) => coversHttps(group.IpPermissions ?? [], cidr));
}

/**
 * Whether the security groups let a network interface send TCP 443 to every address of `cidr` (an interface may
 * send what any of its groups' outbound rules allows). Only IPv4 range rules count, as for admitsHttpsFrom: the
 * endpoints' group is new, so no rule can name it yet. "An outbound rule permits instances to send traffic to the
 * specified IPv4 or IPv6 address ranges, the IP address ranges specified by a prefix list, or the instances that
 * are associated with a source security group": nothing else leaves.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupEgress.html
 */
export function allowsHttpsTo(groups: readonly SecurityGroup[], cidr: string): boolean {
  return groups.some((group) => coversHttps(group.IpPermissionsEgress ?? [], cidr));
}

/** "eu-west-1a (euw1-az3)". */
export function zoneText(subnet: Pick<Subnet, 'AvailabilityZone' | 'AvailabilityZoneId'>): string {
  return `${subnet.AvailabilityZone ?? 'unknown zone'}${subnet.AvailabilityZoneId ? ` (${subnet.AvailabilityZoneId})` : ''}`;
}

/** One configured subnet of the bastion, as found in the VPC. */
export interface BastionSubnet {
  readonly id: string;
  /** Undefined: no such subnet. */
  readonly subnet?: Subnet;
  /** It exists and belongs to the configured VPC. */
  readonly inVpc: boolean;
  readonly routeTable?: RouteTable;
  readonly egress: Egress;
}

/** Whether the bastion may fall back on a NAT for what no endpoint serves. */
export interface NatPath {
  /** network.natGateway of the configuration: only then does the bastion's security group allow HTTPS out. */
  readonly configured: boolean;
  /** Every bastion subnet routes 0.0.0.0/0 to a NAT (or transit gateway, or appliance). */
  readonly detected: boolean;
}

export const natUsable = (nat: NatPath) => nat.configured && nat.detected;

/** The configured subnets with their VPC membership, effective route table and way out. */
export function bastionSubnets(
  subnetIds: readonly string[],
  vpcId: string,
  subnets: readonly Subnet[],
  routeTables: readonly RouteTable[],
): BastionSubnet[] {
  return subnetIds.map((id) => {
    const subnet = subnets.find((s) => s.SubnetId === id);
    const inVpc = subnet?.VpcId === vpcId;
    const routeTable = inVpc ? effectiveRouteTable(id, routeTables) : undefined;
    return { id, subnet, inVpc, routeTable, egress: defaultRoute(routeTable) };
  });
}

/** NAT path of the subnets that are in the VPC (false when none is). */
export function natPath(subnets: readonly BastionSubnet[], configured: boolean): NatPath {
  const usable = subnets.filter((s) => s.inVpc);
  return { configured, detected: usable.length > 0 && usable.every((s) => reachesInternet(s.egress)) };
}
