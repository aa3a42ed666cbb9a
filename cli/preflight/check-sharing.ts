/**
 * A VPC another account owns and shares with this one through AWS RAM (VPC sharing). The owner keeps the VPC's
 * network resources: "VPC owners are responsible for creating, managing, and deleting the resources associated with a
 * shared VPC. These include subnets, route tables, network ACLs, peering connections, gateway endpoints, interface
 * endpoints, Route 53 Resolver endpoints, …". A participant may create "network interfaces and security groups", and
 * flow logs only for the network interfaces it owns; it cannot see or change what other accounts own.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-share-limitations.html
 * A participant's CreateVpcEndpoint fails with "This operation does not support shared VPCs":
 * https://repost.aws/knowledge-center/vpc-interface-endpoint-creation-errors
 *
 * So in a shared VPC the stacks may create their security groups, the bastion and the ECS tasks, and nothing else.
 */
import type { EndpointGroup } from '../../modules/config';
import type { ExistingVpcView } from './check-network';
import { blocker, type Finding, ok } from './findings';
import { createdServices, groupOf, listText } from './plan';

/** The VPC belongs to another account than the credentials preflight runs with. */
export function isParticipant(view: ExistingVpcView): boolean {
  const owner = view.facts.vpc?.OwnerId;
  const caller = view.facts.callerAccount;
  return owner !== undefined && caller !== undefined && owner !== caller;
}

/** The endpoint groups the deploy would create, with the services of each (the S3 gateway endpoint as "s3"). */
function createdGroups(view: ExistingVpcView): Map<EndpointGroup, string[]> {
  const groups = new Map<EndpointGroup, string[]>();
  for (const service of createdServices(view.plan)) groups.set(groupOf(service), [...(groups.get(groupOf(service)) ?? []), service]);
  if (view.plan.config.endpoints.s3 === 'create') groups.set('s3', ['the S3 gateway endpoint']);
  return groups;
}

export function checkSharing(view: ExistingVpcView): Finding[] {
  const { vpcId } = view.network;
  const owner = view.facts.vpc?.OwnerId;
  const caller = view.facts.callerAccount;
  if (!owner || !caller) return [];
  if (!isParticipant(view)) return [ok('vpc-sharing', `${vpcId} belongs to this account (${caller}).`)];
  const shared = `${vpcId} belongs to account ${owner} and is shared with this account (${caller}) through AWS RAM`;
  const findings: Finding[] = [];
  for (const [group, services] of createdGroups(view)) {
    const what = group === 's3' ? 'the S3 gateway endpoint (on route tables the owner keeps)' : `the ${listText(services)} endpoint${services.length > 1 ? 's' : ''}`;
    const none = view.nat.detected && group !== 's3' ? `; or set it to "none" with network.natGateway true (the bastion subnets have a NAT route)` : '';
    const ask = group === 's3' ? 'put its S3 gateway endpoint on the bastion subnets\' route tables' : `create ${what} with private DNS, admitting HTTPS from the bastion subnets`;
    findings.push(
      blocker(
        'vpc-sharing',
        `${shared}: only the VPC owner may create interface and gateway endpoints in it, so creating ${what} fails ("This operation does not support shared VPCs").`,
        `Ask the owner (${owner}) to ${ask}, and set endpoints.${group} to "existing"${none}.`,
      ),
    );
  }
  view.plan.config.targets.forEach((target, index) => {
    if (!target.securityGroupId || !target.addIngressRule) return;
    const group = view.facts.securityGroups.find((g) => g.GroupId === target.securityGroupId);
    if (!group?.OwnerId || group.OwnerId === caller) return;
    findings.push(
      blocker(
        'vpc-sharing',
        `targets[${index}] "${target.name}": ${target.securityGroupId} belongs to account ${group.OwnerId}: a participant may change only its own security groups, so adding the ingress rule for the bastion fails.`,
        `Set targets[${index}].addIngressRule to false, and ask the group's owner to admit the bastion's security group (output bastion_security_group_id) on TCP ${target.port}.`,
      ),
    );
  });
  if (findings.length === 0) {
    findings.push(ok('vpc-sharing', `${shared}: the stack creates no endpoint there, only its security groups and the bastion, which a participant may.`));
  }
  return findings;
}
