/**
 * What the interface endpoints this stack creates change for the VPC's other workloads. With private DNS an
 * endpoint answers for the service's regional name (ssm.<region>.amazonaws.com) in the whole VPC: every instance,
 * task and function that called the service through a NAT or internet gateway now calls the endpoint's private
 * addresses, in the bastion's subnets, instead of a public address.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
 *
 * The endpoints' own security group admits HTTPS from the whole VPC, but two things on the workloads' side were
 * written for the old path and may refuse the new one: their security groups' outbound rules (a group that allows
 * 443 only to some public ranges lets nothing reach the endpoints), and the network ACLs between their subnets and
 * the endpoints' (stateless, both ways). Both are read here. What cannot be read is the third: policies that
 * allow or deny by aws:SourceIp (the NAT's public address) no longer match, because a request through an endpoint
 * carries the private address as aws:VpcSourceIp and no aws:SourceIp (docs/existing-vpc.md says so).
 */
import type { NetworkInterface, SecurityGroup, Subnet } from '@aws-sdk/client-ec2';
import { endpointSubnets, type ExistingVpcView } from './check-network';
import type { NeighbourFacts } from './facts';
import { type Finding, ok, warning } from './findings';
import { legText, networkAclOf, refusedHttpsLegs } from './nacl';
import { createdServices, groupOf, type InterfaceGroup, listText } from './plan';
import { allowsHttpsTo, defaultRoute, effectiveRouteTable, type Egress, isOwnResource, reachesInternet } from './vpc-model';

/**
 * The facts a neighbour check reads, or the finding that says it could not read them: a deployer policy written
 * before these checks may refuse the reads, and a check left unmade must not pass for a check passed.
 */
function readNeighbours(view: ExistingVpcView, check: 'workload-egress' | 'network-acls'): NeighbourFacts | Finding {
  const facts = view.facts.neighbours!;
  if (!('deniedActions' in facts)) return facts;
  return warning(
    check,
    `Not checked: AWS refused ${listText(facts.deniedActions)} to these credentials, so preflight cannot tell what this stack's endpoints change for the VPC's other workloads.`,
    'Add ec2:DescribeNetworkAcls, ec2:DescribeNetworkInterfaces and ec2:DescribeSecurityGroups to the deployer policy (docs/cli.md, Permissions) and run preflight again.',
  );
}

/** How a subnet of the VPC leaves it today (its effective route table's default route). */
const egressOf = (view: ExistingVpcView, subnetId: string): Egress => defaultRoute(effectiveRouteTable(subnetId, view.facts.routeTables));

/**
 * Network interfaces whose owners run code that calls AWS: instances (EFA and trunk/branch interfaces of ECS
 * included), Fargate tasks and Lambda functions. Endpoints, load balancers and gateways only carry others' traffic.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkInterface.html
 */
const WORKLOAD_TYPES = new Set(['interface', 'efa', 'efa-only', 'trunk', 'branch', 'lambda']);

/**
 * The type alone does not tell: AWS services create "requester-managed" interfaces of type `interface` for their
 * own resources, "such as a DB instance from Amazon RDS, a NAT gateway, or an interface VPC endpoint", and AWS's
 * own example lists endpoint interfaces as `interface`. Their groups often allow no egress at all (RDS, EFS, load
 * balancers), and they call no AWS API through the VPC's DNS. Of those, an ECS task's (Fargate) runs code and is
 * counted: its description is the task's attachment ARN. Lambda's interfaces have the type `lambda`. Other
 * managed services that run code in the VPC (EKS on Fargate, CodeBuild, Glue…) are not recognised (docs/cli.md).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/requester-managed-eni.html
 */
function isWorkload(eni: NetworkInterface): boolean {
  const type = eni.InterfaceType ?? 'interface';
  if (!WORKLOAD_TYPES.has(type)) return false;
  return type !== 'interface' || eni.RequesterManaged !== true || /^arn:[a-z-]+:ecs:/.test(eni.Description ?? '');
}

/** An interface that reaches the public AWS endpoints today: through a NAT, or an internet gateway with a public IP. */
function callsOutToday(view: ExistingVpcView, eni: NetworkInterface): boolean {
  const egress = egressOf(view, eni.SubnetId ?? '');
  return reachesInternet(egress) || (egress.kind === 'internet-gateway' && eni.Association?.PublicIp !== undefined);
}

/** The created endpoint groups, for the way out of a finding: they could be left to the NAT instead. */
function wayOut(view: ExistingVpcView): string {
  const groups = [...new Set(createdServices(view.plan).map(groupOf))] as InterfaceGroup[];
  const paths = groups.map((g) => `endpoints.${g}`);
  const toNat = view.nat.detected ? `set ${listText(paths)} to "none" with network.natGateway true (the bastion then uses the NAT as they do)` : undefined;
  return [toNat, `have the VPC's owner create the endpoints where these workloads may reach them, and set ${listText(paths)} to "existing"`].filter((t) => t).join('; or ');
}

const sample = (ids: readonly string[]) => (ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : listText(ids));

/**
 * The security groups of the VPC's workloads that reach AWS today must let them send HTTPS to the endpoint subnets,
 * or their calls to the services time out once the endpoints answer for them. One finding per set of groups.
 */
