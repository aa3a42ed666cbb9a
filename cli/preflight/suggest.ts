/**
 * The `network` and `endpoints` settings that fit the VPC (and `stacks` or `region` when the command checked
 * other stacks or another region than the configuration names), as a block to paste into bastion.config.json. The block always passes
 * the configuration's own validation; where no setting can make the deploy work (say, two stacks in a VPC
 * without endpoints or NAT), it keeps the closest valid one and the blockers say what to change in the VPC.
 *
 * "none" is suggested only where the configuration already chose it and the subnets have a NAT route, or where
 * nothing else is valid: endpoints keep the bastion's AWS traffic inside the VPC, and giving that up for
 * the NAT is the team's decision, not something preflight infers from a NAT route existing.
 */
import { type BastionConfig, type EndpointMode, FARGATE_ZONE_IDS, isZoneId, type StackName } from '../../modules/config';
import { type ExistingVpcView, otherSubnetsServed, subnetsInVpc } from './check-network';
import { serviceEndpoints } from './check-interface';
import { isParticipant } from './check-sharing';
import { instanceTypeZones, missingServices, OLD_US_EAST_1_ZONE, regionZone } from './check-zones';
import type { PreflightFacts } from './facts';
import { INTERFACE_GROUPS, type InterfaceGroup, preflightPlan, type PreflightPlan, sharedByStacks } from './plan';
import { type BastionSubnet, isOwnEndpoint, reachesInternet, s3EndpointOn, s3GatewayEndpoints } from './vpc-model';

export interface SuggestedEndpoints {
  readonly ssm: EndpointMode;
  readonly ecr: EndpointMode;
  readonly logs: EndpointMode;
  readonly kms: EndpointMode;
  readonly s3: EndpointMode;
  readonly singleAz: boolean;
}

export type SuggestedNetwork =
  | { readonly mode: 'create'; readonly cidr: string; readonly availabilityZones: readonly string[] }
  | { readonly mode: 'existing'; readonly vpcId: string; readonly subnetIds: readonly string[]; readonly routeTableIds: readonly string[]; readonly natGateway: boolean };

/** The block to paste. */
export interface SuggestedSettings {
  /** Only when --region named another region than the configuration: the settings are for that one. */
  readonly region?: string;
  /** Only when the command checked other stacks than the configuration lists. */
  readonly stacks?: readonly StackName[];
  readonly network: SuggestedNetwork;
  readonly endpoints: SuggestedEndpoints;
}

/** When nothing in the VPC serves a shared group, "create" is not valid: keep "existing", or "none" over a NAT. */
function sharedFallback(configured: EndpointMode, natGateway: boolean): EndpointMode {
  if (configured === 'existing') return 'existing';
  return natGateway ? 'none' : 'existing';
}

function interfaceGroupMode(view: ExistingVpcView, group: InterfaceGroup, natGateway: boolean): EndpointMode {
  const configured = view.plan.config.endpoints[group];
  const services = view.plan.services.filter((s) => s.group === group).map((s) => serviceEndpoints(view, s));
  if (services.length === 0) return configured;
  if (configured === 'none' && natGateway) return 'none';
  // Some or all of the services already have a private-DNS endpoint: "create" would collide on those.
  if (services.some((s) => s.foreignPrivateDns.length > 0)) return 'existing';
  // Only the owner of a shared VPC may create endpoints in it: the same fallback as for a group both stacks share.
  return sharedByStacks(view.plan, group) || isParticipant(view) ? sharedFallback(configured, natGateway) : 'create';
}

function s3Mode(view: ExistingVpcView, subnets: readonly BastionSubnet[], natGateway: boolean): EndpointMode {
  const configured = view.plan.config.endpoints.s3;
  if (configured === 'none' && natGateway) return 'none';
  const gateways = s3GatewayEndpoints(view.facts.endpoints, view.plan.region);
  const tables = [...new Set(subnets.flatMap((s) => (s.routeTable?.RouteTableId ? [s.routeTable.RouteTableId] : [])))];
  const serving = tables.map((table) => s3EndpointOn(table, gateways));
  if (serving.some((e) => e && !isOwnEndpoint(e, view.plan.config.namePrefix, view.plan.stacks))) return 'existing';
  if (sharedByStacks(view.plan, 's3') || isParticipant(view)) return 'existing';
  if (serving.some((e) => e !== undefined)) return 'create'; // this deployment's own endpoint
  // No S3 endpoint at all: create one where the route tables serve the bastion only; on shared route tables
  // (whose other subnets our restrictive policy would cut off) rather go through the NAT, when there is one.
  const dedicated = tables.every((table) => otherSubnetsServed(view, table) === undefined);
  return dedicated || !subnets.every((s) => reachesInternet(s.egress)) ? 'create' : 'existing';
}

/** A zone to leave out when the ECS bastion is deployed: use1-az3, and the zones where Fargate does not run in its region. */
function avoidedZone(plan: PreflightPlan, zoneId: string | undefined): boolean {
  if (!plan.stacks.includes('ecs-bastion')) return false;
  const fargateZones = FARGATE_ZONE_IDS[plan.region];
  return zoneId === OLD_US_EAST_1_ZONE || (fargateZones !== undefined && zoneId !== undefined && !fargateZones.includes(zoneId));
}

