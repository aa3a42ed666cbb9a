/**
 * Checks of an existing VPC's network: the VPC, the subnets and their zones, the route
 * tables the deploy would touch, the way out to the internet, and the target security groups.
 */
import type { Subnet } from '@aws-sdk/client-ec2';
import type { ExistingNetworkConfig } from '../../modules/config';
import { isParticipant } from './check-sharing';
import type { ExistingVpcFacts } from './facts';
import { blocker, type Finding, ok, warning } from './findings';
import { createdServices, listText, type PreflightPlan } from './plan';
import {
  associatedSubnetIds,
  type BastionSubnet,
  interfaceEndpointsOf,
  isLive,
  isMainRouteTable,
  isOwnEndpoint,
  type NatPath,
  reachesInternet,
  zoneText,
} from './vpc-model';

/** What the existing-VPC checks look at. */
export interface ExistingVpcView {
  readonly plan: PreflightPlan;
  readonly network: ExistingNetworkConfig;
  readonly facts: ExistingVpcFacts;
  /** Every configured subnet, found or not. */
  readonly subnets: readonly BastionSubnet[];
  readonly nat: NatPath;
}

/** The subnets that exist in the configured VPC. */
export const subnetsInVpc = (view: ExistingVpcView) => view.subnets.filter((s) => s.inVpc);

/** The subnets the created endpoints put their network interfaces in: every bastion subnet, or the first (singleAz). */
export function endpointSubnets(view: ExistingVpcView): Subnet[] {
  const subnets = subnetsInVpc(view).flatMap((s) => (s.subnet?.CidrBlock ? [s.subnet] : []));
  return view.plan.config.endpoints.singleAz ? subnets.slice(0, 1) : subnets;
}

/** An AWS CLI command line for the plan's region. */
export const inRegion = (view: ExistingVpcView, command: string) => `${command} --region ${view.plan.region}`;

/** The IPv4 blocks associated with the VPC (a VPC may have up to five; the primary one is only the first). */
export function vpcCidrBlocks(view: ExistingVpcView): string[] {
  const vpc = view.facts.vpc;
  const associated = (vpc?.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlockState?.State === 'associated').flatMap((a) => (a.CidrBlock ? [a.CidrBlock] : []));
  return associated.length > 0 ? associated : vpc?.CidrBlock ? [vpc.CidrBlock] : [];
}

export function checkVpc(view: ExistingVpcView): Finding[] {
  const { vpcId } = view.network;
  if (!view.facts.vpc) {
    return [
      blocker(
        'vpc',
        `${vpcId} does not exist in ${view.plan.region} (or this account cannot see it).`,
        `Check network.vpcId, --region and --profile: ${inRegion(view, `aws ec2 describe-vpcs --vpc-ids ${vpcId}`)}`,
      ),
    ];
  }
  const blocks = vpcCidrBlocks(view);
  const admitted = createdServices(view.plan).length > 0 ? ' The endpoint security group will admit HTTPS from all of them.' : '';
  return [ok('vpc', `${vpcId} exists; its IPv4 CIDR blocks: ${blocks.join(', ')}.${admitted}`)];
}

export function checkSubnets(view: ExistingVpcView): Finding[] {
  const { vpcId } = view.network;
  const listSubnets = inRegion(view, `aws ec2 describe-subnets --filters Name=vpc-id,Values=${vpcId}`);
  return view.subnets.map((s, index) => {
    if (!s.subnet) return blocker('subnets', `${s.id} does not exist in ${view.plan.region}.`, `Fix network.subnetIds; the VPC's subnets: ${listSubnets}`);
    if (!s.inVpc) {
      return blocker('subnets', `${s.id} belongs to ${s.subnet.VpcId}, not to ${vpcId}.`, `List subnets of ${vpcId} in network.subnetIds: ${listSubnets}`);
    }
    // An IPv6-only subnet has no IPv4 range (https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html), and an
    // interface endpoint with IPv4 addresses, as the stacks create them, is "supported only if all selected subnets have IPv4
    // address ranges" (IpAddressType, https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html). The
    // bastion's and the endpoints' security group rules are IPv4 ranges too, so nothing of the stack works there.
    if (s.subnet.Ipv6Native) {
      return blocker(
        'subnets',
        `${s.id} is IPv6-only: it has no IPv4 range, and the stacks' interface endpoints and security group rules are IPv4, so creating the endpoints there fails and the bastion could not reach AWS.`,
        `Use subnets with an IPv4 range (IPv4-only or dual-stack) in network.subnetIds; the VPC's subnets: ${listSubnets}`,
      );
    }
    const first = index === 0 && view.plan.instanceType ? ' (first: the EC2 instance goes here)' : '';
    return ok('subnets', `${s.id}${first}: ${zoneText(s.subnet)}, ${s.subnet.CidrBlock}, route table ${s.routeTable?.RouteTableId ?? 'none'}.`);
  });
}

