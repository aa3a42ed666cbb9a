/**
 * The AWS reads of `bastion preflight`: what the VPC and the region look like, as the EC2 API reports it.
 * Nothing here judges; the checks are pure functions over these facts. Every read is an ec2:Describe* call,
 * every list is followed through its pages, and lookups by id use filters rather than id parameters, so an
 * id that does not exist is a missing entry to report instead of an InvalidXxxID.NotFound error for the
 * whole call.
 */
import {
  type AvailabilityZone,
  DescribeAvailabilityZonesCommand,
  DescribeDhcpOptionsCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type DhcpOptions,
  type EC2Client,
  type InstanceTypeOffering,
  type NetworkAcl,
  type NetworkInterface,
  type RouteTable,
  type SecurityGroup,
  type ServiceDetail,
  type Subnet,
  type Vpc,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { ExistingNetworkConfig } from '../../modules/config';
import { awsCall } from '../aws';
import { CliError } from '../errors';
import { createdServices, type PreflightPlan, serviceName } from './plan';

/** What the existing VPC of the configuration looks like. */
export interface ExistingVpcFacts {
  /** Undefined: no VPC with that id in this account and region. */
  readonly vpc?: Vpc;
  readonly dnsSupport?: boolean;
  readonly dnsHostnames?: boolean;
  /** The configured subnets that exist (in any VPC). */
  readonly subnets: readonly Subnet[];
  /** Every subnet of the VPC: who else a route table serves. */
  readonly vpcSubnets: readonly Subnet[];
  /** Every route table of the VPC (the main one decides for subnets without an association). */
  readonly routeTables: readonly RouteTable[];
  /** Every VPC endpoint of the VPC, interface and gateway. */
  readonly endpoints: readonly VpcEndpoint[];
  /** The target security groups and those of the interface endpoints the deploy would reuse. */
  readonly securityGroups: readonly SecurityGroup[];
  /**
   * The DHCP option set of the VPC, which tells its instances and tasks which DNS servers to ask; undefined when the VPC
   * has none ("default") or the set was not found, `denied` when AWS refused ec2:DescribeDhcpOptions.
   */
  readonly dhcpOptions?: DhcpOptions | { readonly denied: string };
  /** The account of the credentials preflight runs with: another account owns a VPC shared with it (AWS RAM). */
  readonly callerAccount?: string;
  /**
   * Read only when the deploy creates interface endpoints, whose private DNS sends every workload of the VPC to
   * them: the VPC's network ACLs, its network interfaces (in a shared VPC, this account's only) and their groups.
   */
  readonly neighbours?: NeighbourFacts | NeighboursUnread;
}

/** What the workloads of the VPC other than the bastion look like, as far as this account may see them. */
export interface NeighbourFacts {
  readonly networkAcls: readonly NetworkAcl[];
  readonly networkInterfaces: readonly NetworkInterface[];
  /** Every security group of the VPC that this account can see, with its outbound rules. */
  readonly securityGroups: readonly SecurityGroup[];
}

/** What the region offers in its zones. */
export interface RegionFacts {
  /**
   * The zones of the region: in create mode, where the subnets go; in an existing VPC only for the ECS bastion, whose
   * subnets' zone type (Local Zone, Wavelength Zone) decides whether Fargate runs there.
   */
  readonly availabilityZones?: readonly AvailabilityZone[];
  /** Set when AWS refused the existing-VPC read of the zones (ec2:DescribeAvailabilityZones). */
  readonly zonesDenied?: string;
  /** Where the EC2 bastion's instance type is offered (ec2-bastion only). */
  readonly instanceTypeOfferings?: readonly InstanceTypeOffering[];
  /** The interface endpoint services the checked stacks use, with their zones. */
  readonly endpointServices: readonly ServiceDetail[];
}

export interface PreflightFacts {
  readonly vpc?: ExistingVpcFacts;
  readonly region: RegionFacts;
}

// EC2 answers at most 1,000 items a page (DescribeVpcEndpoints, DescribeRouteTables, …) and hands a NextToken
// for the rest; following it is the only way to see a large VPC whole.
async function allPages<P extends { NextToken?: string }, T>(
  action: string,
  send: (nextToken: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(action, () => send(nextToken));
    all.push(...(items(page) ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return all;
}

const filter = (name: string, values: readonly string[]) => [{ Name: name, Values: [...values] }];

/** The interface endpoints the deploy would reuse: their security groups decide whether the bastion gets in. */
export function reusedEndpointGroupIds(plan: PreflightPlan, endpoints: readonly VpcEndpoint[]): string[] {
  const reused = new Set(plan.services.filter((s) => s.mode === 'existing').map((s) => serviceName(plan.region, s.service)));
  return endpoints.filter((e) => e.VpcEndpointType === 'Interface' && reused.has(e.ServiceName ?? '')).flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId ?? ''));
}

async function vpcAttribute(ec2: EC2Client, vpcId: string, attribute: 'enableDnsSupport' | 'enableDnsHostnames'): Promise<boolean | undefined> {
  const result = await awsCall('ec2:DescribeVpcAttribute', () => ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: attribute })));
  return (attribute === 'enableDnsSupport' ? result.EnableDnsSupport : result.EnableDnsHostnames)?.Value;
}

