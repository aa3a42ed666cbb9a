/**
 * The S3 gateway endpoint in an existing VPC. Two AWS rules make it the most common collision: a route table
 * carries the S3 prefix-list route of one gateway endpoint only (a second fails with RouteAlreadyExists), and a
 * gateway endpoint's route (and policy) applies to every subnet whose route table it is on.
 */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import { REQUIRED_ENDPOINTS } from '../../modules/config';
import { type ExistingVpcView, otherSubnetsServed, subnetsInVpc } from './check-network';
import { blocker, type Finding, ok, warning } from './findings';
import { listText, sharedByStacks } from './plan';
import { isOwnEndpoint, natUsable, reachesInternet, s3EndpointOn, s3GatewayEndpoints } from './vpc-model';

/**
 * True for the policy AWS gives an endpoint created without one (Allow * to * on *). Anything else may
 * refuse the buckets the bastion uses.
 */
export function isFullAccessPolicy(document: string | undefined): boolean {
  if (!document) return true;
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(document) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]) as Record<string, unknown>[];
  const all = (value: unknown, any: readonly string[]) => (Array.isArray(value) ? value : [value]).some((v) => any.includes(v as string));
  const anyone = (principal: unknown) =>
    principal === '*' || (typeof principal === 'object' && principal !== null && all((principal as { AWS?: unknown }).AWS, ['*']));
  return (
    statements.every((s) => s?.Effect === 'Allow' && s.Condition === undefined) &&
    statements.some((s) => anyone(s.Principal) && all(s.Action, ['*', 's3:*']) && all(s.Resource, ['*']))
  );
}

const needText = (view: ExistingVpcView) =>
  listText(view.plan.stacks.map((stack) => `${stack} (${REQUIRED_ENDPOINTS[stack].s3})`));

function policyFinding(endpoint: VpcEndpoint): Finding | undefined {
  if (isFullAccessPolicy(endpoint.PolicyDocument)) return undefined;
  return warning(
    'endpoints.s3',
    `${endpoint.VpcEndpointId} has a policy of its own: make sure it allows what the bastion does in S3 (s3:GetObject on ECR image layers, the Amazon Linux and Patch Manager buckets; s3:PutObject on the session archive).`,
  );
}

function checkCreate(view: ExistingVpcView, gateways: readonly VpcEndpoint[]): Finding[] {
  const { plan, network } = view;
  const findings: Finding[] = [];
  if (sharedByStacks(plan, 's3')) {
    findings.push(
      blocker(
        'endpoints.s3',
        'endpoints.s3 is "create" for both stacks: each would put an S3 gateway endpoint on the same route tables, and a route table takes the S3 route of one gateway endpoint only, so the second apply fails (RouteAlreadyExists).',
        'Add the S3 gateway endpoint to the VPC once and set endpoints.s3 to "existing"; or deploy each stack from its own configuration.',
      ),
    );
  }
  const tables = network.routeTableIds.filter((id) => view.facts.routeTables.some((t) => t.RouteTableId === id));
  for (const table of tables) {
    const gateway = s3EndpointOn(table, gateways);
    if (gateway && isOwnEndpoint(gateway, plan.config.namePrefix, plan.stacks)) {
      findings.push(ok('endpoints.s3', `${gateway.VpcEndpointId} on ${table} is this deployment's own S3 endpoint.`));
    } else if (gateway) {
      findings.push(
        blocker(
          'endpoints.s3',
          `${table} already carries the S3 route of ${gateway.VpcEndpointId}: a route table takes the S3 prefix-list route of one gateway endpoint only, so creating this stack's fails (RouteAlreadyExists).`,
          `Set endpoints.s3 to "existing": the bastion then uses ${gateway.VpcEndpointId}.`,
        ),
      );
    }
    const others = otherSubnetsServed(view, table);
    if (others) {
      // In an existing VPC the stack's endpoint has AWS's default full-access policy, so the endpoint refuses no
      // one; but their same-region S3 traffic changes path (and leaves the NAT's data-processing bill), and S3 then
      // sees no public source address: "you can't use the aws:SourceIp condition in your IAM policies for requests
      // to Amazon S3 through a VPC endpoint … the value fails to match any provided IP address or range".
      // https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
      findings.push(
        warning(
          'endpoints.s3',
          `${table} also serves ${others}: their S3 traffic in this region will go through the endpoint this stack creates (AWS's default full-access policy, so the endpoint refuses nothing), and it goes away if the stack is destroyed. Bucket and IAM policies that admit or refuse them by aws:SourceIp (their NAT's address) stop matching: through a gateway endpoint aws:SourceIp matches no address.`,
          'If other teams own those subnets, add the S3 gateway endpoint to the VPC yourself and set endpoints.s3 to "existing".',
        ),
      );
    }
  }
  if (!findings.some((f) => f.level === 'blocker') && tables.length > 0 && !findings.some((f) => f.level === 'ok')) {
    findings.push(ok('endpoints.s3', `This stack creates the S3 gateway endpoint, on ${listText(tables)}.`));
  }
  return findings;
}

