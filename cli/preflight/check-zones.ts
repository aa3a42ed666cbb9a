/**
 * What the zones of the deploy offer: the EC2 bastion's instance type and the endpoint services the deploy
 * creates. Zone names ("us-east-1a") map to different physical zones in each account; zone ids ("use1-az1")
 * do not, so every message names both.
 */
import type { AvailabilityZone } from '@aws-sdk/client-ec2';
import { FARGATE_ZONE_IDS, isZoneId } from '../../modules/config';
import type { InterfaceService } from '../../modules/endpoints';
import type { ExistingVpcView } from './check-network';
import type { PreflightFacts } from './facts';
import { blocker, type Finding, ok, warning } from './findings';
import { createdServices, listText, type PreflightPlan, serviceName } from './plan';

/** A zone the deploy puts a subnet (and possibly endpoints or the instance) into, in configuration order. */
export interface PlacementZone {
  readonly name: string;
  readonly id?: string;
  /** The existing subnet in it (existing mode). */
  readonly subnetId?: string;
  /** As network.availabilityZones writes it (create mode): the zone's name or its id. */
  readonly configured?: string;
}

export const zoneLabel = (zone: PlacementZone) => `${zone.name}${zone.id && zone.id !== zone.name ? ` (${zone.id})` : ''}`;

/**
 * The region's zone that a zone of the configuration names, by name ("us-east-1a") or by zone id ("use1-az1"):
 * network.availabilityZones takes either, and DescribeAvailabilityZones gives both.
 */
export function regionZone(zones: readonly AvailabilityZone[] | undefined, configured: string): AvailabilityZone | undefined {
  return zones?.find((z) => z.ZoneName === configured || z.ZoneId === configured);
}

/** The zone AWS keeps for older hardware in us-east-1: it lacks newer instance families, and Fargate does not run there. */
export const OLD_US_EAST_1_ZONE = 'use1-az3';

/** The zones of the bastion subnets (existing mode) or of network.availabilityZones (create mode). */
export function placementZones(plan: PreflightPlan, facts: PreflightFacts, view?: ExistingVpcView): PlacementZone[] {
  if (view) {
    return view.subnets.filter((s) => s.inVpc).map((s) => ({ name: s.subnet!.AvailabilityZone ?? '', id: s.subnet!.AvailabilityZoneId, subnetId: s.id }));
  }
  const network = plan.config.network;
  if (network.mode !== 'create') return [];
  return network.availabilityZones.map((configured) => {
    const zone = regionZone(facts.region.availabilityZones, configured);
    return { name: zone?.ZoneName ?? configured, id: zone?.ZoneId ?? (isZoneId(configured) ? configured : undefined), configured };
  });
}

const uniqueByName = (zones: readonly PlacementZone[]) => zones.filter((z, i) => zones.findIndex((o) => o.name === z.name) === i);

/** Create mode: the configured zones exist for this account and are available. */
export function checkCreateZones(plan: PreflightPlan, regionZones: readonly AvailabilityZone[]): Finding[] {
  const network = plan.config.network;
  if (network.mode !== 'create') return [];
  const zones = regionZones.filter((z) => (z.ZoneType ?? 'availability-zone') === 'availability-zone');
  const known = zones.map((z) => `${z.ZoneName} (${z.ZoneId})`).join(', ');
  const findings: Finding[] = [];
  const found: AvailabilityZone[] = [];
  for (const configured of network.availabilityZones) {
    const zone = regionZone(zones, configured);
    if (!zone) {
      findings.push(
        blocker('zones', `${configured} is not an availability zone of ${plan.region} for this account.`, `Use zones of ${plan.region} in network.availabilityZones: ${known}.`),
      );
      continue;
    }
    found.push(zone);
    if (zone.State !== 'available') findings.push(warning('zones', `${zone.ZoneName} (${zone.ZoneId}) is ${zone.State}.`, 'Prefer another zone while AWS reports it so.'));
  }
  if (found.length > 0) findings.push(ok('zones', `The subnets go into ${listText(found.map((z) => zoneLabel({ name: z.ZoneName ?? '', id: z.ZoneId })))}.`));
  return findings;
}

const ZONE_TYPES: Readonly<Record<string, string>> = { 'local-zone': 'a Local Zone', 'wavelength-zone': 'a Wavelength Zone' };