/**
 * Each interface endpoint has a network interface, with a private IPv4 address, in each of its subnets
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpce-interface.html); the EC2 bastion takes one in the first
 * subnet, and the Fargate task, whose awsvpc network interface has its own address
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html), one in whichever subnet
 * ECS places it. A subnet whose AvailableIpAddressCount (its unused private IPv4 addresses,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html) is below that fails the apply. This
 * deployment's own endpoints already hold their addresses and are not counted again; its bastion, which preflight does
 * not read, is.
 */
export function checkSubnetAddresses(view: ExistingVpcView): Finding[] {
  const { plan } = view;
  const { namePrefix } = plan.config;
  const created = createdServices(plan).filter(
    (service) => !interfaceEndpointsOf(view.facts.endpoints, plan.region, service).some((e) => isLive(e) && isOwnEndpoint(e, namePrefix, plan.stacks)),
  );
  const endpointIds = new Set(endpointSubnets(view).map((s) => s.SubnetId));
  const firstId = view.subnets[0]?.id;
  const findings: Finding[] = [];
  for (const s of subnetsInVpc(view)) {
    const free = s.subnet!.AvailableIpAddressCount;
    if (free === undefined || !s.subnet!.CidrBlock) continue;
    const needs = [
      endpointIds.has(s.id) && created.length > 0 ? { count: created.length, what: `the interface endpoints for ${listText(created)}` } : undefined,
      plan.stacks.includes('ec2-bastion') && s.id === firstId ? { count: 1, what: 'the EC2 bastion' } : undefined,
      plan.stacks.includes('ecs-bastion') ? { count: 1, what: 'the Fargate task (ECS may place it in any of the subnets)' } : undefined,
    ].filter((n) => n !== undefined);
    const needed = needs.reduce((sum, n) => sum + n.count, 0);
    if (free >= needed) continue;
    findings.push(
      blocker(
        'subnets',
        `${s.id} has ${free} free IPv4 address${free === 1 ? '' : 'es'}, and the deploy needs ${needed} there: ${listText(needs.map((n) => `${n.count} for ${n.what}`))}. The apply fails when it runs out.`,
        `Free ${needed - free} address${needed - free === 1 ? '' : 'es'} in ${s.id}, or list subnets with at least ${needed} free addresses in network.subnetIds.`,
      ),
    );
  }
  return findings;
}

/**
 * An interface endpoint takes at most one subnet per zone (CreateVpcEndpoint answers
 * DuplicateSubnetsInSameZone), and the stacks give their endpoints every bastion subnet unless singleAz.
 */
export function checkSubnetZones(view: ExistingVpcView): Finding[] {
  const byZone = new Map<string, BastionSubnet[]>();
  for (const s of subnetsInVpc(view)) {
    const zone = zoneText(s.subnet!);
    byZone.set(zone, [...(byZone.get(zone) ?? []), s]);
  }
  const createsEndpoints = createdServices(view.plan).length > 0 && !view.plan.config.endpoints.singleAz;
  const findings: Finding[] = [];
  for (const [zone, subnets] of byZone) {
    if (subnets.length < 2 || !createsEndpoints) continue;
    findings.push(
      blocker(
        'zones',
        `${listText(subnets.map((s) => s.id))} are all in ${zone}: an interface endpoint takes one subnet per zone, so creating the endpoints fails (DuplicateSubnetsInSameZone).`,
        'Keep one subnet per zone in network.subnetIds (the suggested settings do), or set endpoints.singleAz to true.',
      ),
    );
  }
  if (byZone.size > 0) findings.push(ok('zones', `The bastion's subnets are in ${listText([...byZone.keys()])}.`));
  return findings;
}

/**
 * The configured route tables only matter when the stack creates the S3 gateway endpoint: they are where its
 * route goes. The subnets' own route tables are what the bastion's traffic really follows.
 */
export function checkRouteTables(view: ExistingVpcView): Finding[] {
  const { vpcId, routeTableIds } = view.network;
  const createsS3 = view.plan.config.endpoints.s3 === 'create';
  const findings: Finding[] = [];
  for (const id of routeTableIds) {
    const table = view.facts.routeTables.find((t) => t.RouteTableId === id);
    if (table) continue;
    const message = `${id} is not a route table of ${vpcId}.`;
    const fix = `Fix network.routeTableIds: ${inRegion(view, `aws ec2 describe-route-tables --filters Name=vpc-id,Values=${vpcId}`)}`;
    findings.push(createsS3 ? blocker('route-tables', message, fix) : warning('route-tables', `${message} It is not used: endpoints.s3 is "${view.plan.config.endpoints.s3}".`, fix));
  }
  if (createsS3) {
    for (const s of subnetsInVpc(view)) {
      const tableId = s.routeTable?.RouteTableId;
      if (!tableId || routeTableIds.includes(tableId)) continue;
      const message = `${s.id} uses route table ${tableId}${s.routeTable && isMainRouteTable(s.routeTable) ? ' (the main one)' : ''}, which is not in network.routeTableIds: the S3 endpoint this stack creates would not serve it`;
      const fix = `Add ${tableId} to network.routeTableIds.`;
      findings.push(
        reachesInternet(s.egress)
          ? warning('route-tables', `${message}; its S3 traffic goes through ${s.egress.target} instead.`, fix)
          : blocker('route-tables', `${message}, and it has no NAT route: the bastion there cannot reach S3.`, fix),
      );
    }
  }
  const used = [...new Set(subnetsInVpc(view).flatMap((s) => (s.routeTable?.RouteTableId ? [s.routeTable.RouteTableId] : [])))];
  if (findings.length === 0 && used.length > 0) findings.push(ok('route-tables', `The bastion's subnets use ${listText(used)}.`));
  return findings;
}