/**
 * First a subnet that takes everything that goes into the first one (the instance, and with singleAz the
 * endpoints), then the others whose zones offer the created services; one per zone when endpoints are created.
 */
function chooseOrder<T>(pool: readonly T[], fitsFirst: (item: T) => boolean, fitsRest: (item: T) => boolean, count = pool.length): T[] {
  const first = pool.find(fitsFirst);
  if (first === undefined) return [...pool].slice(0, count);
  return [first, ...pool.filter((item) => item !== first && fitsRest(item))].slice(0, count);
}

function suggestExisting(view: ExistingVpcView, facts: PreflightFacts): SuggestedSettings {
  const { plan, network } = view;
  const inVpc = subnetsInVpc(view);
  // Without the VPC or any of its subnets there is nothing to fit the settings to: they stay as configured.
  if (!view.facts.vpc || inVpc.length === 0) return { network: { ...network }, endpoints: { ...plan.config.endpoints } };
  const natGateway = view.nat.detected;
  const endpoints = Object.fromEntries(INTERFACE_GROUPS.map((group) => [group, interfaceGroupMode(view, group, natGateway)])) as Record<InterfaceGroup, EndpointMode>;
  const suggested: SuggestedEndpoints = { ...endpoints, s3: s3Mode(view, inVpc, natGateway), singleAz: plan.config.endpoints.singleAz };
  const suggestedPlan = preflightPlan({ ...plan.config, endpoints: suggested } as BastionConfig, plan.region, plan.stacks);
  const createsEndpoints = suggestedPlan.services.some((s) => s.mode === 'create') && !suggested.singleAz;
  const perZone = createsEndpoints ? inVpc.filter((s, i) => inVpc.findIndex((o) => o.subnet?.AvailabilityZone === s.subnet?.AvailabilityZone) === i) : inVpc;
  const offered = plan.instanceType ? instanceTypeZones(facts, plan.instanceType) : undefined;
  const zoneOf = (s: BastionSubnet) => s.subnet?.AvailabilityZone ?? '';
  const servicesFit = (s: BastionSubnet) => missingServices(suggestedPlan, facts, zoneOf(s)).length === 0;
  const pool = perZone.filter((s) => !avoidedZone(plan, s.subnet?.AvailabilityZoneId));
  const subnets = chooseOrder(pool.length > 0 ? pool : perZone, (s) => servicesFit(s) && (!offered || offered.has(zoneOf(s))), (s) => suggested.singleAz || servicesFit(s));
  const routeTableIds = suggested.s3 === 'create' ? [...new Set(subnets.flatMap((s) => (s.routeTable?.RouteTableId ? [s.routeTable.RouteTableId] : [])))] : [];
  return {
    network: {
      mode: 'existing',
      vpcId: network.vpcId,
      subnetIds: subnets.map((s) => s.id),
      routeTableIds,
      natGateway,
    },
    endpoints: suggested,
  };
}

function suggestCreate(plan: PreflightPlan, facts: PreflightFacts): SuggestedSettings {
  const network = plan.config.network;
  if (network.mode !== 'create') throw new Error('suggestCreate needs a create-mode network');
  const region = (facts.region.availabilityZones ?? []).filter((z) => (z.ZoneType ?? 'availability-zone') === 'availability-zone' && z.State === 'available');
  // The checks below go by zone name; a configuration that names its zones by id gets ids back.
  const configured = network.availabilityZones.map((zone) => regionZone(region, zone)?.ZoneName ?? zone);
  const usable = (name: string) => region.some((z) => z.ZoneName === name && !avoidedZone(plan, z.ZoneId));
  const others = region
    .filter((z) => z.ZoneId !== OLD_US_EAST_1_ZONE && !avoidedZone(plan, z.ZoneId) && !configured.includes(z.ZoneName ?? ''))
    .map((z) => z.ZoneName ?? '')
    .sort();
  const pool = [...configured.filter(usable), ...others];
  const offered = plan.instanceType ? instanceTypeZones(facts, plan.instanceType) : undefined;
  const servicesFit = (zone: string) => missingServices(plan, facts, zone).length === 0;
  const zones = chooseOrder(pool, (z) => servicesFit(z) && (!offered || offered.has(z)), (z) => plan.config.endpoints.singleAz || servicesFit(z), network.availabilityZones.length);
  const byId = network.availabilityZones.every(isZoneId);
  const written = (name: string) => (byId ? (region.find((z) => z.ZoneName === name)?.ZoneId ?? name) : name);
  const { singleAz, ...modes } = plan.config.endpoints;
  return {
    network: { mode: 'create', cidr: network.cidr, availabilityZones: zones.length > 0 ? zones.map(written) : network.availabilityZones },
    endpoints: { ...modes, singleAz },
  };
}

/** The settings that fit: existing mode from the VPC's facts, create mode from the region's zones. */
export function suggestSettings(plan: PreflightPlan, facts: PreflightFacts, view?: ExistingVpcView): SuggestedSettings {
  const settings = view ? suggestExisting(view, facts) : suggestCreate(plan, facts);
  const narrowed = plan.stacks.length !== plan.config.stacks.length || plan.stacks.some((s) => !plan.config.stacks.includes(s));
  return {
    ...(plan.region !== plan.config.region ? { region: plan.region } : {}),
    ...(narrowed ? { stacks: plan.stacks } : {}),
    ...settings,
  };
}