/**
 * "Amazon ECS on AWS Fargate workloads aren't supported in Local Zones, Wavelength Zones, or on AWS Outposts"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-regions-zones.html). ECS places the task in any
 * of the listed subnets, so each such subnet is a blocker for the ECS bastion. A subnet's zone type comes from
 * DescribeAvailabilityZones (ZoneType, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AvailabilityZone.html);
 * an Outpost subnet is in its parent zone and carries an OutpostArn instead
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html).
 */
export function checkFargateZones(view: ExistingVpcView, facts: PreflightFacts): Finding[] {
  if (!view.plan.stacks.includes('ecs-bastion')) return [];
  const findings: Finding[] = [];
  if (facts.region.zonesDenied) {
    findings.push(
      warning(
        'zones',
        `Not checked: AWS refused ${facts.region.zonesDenied} to these credentials, so preflight cannot tell whether a subnet is in a Local Zone or Wavelength Zone, where Fargate does not run.`,
        `Add ${facts.region.zonesDenied} to the deployer policy (docs/cli.md, Permissions) and run preflight again.`,
      ),
    );
  }
  for (const s of view.subnets.filter((b) => b.inVpc)) {
    const zone = facts.region.availabilityZones?.find((z) => z.ZoneName === s.subnet!.AvailabilityZone);
    const type = ZONE_TYPES[zone?.ZoneType ?? ''];
    const where = s.subnet!.OutpostArn ? `on the Outpost ${s.subnet!.OutpostArn}` : type ? `in ${type} (${zone!.ZoneName})` : undefined;
    if (!where) continue;
    findings.push(
      blocker(
        'zones',
        `${s.id} is ${where}: Amazon ECS does not run Fargate tasks there, so the ECS bastion's task fails whenever ECS places it in this subnet.`,
        `Leave ${s.id} out of network.subnetIds (keep subnets of the region's availability zones), or use the EC2 bastion there.`,
      ),
    );
  }
  return findings;
}

/**
 * In some regions Fargate runs in some zones only (FARGATE_ZONE_IDS). ECS places the bastion's task in any of its
 * subnets, so a subnet in another zone of such a region is a blocker for the ECS bastion, named by zone id (its
 * letter differs per account there).
 */
export function checkFargateRegionZones(plan: PreflightPlan, zones: readonly PlacementZone[]): Finding[] {
  const supported = FARGATE_ZONE_IDS[plan.region];
  if (!supported || !plan.stacks.includes('ecs-bastion')) return [];
  const create = plan.config.network.mode === 'create';
  return uniqueByName(zones)
    .filter((z) => z.id !== undefined && !supported.includes(z.id))
    .map((z) =>
      blocker(
        'zones',
        `${zoneLabel(z)}${z.subnetId ? `, the zone of ${z.subnetId},` : ''} is not one of the zones of ${plan.region} where Amazon ECS runs Fargate tasks (${listText([...supported])}): the ECS bastion's task fails whenever ECS places it there.`,
        create
          ? `Use zones of ${listText([...supported])} in network.availabilityZones (by zone id, which names the same zone in every account).`
          : `Leave ${z.subnetId} out of network.subnetIds and use subnets in ${listText([...supported])}, or use the EC2 bastion there.`,
      ),
    );
}

/** us-east-1: name the old zone by its id, since its letter differs per account. */
export function checkOldZone(plan: PreflightPlan, zones: readonly PlacementZone[]): Finding[] {
  return uniqueByName(zones)
    .filter((z) => z.id === OLD_US_EAST_1_ZONE)
    .map((z) =>
      warning(
        'zones',
        `${zoneLabel(z)} is ${OLD_US_EAST_1_ZONE}, the us-east-1 zone that lacks newer instance families and some endpoint services${plan.stacks.includes('ecs-bastion') ? ', and where Fargate does not run' : ''}. Zone letters map to different zones in each account: compare zone ids.`,
        `Prefer ${plan.config.network.mode === 'create' ? 'another zone in network.availabilityZones' : 'subnets in other zones'}.`,
      ),
    );
}

/** Zones that offer the instance type (DescribeInstanceTypeOfferings by availability zone). */
export function instanceTypeZones(facts: PreflightFacts, instanceType: string): Set<string> {
  return new Set((facts.region.instanceTypeOfferings ?? []).filter((o) => o.InstanceType === instanceType).flatMap((o) => (o.Location ? [o.Location] : [])));
}

/**
 * The instance goes into the first subnet: a first zone without the type fails RunInstances (Unsupported), a
 * blocker; another zone without it is a warning, for the day the order changes.
 */