/**
 * Subnets outside the bastion's that a route table serves: those associated with it, and for the main route
 * table every subnet of the VPC without an association of its own. Undefined: it serves the bastion only.
 */
export function otherSubnetsServed(view: ExistingVpcView, routeTableId: string): string | undefined {
  const table = view.facts.routeTables.find((t) => t.RouteTableId === routeTableId);
  if (!table) return undefined;
  const associated = new Set(view.facts.routeTables.flatMap(associatedSubnetIds));
  const implicit = isMainRouteTable(table) ? view.facts.vpcSubnets.flatMap((s) => (s.SubnetId && !associated.has(s.SubnetId) ? [s.SubnetId] : [])) : [];
  const others = [...associatedSubnetIds(table), ...implicit].filter((id) => !view.network.subnetIds.includes(id));
  if (others.length === 0) return undefined;
  return isMainRouteTable(table) ? `${listText(others)} (it is the main route table)` : listText(others);
}

export function checkNat(view: ExistingVpcView): Finding[] {
  const subnets = subnetsInVpc(view);
  if (subnets.length === 0) return [];
  const findings: Finding[] = [];
  for (const s of subnets.filter((s) => s.egress.kind === 'internet-gateway')) {
    findings.push(
      warning(
        'nat',
        `${s.id} routes 0.0.0.0/0 to ${s.egress.target}: a public subnet. The bastion gets no public IP, so that route does not take it anywhere.`,
        'Use private subnets for the bastion.',
      ),
    );
  }
  const without = subnets.filter((s) => !reachesInternet(s.egress));
  if (view.nat.detected) {
    const targets = [...new Set(subnets.map((s) => s.egress.target!))];
    findings.push(
      ok(
        'nat',
        `Every bastion subnet reaches the internet through ${listText(targets)}.${view.nat.configured ? '' : ' network.natGateway can be true (the suggested settings say so): then whatever no endpoint serves goes through it.'}`,
      ),
    );
  } else if (view.nat.configured) {
    findings.push(
      warning(
        'nat',
        `network.natGateway is true, but ${listText(without.map((s) => `${s.id} (${s.routeTable?.RouteTableId ?? 'no route table'})`))} ${without.length > 1 ? 'have' : 'has'} no 0.0.0.0/0 route through a NAT.`,
        'Set network.natGateway to false, or route those subnets through a NAT gateway.',
      ),
    );
  } else {
    findings.push(ok('nat', 'No NAT route from the bastion subnets: the bastion reaches AWS through VPC endpoints only.'));
  }
  return findings;
}

/** Target groups must exist (the rules name them) and belong to the bastion's VPC. */
export function checkTargets(view: ExistingVpcView): Finding[] {
  const { vpcId } = view.network;
  return view.plan.config.targets.flatMap((target, index) => {
    if (!target.securityGroupId) return [];
    const label = `targets[${index}] "${target.name}": ${target.securityGroupId}`;
    const group = view.facts.securityGroups.find((g) => g.GroupId === target.securityGroupId);
    if (!group) {
      // A participant of a shared VPC sees only its own security groups (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-share-limitations.html).
      const shared = isParticipant(view)
        ? ` If it is another account's group in this shared VPC, which this account cannot see or change, set targets[${index}].addIngressRule to false and ask its owner to admit the bastion.`
        : '';
      return [blocker('targets', `${label} does not exist in ${view.plan.region} (or this account cannot see it).`, `Fix the securityGroupId of the target (the security group of the database).${shared}`)];
    }
    if (group.VpcId !== vpcId) {
      // A rule may name a group of another VPC only across a VPC peering in the same region; preflight does not
      // read peerings, so this is a warning, not a blocker.
      return [
        warning(
          'targets',
          `${label} belongs to ${group.VpcId}, not to ${vpcId}: the bastion's rules can reference it only across a VPC peering; without one the apply fails.`,
          `Use a security group of ${vpcId}, or give the target a cidr instead.`,
        ),
      ];
    }
    return [ok('targets', `${label} (${group.GroupName}) is in ${vpcId}.`)];
  });
}
