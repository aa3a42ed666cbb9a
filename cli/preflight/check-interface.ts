/**
 * Interface endpoints in an existing VPC. Private DNS makes an interface endpoint answer for the service's
 * regional name (ssm.<region>.amazonaws.com) in the whole VPC, and AWS allows one such endpoint per service and
 * VPC: a second is refused ("conflicting DNS domain"). So a group the VPC already serves must be "existing",
 * and a group set to "existing" needs a private-DNS endpoint the bastion's subnets can reach.
 */
import type { SecurityGroup, VpcEndpoint } from '@aws-sdk/client-ec2';
import { REQUIRED_ENDPOINTS, type StackName } from '../../modules/config';
import { type ExistingVpcView, subnetsInVpc } from './check-network';
import { blocker, type CheckName, type Finding, ok, warning } from './findings';
import { INTERFACE_GROUPS, type InterfaceGroup, listText, type PlannedService, sharedByStacks } from './plan';
import { admitsHttpsFrom, interfaceEndpointsOf, isOwnEndpoint, natUsable } from './vpc-model';

/** The interface endpoints the VPC has for one service, sorted out. */
export interface ServiceEndpoints {
  readonly planned: PlannedService;
  /** Endpoints of this deployment (its tags). */
  readonly own: readonly VpcEndpoint[];
  /** Someone else's endpoints with private DNS: they own the service's name in the VPC. */
  readonly foreignPrivateDns: readonly VpcEndpoint[];
  /** Someone else's endpoints without private DNS: no collision, and no use to the bastion's agents either. */
  readonly foreignPlain: readonly VpcEndpoint[];
}

export function serviceEndpoints(view: ExistingVpcView, planned: PlannedService): ServiceEndpoints {
  const all = interfaceEndpointsOf(view.facts.endpoints, view.plan.region, planned.service);
  const own = all.filter((e) => isOwnEndpoint(e, view.plan.config.namePrefix, planned.stacks));
  const foreign = all.filter((e) => !own.includes(e));
  return {
    planned,
    own,
    foreignPrivateDns: foreign.filter((e) => e.PrivateDnsEnabled === true),
    foreignPlain: foreign.filter((e) => e.PrivateDnsEnabled !== true),
  };
}

const ids = (endpoints: readonly VpcEndpoint[]) => listText(endpoints.map((e) => e.VpcEndpointId ?? ''));
const checkOf = (group: InterfaceGroup) => `endpoints.${group}` as CheckName;
const reasons = (stacks: readonly StackName[], group: InterfaceGroup) => listText(stacks.map((stack) => `${stack} (${REQUIRED_ENDPOINTS[stack][group]})`));

function checkCreateGroup(view: ExistingVpcView, group: InterfaceGroup, services: readonly ServiceEndpoints[]): Finding[] {
  const findings: Finding[] = [];
  const taken = services.filter((s) => s.foreignPrivateDns.length > 0);
  const free = services.filter((s) => s.foreignPrivateDns.length === 0).map((s) => s.planned.service);
  if (taken.length > 0) {
    const them = free.length > 1 ? 'them' : 'it';
    const rest = free.length > 0 ? ` The VPC has none for ${listText(free)}: add ${them} with private DNS as well, or let ${them} go through a NAT (network.natGateway).` : '';
    findings.push(
      blocker(
        checkOf(group),
        `${listText(taken.map((s) => `${ids(s.foreignPrivateDns)} (${s.planned.service})`))} already serve${taken.length > 1 ? '' : 's'} ${view.network.vpcId} with private DNS: AWS refuses a second private-DNS endpoint for a service in one VPC (conflicting DNS domain), so the apply fails.`,
        `Set endpoints.${group} to "existing": the bastion then uses the VPC's endpoint${taken.length > 1 ? 's' : ''}.${rest}`,
      ),
    );
  }
  for (const s of services.filter((s) => s.own.length > 0)) findings.push(ok(checkOf(group), `${ids(s.own)} (${s.planned.service}) is this deployment's own endpoint.`));
  for (const s of services.filter((s) => s.foreignPlain.length > 0 && s.foreignPrivateDns.length === 0)) {
    findings.push(ok(checkOf(group), `${ids(s.foreignPlain)} serves ${s.planned.service} without private DNS: no conflict.`));
  }
  const created = services.filter((s) => s.own.length === 0 && s.foreignPrivateDns.length === 0).map((s) => s.planned.service);
  if (taken.length === 0 && created.length > 0 && sharedByStacks(view.plan, group)) {
    // The configuration refuses this too; preflight reads it anyway (`allowSharedVpcEndpoints`) to say what fits.
    const plural = created.length > 1;
    findings.push(
      blocker(
        checkOf(group),
        `endpoints.${group} is "create" for both stacks: each would create the ${listText(created)} endpoint${plural ? 's' : ''} with private DNS in ${view.network.vpcId}, and AWS allows one per service and VPC, so the second apply fails.`,
        `Create the ${listText(created)} endpoint${plural ? 's' : ''} (private DNS) in the VPC once, for both stacks, and set endpoints.${group} to "existing"; or deploy each stack from its own configuration.`,
      ),
    );
  } else if (taken.length === 0 && created.length > 0) {
    const plural = created.length > 1;
    findings.push(
      ok(
        checkOf(group),
        `This stack creates the ${listText(created)} endpoint${plural ? 's' : ''} with private DNS: every workload of the VPC then reaches ${listText(created)} through ${plural ? 'them' : 'it'} (HTTPS from the VPC's CIDR blocks is admitted).`,
      ),
    );
  }
  return findings;
}

