/**
 * A small AWS region for the preflight tests: one existing VPC as most teams have it (private subnets in two
 * zones with their own route tables, a NAT-less network, an S3 gateway endpoint and a shared ssm endpoint set),
 * and an EC2 client mock that answers the Describe* calls the way EC2 does: by filter, and page by page.
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
  type Filter,
  type NetworkAcl,
  type NetworkAclEntry,
  type NetworkInterface,
  type RouteTable,
  type SecurityGroup,
  type ServiceDetail,
  type Subnet,
  type Vpc,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { PREFIX, REGION } from './support';

export const VPC_ID = 'vpc-0a1b2c3d4e5f60718';
export const OTHER_VPC_ID = 'vpc-0ffffffffffffffff';
export const SUBNET_A = 'subnet-0aaaaaaaaaaaaaaa1';
export const SUBNET_B = 'subnet-0bbbbbbbbbbbbbbb2';
export const SUBNET_APP = 'subnet-0cccccccccccccc03';
export const RTB_A = 'rtb-0aaaaaaaaaaaaaaa1';
export const RTB_B = 'rtb-0bbbbbbbbbbbbbbb2';
export const RTB_MAIN = 'rtb-0eeeeeeeeeeeeeee9';
export const S3_ENDPOINT = 'vpce-0s3gateway000001';
export const DB_GROUP = 'sg-0123456789abcdef0';
export const SHARED_ENDPOINT_GROUP = 'sg-0e0e0e0e0e0e0e0e0';
export const DEFAULT_ACL = 'acl-0d0d0d0d0d0d0d0d0';
export const DHCP_OPTIONS = 'dopt-0a0a0a0a0a0a0a0a0';
/** The account preflight runs with, which owns the VPC unless a test shares it from another. */
export const ACCOUNT = '123456789012';
export const OWNER_ACCOUNT = '210987654321';