/** What neighbourFacts answers when the deployer may not read the VPC's network ACLs or interfaces. */
export interface NeighboursUnread {
  /** The refused actions, e.g. ["ec2:DescribeNetworkAcls"]. */
  readonly deniedActions: readonly string[];
}

/** The items of every page, or the action itself when AWS refuses it (AccessDenied / UnauthorizedOperation). */
async function pagesOrDenied<P extends { NextToken?: string }, T>(
  action: string,
  send: (nextToken: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[] | undefined,
): Promise<T[] | { readonly denied: string }> {
  try {
    return await allPages(action, send, items);
  } catch (error) {
    if (error instanceof CliError && error.code === 'AccessDenied') return { denied: action };
    throw error;
  }
}

/**
 * The VPC's network ACLs, interfaces and security groups. These feed warnings only (what the created endpoints
 * change for other workloads), and the two reads are newer than many deployers' policies: a refusal of any of the
 * three leaves those two checks unmade, saying so, instead of failing the whole preflight.
 */
async function neighbourFacts(ec2: EC2Client, vpcFilter: ReturnType<typeof filter>): Promise<NeighbourFacts | NeighboursUnread> {
  const [networkAcls, networkInterfaces, securityGroups] = await Promise.all([
    pagesOrDenied('ec2:DescribeNetworkAcls', (NextToken) => ec2.send(new DescribeNetworkAclsCommand({ Filters: vpcFilter, NextToken })), (p) => p.NetworkAcls),
    pagesOrDenied('ec2:DescribeNetworkInterfaces', (NextToken) => ec2.send(new DescribeNetworkInterfacesCommand({ Filters: vpcFilter, NextToken })), (p) => p.NetworkInterfaces),
    pagesOrDenied('ec2:DescribeSecurityGroups', (NextToken) => ec2.send(new DescribeSecurityGroupsCommand({ Filters: vpcFilter, NextToken })), (p) => p.SecurityGroups),
  ]);
  const denied = [networkAcls, networkInterfaces, securityGroups].flatMap((read) => ('denied' in read ? [read.denied] : []));
  if (denied.length > 0) return { deniedActions: denied };
  return { networkAcls, networkInterfaces, securityGroups } as NeighbourFacts;
}

/**
 * The VPC's DHCP option set. Its id is "default" when the VPC has none: instances then use the Amazon DNS server
 * (https://docs.aws.amazon.com/vpc/latest/userguide/VPC_DHCP_Options.html). The read feeds a warning only and is newer
 * than many deployers' policies, so a refusal leaves that check unmade instead of failing the preflight.
 */
async function dhcpOptionsOf(ec2: EC2Client, id: string | undefined): Promise<ExistingVpcFacts['dhcpOptions']> {
  if (!id || id === 'default') return undefined;
  const sets = await pagesOrDenied(
    'ec2:DescribeDhcpOptions',
    (NextToken) => ec2.send(new DescribeDhcpOptionsCommand({ Filters: filter('dhcp-options-id', [id]), NextToken })),
    (p) => p.DhcpOptions,
  );
  return 'denied' in sets ? sets : sets.find((d) => d.DhcpOptionsId === id);
}

// STS answers GetCallerIdentity for any valid credentials, with no IAM permission: the account the deploy would use.
async function callerAccount(sts: STSClient): Promise<string | undefined> {
  return (await awsCall('sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({}))))?.Account;
}

async function existingVpcFacts(ec2: EC2Client, sts: STSClient, plan: PreflightPlan, network: ExistingNetworkConfig): Promise<ExistingVpcFacts> {
  const vpcFilter = filter('vpc-id', [network.vpcId]);
  const [vpcs, subnets, vpcSubnets, routeTables, endpoints, caller, neighbours] = await Promise.all([
    allPages('ec2:DescribeVpcs', (NextToken) => ec2.send(new DescribeVpcsCommand({ Filters: vpcFilter, NextToken })), (p) => p.Vpcs),
    allPages('ec2:DescribeSubnets', (NextToken) => ec2.send(new DescribeSubnetsCommand({ Filters: filter('subnet-id', network.subnetIds), NextToken })), (p) => p.Subnets),
    allPages('ec2:DescribeSubnets', (NextToken) => ec2.send(new DescribeSubnetsCommand({ Filters: vpcFilter, NextToken })), (p) => p.Subnets),
    allPages('ec2:DescribeRouteTables', (NextToken) => ec2.send(new DescribeRouteTablesCommand({ Filters: vpcFilter, NextToken })), (p) => p.RouteTables),
    allPages('ec2:DescribeVpcEndpoints', (NextToken) => ec2.send(new DescribeVpcEndpointsCommand({ Filters: vpcFilter, NextToken })), (p) => p.VpcEndpoints),
    callerAccount(sts),
    createdServices(plan).length > 0 ? neighbourFacts(ec2, vpcFilter) : undefined,
  ]);
  const vpc = vpcs.find((v) => v.VpcId === network.vpcId);
  // DescribeVpcs does not return the DNS attributes: each needs its own DescribeVpcAttribute call.
  const [dnsSupport, dnsHostnames] = vpc
    ? await Promise.all([vpcAttribute(ec2, network.vpcId, 'enableDnsSupport'), vpcAttribute(ec2, network.vpcId, 'enableDnsHostnames')])
    : [undefined, undefined];
  const dhcpOptions = vpc ? await dhcpOptionsOf(ec2, vpc.DhcpOptionsId) : undefined;
  const groupIds = [
    ...new Set([...plan.config.targets.flatMap((t) => (t.securityGroupId ? [t.securityGroupId] : [])), ...reusedEndpointGroupIds(plan, endpoints)]),
  ].filter((id) => id !== '');
  const securityGroups =
    groupIds.length === 0
      ? []
      : await allPages(
          'ec2:DescribeSecurityGroups',
          (NextToken) => ec2.send(new DescribeSecurityGroupsCommand({ Filters: filter('group-id', groupIds), NextToken })),
          (p) => p.SecurityGroups,
        );
  return {
    vpc,
    dnsSupport,
    dnsHostnames,
    dhcpOptions,
    subnets,
    vpcSubnets,
    routeTables,
    endpoints,
    securityGroups,
    callerAccount: caller,
    neighbours: vpc ? neighbours : undefined,
  };
}

async function regionFacts(ec2: EC2Client, plan: PreflightPlan): Promise<RegionFacts> {
  // Every service the stacks use, not only those the configuration creates: the suggested settings may turn a
  // group to "create", and then need to know where its services are offered.
  const services = plan.services.map((s) => serviceName(plan.region, s.service));
  const readZones = () => awsCall('ec2:DescribeAvailabilityZones', () => ec2.send(new DescribeAvailabilityZonesCommand({}))).then((r) => r.AvailabilityZones ?? []);
  const [zones, instanceTypeOfferings, endpointServices] = await Promise.all([
    plan.config.network.mode === 'create' ? readZones() : plan.stacks.includes('ecs-bastion') ? zonesOrDenied(readZones) : undefined,
    plan.instanceType
      ? allPages(
          'ec2:DescribeInstanceTypeOfferings',
          (NextToken) =>
            ec2.send(
              new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: filter('instance-type', [plan.instanceType!]), NextToken }),
            ),
          (p) => p.InstanceTypeOfferings,
        )
      : undefined,
    services.length > 0
      ? allPages(
          'ec2:DescribeVpcEndpointServices',
          (NextToken) => ec2.send(new DescribeVpcEndpointServicesCommand({ Filters: filter('service-name', services), NextToken })),
          (p) => p.ServiceDetails,
        )
      : [],
  ]);
  const availabilityZones = zones && 'denied' in zones ? undefined : zones;
  return { availabilityZones, instanceTypeOfferings, endpointServices, ...(zones && 'denied' in zones ? { zonesDenied: zones.denied } : {}) };
}

// In an existing VPC the zones feed one check only: a refusal leaves it unmade, saying so, instead of failing the preflight.
async function zonesOrDenied(read: () => Promise<AvailabilityZone[]>): Promise<AvailabilityZone[] | { readonly denied: string }> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CliError && error.code === 'AccessDenied') return { denied: 'ec2:DescribeAvailabilityZones' };
    throw error;
  }
}

/** Reads everything the checks need, in parallel where the calls do not depend on each other. */
export async function gatherFacts(ec2: EC2Client, sts: STSClient, plan: PreflightPlan): Promise<PreflightFacts> {
  const network = plan.config.network;
  const [vpc, region] = await Promise.all([
    network.mode === 'existing' ? existingVpcFacts(ec2, sts, plan, network) : undefined,
    regionFacts(ec2, plan),
  ]);
  return { vpc, region };
}