export function checkWorkloadEgress(view: ExistingVpcView): Finding[] {
  const targets = endpointSubnets(view);
  if (!view.facts.neighbours || targets.length === 0) return [];
  const neighbours = readNeighbours(view, 'workload-egress');
  if ('level' in neighbours) return [neighbours];
  const { namePrefix } = view.plan.config;
  const own = new Set(neighbours.securityGroups.filter((g) => isOwnResource(g, namePrefix, view.plan.stacks)).map((g) => g.GroupId));
  const interfaces = neighbours.networkInterfaces.filter(
    (eni) => isWorkload(eni) && !(eni.Groups ?? []).some((g) => own.has(g.GroupId)) && callsOutToday(view, eni),
  );
  const bySet = new Map<string, NetworkInterface[]>();
  for (const eni of interfaces) {
    const key = (eni.Groups ?? []).map((g) => g.GroupId ?? '').sort().join(' ');
    bySet.set(key, [...(bySet.get(key) ?? []), eni]);
  }
  const services = listText(createdServices(view.plan));
  const findings: Finding[] = [];
  for (const [key, enis] of bySet) {
    const groupIds = key.split(' ').filter((id) => id !== '');
    if (groupIds.length === 0) continue;
    const groups = groupIds.map((id) => neighbours.securityGroups.find((g) => g.GroupId === id));
    // A group this account cannot see (another account's, in a shared VPC) cannot be judged.
    if (groups.some((g) => g === undefined)) continue;
    const refused = targets.filter((s) => !allowsHttpsTo(groups as SecurityGroup[], s.CidrBlock!));
    if (refused.length === 0) continue;
    const ids = enis.map((e) => e.NetworkInterfaceId ?? '');
    findings.push(
      warning(
        'workload-egress',
        `${listText(groupIds)} (on ${sample(ids)}) allow${groupIds.length > 1 ? '' : 's'} no HTTPS to ${listText(refused.map((s) => `${s.SubnetId} (${s.CidrBlock})`))} by address range: once this stack's endpoints answer for ${services} in the VPC, those workloads' calls to ${services} time out, where they reach AWS today. Rules naming security groups or prefix lists are not counted.`,
        [
          ...refused.map(
            (s) => `aws ec2 authorize-security-group-egress --group-id ${groupIds[0]} --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=${s.CidrBlock}}]' --region ${view.plan.region}`,
          ),
          `(if the group's owner agrees), or ${wayOut(view)}.`,
        ].join('\n'),
      ),
    );
  }
  if (findings.length === 0) {
    findings.push(
      ok(
        'workload-egress',
        interfaces.length === 0
          ? `No other network interface of ${view.network.vpcId} that this account can see reaches AWS today: the endpoints for ${services} take no one's calls over.`
          : `The ${interfaces.length} other network interface${interfaces.length > 1 ? 's that reach' : ' that reaches'} AWS today may send HTTPS to the endpoint subnets: their calls to ${services} go through the endpoints.`,
      ),
    );
  }
  return findings;
}

/**
 * Network ACLs between the VPC's subnets and the endpoint subnets must let HTTPS through both ways, for every subnet
 * that reaches AWS today (a public subnet's too: its instances resolve the same names) and for the bastion's own,
 * whose calls may go to an endpoint in another zone. One finding per subnet whose path is refused.
 */
export function checkNetworkAcls(view: ExistingVpcView): Finding[] {
  const targets = endpointSubnets(view);
  if (!view.facts.neighbours || targets.length === 0) return [];
  const neighbours = readNeighbours(view, 'network-acls');
  if ('level' in neighbours) return [neighbours];
  const withAcl = (s: Subnet) => {
    const acl = networkAclOf(s.SubnetId ?? '', neighbours.networkAcls);
    return acl && s.CidrBlock ? { id: s.SubnetId ?? '', cidr: s.CidrBlock, acl } : undefined;
  };
  const servers = targets.flatMap((s) => withAcl(s) ?? []);
  const bastion = new Set(view.network.subnetIds);
  const clients = view.facts.vpcSubnets.filter((s) => {
    if (bastion.has(s.SubnetId ?? '')) return true;
    const egress = egressOf(view, s.SubnetId ?? '');
    return reachesInternet(egress) || egress.kind === 'internet-gateway';
  });
  const services = listText(createdServices(view.plan));
  const findings: Finding[] = [];
  for (const subnet of clients) {
    const client = withAcl(subnet);
    if (!client) continue;
    const refused = servers.flatMap((server) => refusedHttpsLegs(client, server).map(legText));
    if (refused.length === 0) continue;
    const who = bastion.has(client.id) ? 'the bastion there' : 'its workloads';
    findings.push(
      warning(
        'network-acls',
        `${client.id} (${client.cidr}): ${who} will call ${services} at this stack's endpoints in ${listText(servers.filter((s) => s.id !== client.id).map((s) => s.id))}, and the network ACLs refuse it: ${[...new Set(refused)].join('; ')}.`,
        `Add those rules to the network ACLs (their owner decides; replies go to ports 32768-65535), or ${wayOut(view)}.`,
      ),
    );
  }
  if (findings.length === 0 && servers.length > 0) {
    findings.push(ok('network-acls', `The network ACLs let HTTPS through between the endpoint subnets and the ${clients.length} subnet${clients.length > 1 ? 's' : ''} whose workloads will call them.`));
  }
  return findings;
}