/** The existing VPC and its region, as plain SDK shapes a test may change before mocking. */
export interface World {
  vpcs: Vpc[];
  dns: Record<string, { support: boolean; hostnames: boolean }>;
  /** The DHCP option sets; a VPC names its own by DhcpOptionsId. */
  dhcpOptions: DhcpOptions[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  endpoints: VpcEndpoint[];
  securityGroups: SecurityGroup[];
  networkAcls: NetworkAcl[];
  networkInterfaces: NetworkInterface[];
  /** The account of the caller (sts:GetCallerIdentity). */
  account: string;
  zones: AvailabilityZone[];
  /** Zones offering each instance type. */
  offerings: Record<string, string[]>;
  services: ServiceDetail[];
  /** Items per page of the paged calls (EC2 allows up to 1,000). */
  pageSize: number;
}

const ZONES: [string, string][] = [
  [`${REGION}a`, 'euw1-az3'],
  [`${REGION}b`, 'euw1-az1'],
  [`${REGION}c`, 'euw1-az2'],
];

export const subnet = (id: string, zone: number, cidr: string, vpcId = VPC_ID): Subnet => ({
  SubnetId: id,
  VpcId: vpcId,
  AvailabilityZone: ZONES[zone]![0],
  AvailabilityZoneId: ZONES[zone]![1],
  CidrBlock: cidr,
});

const local = { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' } as const;

export function interfaceEndpoint(service: string, id: string, extra: Partial<VpcEndpoint> = {}): VpcEndpoint {
  return {
    VpcEndpointId: id,
    VpcEndpointType: 'Interface',
    VpcId: VPC_ID,
    ServiceName: `com.amazonaws.${REGION}.${service}`,
    State: 'available' as never,
    PrivateDnsEnabled: true,
    Groups: [{ GroupId: SHARED_ENDPOINT_GROUP, GroupName: 'shared-endpoints' }],
    ...extra,
  };
}

/** The endpoints a stack of this deployment created (its provider default tags). */
export const ownTags = (stack: string) => [
  { Key: 'ssm-bastion:stack', Value: stack },
  { Key: 'ssm-bastion:name-prefix', Value: PREFIX },
];

export const S3_GATEWAY: VpcEndpoint = {
  VpcEndpointId: S3_ENDPOINT,
  VpcEndpointType: 'Gateway',
  VpcId: VPC_ID,
  ServiceName: `com.amazonaws.${REGION}.s3`,
  State: 'available' as never,
  RouteTableIds: [RTB_A, RTB_B],
  PolicyDocument: '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
};

/** A network ACL rule for every protocol, or for TCP on a port range. */
export const aclEntry = (egress: boolean, rule: number, action: 'allow' | 'deny', cidr: string, ports?: [number, number]): NetworkAclEntry => ({
  Egress: egress,
  RuleNumber: rule,
  RuleAction: action,
  CidrBlock: cidr,
  Protocol: ports ? '6' : '-1',
  ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
});

/** A network ACL: its rules (the `*` deny rules AWS adds are appended) and the subnets associated with it. */
export const networkAcl = (id: string, subnetIds: readonly string[], entries: readonly NetworkAclEntry[], isDefault = false): NetworkAcl => ({
  NetworkAclId: id,
  VpcId: VPC_ID,
  IsDefault: isDefault,
  Associations: subnetIds.map((SubnetId) => ({ SubnetId, NetworkAclId: id })),
  Entries: [...entries, aclEntry(false, 32767, 'deny', '0.0.0.0/0'), aclEntry(true, 32767, 'deny', '0.0.0.0/0')],
});

/** A workload's network interface in a subnet, with its security groups. */
export const workloadInterface = (id: string, subnetId: string, groupIds: readonly string[], extra: Partial<NetworkInterface> = {}): NetworkInterface => ({
  NetworkInterfaceId: id,
  VpcId: VPC_ID,
  SubnetId: subnetId,
  InterfaceType: 'interface',
  Groups: groupIds.map((GroupId) => ({ GroupId })),
  ...extra,
});

const INTERFACE_SERVICES = ['ssm', 'ssmmessages', 'ec2messages', 'ecr.api', 'ecr.dkr', 'logs', 'kms'];

/** A fresh world: DNS on, two private subnets (a, b) plus an app subnet, the S3 gateway on their tables, no interface endpoints. */
export function world(): World {
  return {
    vpcs: [
      {
        VpcId: VPC_ID,
        OwnerId: ACCOUNT,
        DhcpOptionsId: DHCP_OPTIONS,
        CidrBlock: '10.0.0.0/16',
        CidrBlockAssociationSet: [
          { CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } },
          { CidrBlock: '100.64.0.0/16', CidrBlockState: { State: 'associated' } },
          { CidrBlock: '10.9.0.0/16', CidrBlockState: { State: 'disassociated' } },
        ],
      },
      { VpcId: OTHER_VPC_ID, CidrBlock: '172.31.0.0/16' },
    ],
    dns: { [VPC_ID]: { support: true, hostnames: true } },
    // The set AWS creates for an account's VPCs: the Amazon DNS server.
    dhcpOptions: [
      {
        DhcpOptionsId: DHCP_OPTIONS,
        DhcpConfigurations: [
          { Key: 'domain-name', Values: [{ Value: `${REGION}.compute.internal` }] },
          { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
        ],
      },
    ],
    subnets: [subnet(SUBNET_A, 0, '10.0.1.0/24'), subnet(SUBNET_B, 1, '10.0.2.0/24'), subnet(SUBNET_APP, 0, '10.0.8.0/24')],
    routeTables: [
      { RouteTableId: RTB_A, VpcId: VPC_ID, Associations: [{ SubnetId: SUBNET_A }], Routes: [local] },
      { RouteTableId: RTB_B, VpcId: VPC_ID, Associations: [{ SubnetId: SUBNET_B }], Routes: [local] },
      // The main table: the app subnet (no association of its own) uses it, and it goes out through an internet gateway.
      {
        RouteTableId: RTB_MAIN,
        VpcId: VPC_ID,
        Associations: [{ Main: true }],
        Routes: [local, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a0a0a0a0a0a0a0a0', State: 'active' }],
      },
    ],
    endpoints: [S3_GATEWAY],
    securityGroups: [
      { GroupId: DB_GROUP, GroupName: 'aurora', VpcId: VPC_ID, OwnerId: ACCOUNT },
      {
        GroupId: SHARED_ENDPOINT_GROUP,
        GroupName: 'shared-endpoints',
        VpcId: VPC_ID,
        OwnerId: ACCOUNT,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }],
      },
    ],
    // The VPC's default network ACL, as AWS creates it: everything in and out, for every subnet.
    networkAcls: [networkAcl(DEFAULT_ACL, [SUBNET_A, SUBNET_B, SUBNET_APP], [aclEntry(false, 100, 'allow', '0.0.0.0/0'), aclEntry(true, 100, 'allow', '0.0.0.0/0')], true)],
    networkInterfaces: [],
    account: ACCOUNT,
    zones: ZONES.map(([ZoneName, ZoneId]) => ({ ZoneName, ZoneId, State: 'available', ZoneType: 'availability-zone', RegionName: REGION })),
    offerings: { 't4g.nano': ZONES.map(([name]) => name), 't3.micro': ZONES.map(([name]) => name) },
    services: [
      ...INTERFACE_SERVICES.map((service) => ({
        ServiceName: `com.amazonaws.${REGION}.${service}`,
        ServiceType: [{ ServiceType: 'Interface' as const }],
        AvailabilityZones: ZONES.map(([name]) => name),
      })),
      { ServiceName: `com.amazonaws.${REGION}.s3`, ServiceType: [{ ServiceType: 'Gateway' as const }], AvailabilityZones: ZONES.map(([name]) => name) },
    ],
    pageSize: 1000,
  };
}

/** Items matching every filter (values OR-ed within a filter, filters AND-ed), as EC2 filters. */
function filtered<T>(items: readonly T[], filters: readonly Filter[] | undefined, fields: Record<string, (item: T) => string | undefined>): T[] {
  return items.filter((item) =>
    (filters ?? []).every((f) => {
      const field = fields[f.Name ?? ''];
      if (!field) throw new Error(`test world: no filter ${f.Name}`);
      return (f.Values ?? []).includes(field(item) ?? '');
    }),
  );
}

/** One page of `items` from NextToken (an index in this world). */
function page<T>(items: readonly T[], nextToken: string | undefined, size: number): { items: T[]; NextToken?: string } {
  const start = nextToken ? Number(nextToken) : 0;
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

/** Answers the EC2 Describe* calls of preflight from the world. */
export function mockWorld(ec2Mock: AwsClientStub<EC2Client>, w: World): void {
  ec2Mock.on(DescribeVpcsCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.vpcs, Filters, { 'vpc-id': (v) => v.VpcId }), NextToken, w.pageSize);
    return { Vpcs: items, ...rest };
  });
  ec2Mock.on(DescribeVpcAttributeCommand).callsFake(({ VpcId, Attribute }) => {
    const dns = w.dns[VpcId];
    if (!dns) throw Object.assign(new Error(`The vpc ID '${VpcId}' does not exist`), { name: 'InvalidVpcID.NotFound' });
    return Attribute === 'enableDnsSupport' ? { VpcId, EnableDnsSupport: { Value: dns.support } } : { VpcId, EnableDnsHostnames: { Value: dns.hostnames } };
  });
  ec2Mock.on(DescribeDhcpOptionsCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.dhcpOptions, Filters, { 'dhcp-options-id': (d) => d.DhcpOptionsId }), NextToken, w.pageSize);
    return { DhcpOptions: items, ...rest };
  });
  ec2Mock.on(DescribeSubnetsCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.subnets, Filters, { 'subnet-id': (s) => s.SubnetId, 'vpc-id': (s) => s.VpcId }), NextToken, w.pageSize);
    return { Subnets: items, ...rest };
  });
  ec2Mock.on(DescribeRouteTablesCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.routeTables, Filters, { 'vpc-id': (t) => t.VpcId }), NextToken, w.pageSize);
    return { RouteTables: items, ...rest };
  });
  ec2Mock.on(DescribeVpcEndpointsCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.endpoints, Filters, { 'vpc-id': (e) => e.VpcId }), NextToken, w.pageSize);
    return { VpcEndpoints: items, ...rest };
  });
  ec2Mock.on(DescribeSecurityGroupsCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.securityGroups, Filters, { 'group-id': (g) => g.GroupId, 'vpc-id': (g) => g.VpcId }), NextToken, w.pageSize);
    return { SecurityGroups: items, ...rest };
  });
  ec2Mock.on(DescribeNetworkAclsCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.networkAcls, Filters, { 'vpc-id': (a) => a.VpcId }), NextToken, w.pageSize);
    return { NetworkAcls: items, ...rest };
  });
  ec2Mock.on(DescribeNetworkInterfacesCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.networkInterfaces, Filters, { 'vpc-id': (e) => e.VpcId }), NextToken, w.pageSize);
    return { NetworkInterfaces: items, ...rest };
  });
  ec2Mock.on(DescribeAvailabilityZonesCommand).callsFake(() => ({ AvailabilityZones: w.zones }));
  ec2Mock.on(DescribeInstanceTypeOfferingsCommand).callsFake(({ Filters, NextToken, LocationType }) => {
    if (LocationType !== 'availability-zone') throw new Error('test world: offerings by availability zone only');
    const all = Object.entries(w.offerings).flatMap(([InstanceType, zones]) => zones.map((Location) => ({ InstanceType, LocationType, Location })));
    const { items, ...rest } = page(filtered(all, Filters, { 'instance-type': (o) => o.InstanceType }), NextToken, w.pageSize);
    return { InstanceTypeOfferings: items, ...rest };
  });
  ec2Mock.on(DescribeVpcEndpointServicesCommand).callsFake(({ Filters, NextToken }) => {
    const { items, ...rest } = page(filtered(w.services, Filters, { 'service-name': (s) => s.ServiceName }), NextToken, w.pageSize);
    return { ServiceDetails: items, ...rest };
  });
}