export function checkInstanceType(plan: PreflightPlan, facts: PreflightFacts, zones: readonly PlacementZone[]): Finding[] {
  const type = plan.instanceType;
  const unique = uniqueByName(zones);
  if (!type || unique.length === 0) return [];
  const offered = instanceTypeZones(facts, type);
  const where = plan.config.network.mode === 'create' ? 'network.availabilityZones' : 'network.subnetIds';
  const offeredText = offered.size > 0 ? `it is offered in ${listText([...offered].sort())}` : `it is offered in no zone of ${plan.region}`;
  const findings: Finding[] = [];
  unique.forEach((zone, index) => {
    if (offered.has(zone.name)) return;
    if (index === 0) {
      findings.push(
        blocker(
          'instance-type',
          `${type} is not offered in ${zoneLabel(zone)}, the zone of the first ${zone.subnetId ? `subnet ${zone.subnetId}` : 'subnet'}, where the EC2 bastion goes: the apply fails.`,
          `Put ${zone.subnetId ? 'a subnet of a zone that offers it' : 'a zone that offers it'} first in ${where} (${offeredText}), or choose another ec2.instanceType.`,
        ),
      );
    } else {
      findings.push(
        warning(
          'instance-type',
          `${type} is not offered in ${zoneLabel(zone)}${zone.subnetId ? `, the zone of ${zone.subnetId}` : ''}: the instance goes into the first ${zone.subnetId ? 'subnet' : 'zone'}, so this matters only if ${where} is reordered.`,
        ),
      );
    }
  });
  if (findings.length === 0) findings.push(ok('instance-type', `${type} is offered in ${listText(unique.map(zoneLabel))}.`));
  return findings;
}

/** The zones each created service's endpoint would be placed in: every zone, or the first with singleAz. */
export function endpointZones(plan: PreflightPlan, zones: readonly PlacementZone[]): PlacementZone[] {
  const unique = uniqueByName(zones);
  return plan.config.endpoints.singleAz ? unique.slice(0, 1) : unique;
}

/** Created services missing in a zone (by zone name), per the region's DescribeVpcEndpointServices. */
export function missingServices(plan: PreflightPlan, facts: PreflightFacts, zone: string): InterfaceService[] {
  return createdServices(plan).filter((service) => {
    const detail = facts.region.endpointServices.find(
      (d) => d.ServiceName === serviceName(plan.region, service) && (d.ServiceType ?? []).some((t) => t.ServiceType === 'Interface'),
    );
    return !detail || !(detail.AvailabilityZones ?? []).includes(zone);
  });
}

/**
 * CreateVpcEndpoint refuses a subnet in a zone the service does not support, so a created service missing
 * in a zone its endpoint would use is a blocker.
 */
export function checkEndpointServices(plan: PreflightPlan, facts: PreflightFacts, zones: readonly PlacementZone[]): Finding[] {
  const created = createdServices(plan);
  const used = endpointZones(plan, zones);
  if (created.length === 0 || used.length === 0) return [];
  const findings: Finding[] = [];
  const unknown = created.filter((service) => !facts.region.endpointServices.some((d) => d.ServiceName === serviceName(plan.region, service)));
  if (unknown.length > 0) {
    findings.push(
      blocker(
        'endpoint-services',
        `${plan.region} offers no interface endpoint service ${listText(unknown.map((s) => serviceName(plan.region, s)))}.`,
        'Set the endpoint group to "none" and give the subnets a NAT, or deploy in another region.',
      ),
    );
  }
  for (const zone of used) {
    const missing = missingServices(plan, facts, zone.name).filter((s) => !unknown.includes(s));
    if (missing.length === 0) continue;
    const where = plan.config.network.mode === 'create' ? 'network.availabilityZones' : 'network.subnetIds';
    findings.push(
      blocker(
        'endpoint-services',
        `${listText(missing)} ${missing.length > 1 ? 'are' : 'is'} not offered in ${zoneLabel(zone)}: an interface endpoint takes subnets only in zones its service supports, so creating it fails.`,
        `Leave ${zone.configured ?? zone.name} out of ${where} (the suggested settings do), or set endpoints.singleAz to true with a first zone that offers ${missing.length > 1 ? 'them' : 'it'}.`,
      ),
    );
  }
  if (findings.length === 0) findings.push(ok('endpoint-services', `${listText(created)} ${created.length > 1 ? 'are' : 'is'} offered in ${listText(used.map(zoneLabel))}.`));
  return findings;
}