function checkExistingGroup(view: ExistingVpcView, group: InterfaceGroup, services: readonly ServiceEndpoints[]): Finding[] {
  const findings: Finding[] = [];
  const shared = sharedByStacks(view.plan, group);
  for (const s of services) {
    const { service, stacks } = s.planned;
    if (s.own.length > 0) {
      findings.push(
        warning(
          checkOf(group),
          `${ids(s.own)} (${service}) is this deployment's own endpoint: with endpoints.${group} "existing" the next apply deletes it.`,
          `Keep endpoints.${group} "create".`,
        ),
      );
    }
    const usable = s.foreignPrivateDns;
    if (usable.length > 0) {
      const pending = usable.filter((e) => (e.State ?? '').toLowerCase() !== 'available');
      findings.push(ok(checkOf(group), `${service}: the bastion uses ${ids(usable)} (private DNS).`));
      if (pending.length > 0) findings.push(warning(checkOf(group), `${ids(pending)} (${service}) is ${pending.map((e) => e.State).join(', ')}, not available yet.`));
      continue;
    }
    const plain = s.foreignPlain.length > 0 ? ` (${ids(s.foreignPlain)} has private DNS off, so the agents, which call the service's regional name, do not reach it)` : '';
    if (natUsable(view.nat)) {
      findings.push(warning(checkOf(group), `The VPC has no private-DNS endpoint for ${service}${plain}: the bastion reaches it through the NAT.`));
      continue;
    }
    const fixes = [
      ...(s.foreignPlain.length > 0 ? [`turn on private DNS: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${s.foreignPlain[0]!.VpcEndpointId} --private-dns-enabled --region ${view.plan.region}`] : []),
      shared
        ? `create the ${service} endpoint (private DNS) in the VPC once, for both stacks, or deploy each stack from its own configuration`
        : `set endpoints.${group} to "create"`,
      ...(view.nat.detected ? ['set network.natGateway to true (the subnets have a NAT route)'] : []),
    ];
    findings.push(
      blocker(
        checkOf(group),
        `endpoints.${group} is "existing", but the VPC has no private-DNS endpoint for ${service}${plain}, and ${view.nat.configured ? 'the bastion subnets have no NAT route' : 'network.natGateway is false'}: ${reasons(stacks, group)} cannot work.`,
        `${fixes.join('; or ')}.`.replace(/^./, (c) => c.toUpperCase()),
      ),
    );
  }
  return findings;
}

function checkNoneGroup(view: ExistingVpcView, group: InterfaceGroup, services: readonly ServiceEndpoints[]): Finding[] {
  const names = listText(services.map((s) => s.planned.service));
  if (natUsable(view.nat)) return [ok(checkOf(group), `endpoints.${group} is "none": the bastion reaches ${names} through the NAT.`)];
  const stacks = [...new Set(services.flatMap((s) => s.planned.stacks))];
  return [
    blocker(
      checkOf(group),
      `endpoints.${group} is "none", but the bastion subnets have no NAT route: ${reasons(stacks, group)} cannot work.`,
      `Set endpoints.${group} to "create", or "existing" if the VPC has the endpoint${services.length > 1 ? 's' : ''}.`,
    ),
  ];
}

/** One finding list per interface group the checked stacks use. */
export function checkInterfaceEndpoints(view: ExistingVpcView): Finding[] {
  return INTERFACE_GROUPS.flatMap((group) => {
    const services = view.plan.services.filter((s) => s.group === group).map((s) => serviceEndpoints(view, s));
    if (services.length === 0) return [];
    const mode = view.plan.config.endpoints[group];
    if (mode === 'create') return checkCreateGroup(view, group, services);
    if (mode === 'existing') return checkExistingGroup(view, group, services);
    return checkNoneGroup(view, group, services);
  });
}

/**
 * The security groups of the endpoints the bastion would reuse must admit HTTPS from its subnets; the
 * bastion's own group is new, so only address-range rules can admit it before the deploy.
 */
export function checkEndpointSecurityGroups(view: ExistingVpcView): Finding[] {
  const subnets = subnetsInVpc(view);
  const reused = view.plan.services
    .filter((s) => s.mode === 'existing')
    .flatMap((s) => serviceEndpoints(view, s).foreignPrivateDns.map((endpoint) => ({ endpoint, service: s.service })));
  return reused.map(({ endpoint, service }) => {
    const groupIds = (endpoint.Groups ?? []).map((g) => g.GroupId ?? '');
    const groups = view.facts.securityGroups.filter((g): g is SecurityGroup => groupIds.includes(g.GroupId ?? ''));
    const refused = subnets.filter((s) => s.subnet?.CidrBlock && !admitsHttpsFrom(groups, s.subnet.CidrBlock));
    const label = `${endpoint.VpcEndpointId} (${service})`;
    if (refused.length === 0) return ok('endpoint-security-groups', `${label} admits HTTPS from the bastion subnets.`);
    const group = groupIds[0] ?? '<its security group>';
    return warning(
      'endpoint-security-groups',
      `${label}: its security group${groupIds.length > 1 ? 's' : ''} ${listText(groupIds)} admit${groupIds.length > 1 ? '' : 's'} no HTTPS from ${listText(refused.map((s) => `${s.id} (${s.subnet!.CidrBlock})`))} by address range; rules naming security groups or prefix lists are not counted.`,
      refused.map((s) => `aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port 443 --cidr ${s.subnet!.CidrBlock} --region ${view.plan.region}`).join('\n'),
    );
  });
}