function checkExisting(view: ExistingVpcView, gateways: readonly VpcEndpoint[]): Finding[] {
  const findings: Finding[] = [];
  const used = new Map<VpcEndpoint, string[]>();
  for (const s of subnetsInVpc(view)) {
    const table = s.routeTable?.RouteTableId;
    if (!table) continue;
    const gateway = s3EndpointOn(table, gateways);
    if (gateway) {
      used.set(gateway, [...new Set([...(used.get(gateway) ?? []), table])]);
      continue;
    }
    const fix =
      gateways.length > 0
        ? `Put the VPC's S3 endpoint on that route table: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${gateways[0]!.VpcEndpointId} --add-route-table-ids ${table} --region ${view.plan.region}`
        : `Add an S3 gateway endpoint to the VPC, or set endpoints.s3 to "create" with network.routeTableIds ["${table}"] when that route table serves the bastion subnets only.`;
    // With s3 "existing" the bastion may send HTTPS to the S3 prefix list, whichever way the route goes: a NAT
    // route on the subnet carries it (network.natGateway does not matter here).
    if (reachesInternet(s.egress)) {
      findings.push(warning('endpoints.s3', `${s.id} (${table}) has no S3 gateway endpoint route: its S3 traffic goes through ${s.egress.target}, at NAT data-processing prices.`, fix));
    } else {
      findings.push(
        blocker(
          'endpoints.s3',
          `endpoints.s3 is "existing", but ${s.id}'s route table ${table} carries no S3 gateway endpoint route and no NAT route: the bastion there cannot reach S3, which ${needText(view)} needs.`,
          fix,
        ),
      );
    }
  }
  for (const [gateway, tables] of used) {
    findings.push(ok('endpoints.s3', `The bastion reaches S3 through ${gateway.VpcEndpointId}, on ${listText(tables)}.`));
    const policy = policyFinding(gateway);
    if (policy) findings.push(policy);
  }
  return findings;
}

function checkNone(view: ExistingVpcView): Finding[] {
  if (natUsable(view.nat)) return [ok('endpoints.s3', 'endpoints.s3 is "none": the bastion reaches S3 through the NAT.')];
  const without = subnetsInVpc(view).filter((s) => !reachesInternet(s.egress));
  return [
    blocker(
      'endpoints.s3',
      `endpoints.s3 is "none", but ${without.length > 0 ? `${listText(without.map((s) => s.id))} ${without.length > 1 ? 'have' : 'has'} no NAT route` : 'network.natGateway is false'}: the bastion cannot reach S3, which ${needText(view)} needs.`,
      'Set endpoints.s3 to "existing" (the VPC has an S3 gateway endpoint on those route tables) or "create".',
    ),
  ];
}

export function checkS3(view: ExistingVpcView): Finding[] {
  const gateways = s3GatewayEndpoints(view.facts.endpoints, view.plan.region);
  const mode = view.plan.config.endpoints.s3;
  if (mode === 'create') return checkCreate(view, gateways);
  if (mode === 'existing') return checkExisting(view, gateways);
  return checkNone(view);
}
