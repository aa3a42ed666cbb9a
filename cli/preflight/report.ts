/**
 * Runs every check of `bastion preflight` over the gathered facts and returns the findings (sorted by check)
 * and the suggested settings. Pure: the same facts give the same report.
 */
import { checkDhcpOptions, checkDns } from './check-dns';
import {
  checkNat,
  checkRouteTables,
  checkSubnetAddresses,
  checkSubnets,
  checkSubnetZones,
  checkTargets,
  checkVpc,
  type ExistingVpcView,
} from './check-network';
import { checkEndpointSecurityGroups, checkInterfaceEndpoints } from './check-interface';
import { checkNetworkAcls, checkWorkloadEgress } from './check-neighbours';
import { checkSharing } from './check-sharing';
import { checkS3 } from './check-s3';
import { checkCreateZones, checkEndpointServices, checkFargateRegionZones, checkFargateZones, checkInstanceType, checkOldZone, placementZones } from './check-zones';
import type { PreflightFacts } from './facts';
import { type Finding, sortFindings } from './findings';
import type { PreflightPlan } from './plan';
import { type SuggestedSettings, suggestSettings } from './suggest';
import { bastionSubnets, natPath } from './vpc-model';

export interface PreflightReport {
  readonly findings: readonly Finding[];
  readonly suggested: SuggestedSettings;
}

/** The existing-VPC view of the facts, or undefined in create mode. */
export function existingVpcView(plan: PreflightPlan, facts: PreflightFacts): ExistingVpcView | undefined {
  const network = plan.config.network;
  if (network.mode !== 'existing' || !facts.vpc) return undefined;
  const subnets = bastionSubnets(network.subnetIds, network.vpcId, facts.vpc.subnets, facts.vpc.routeTables);
  return { plan, network, facts: facts.vpc, subnets, nat: natPath(subnets, network.natGateway) };
}

function existingVpcFindings(view: ExistingVpcView): Finding[] {
  const checks = [checkVpc, checkSubnets];
  // Without the VPC, everything else would only repeat that it is missing.
  if (view.facts.vpc) {
    checks.push(checkSharing, checkDns, checkDhcpOptions, checkSubnetAddresses, checkSubnetZones, checkRouteTables, checkNat, checkS3, checkInterfaceEndpoints, checkEndpointSecurityGroups, checkTargets);
    // What the created endpoints change for the VPC's other workloads.
    checks.push(checkWorkloadEgress, checkNetworkAcls);
  }
  return checks.flatMap((check) => check(view));
}

export function preflightReport(plan: PreflightPlan, facts: PreflightFacts): PreflightReport {
  const view = existingVpcView(plan, facts);
  const zones = placementZones(plan, facts, view);
  const findings = [
    ...(view ? [...existingVpcFindings(view), ...checkFargateZones(view, facts)] : checkCreateZones(plan, facts.region.availabilityZones ?? [])),
    ...checkOldZone(plan, zones),
    ...checkFargateRegionZones(plan, zones),
    ...checkEndpointServices(plan, facts, zones),
    ...checkInstanceType(plan, facts, zones),
  ];
  return { findings: sortFindings(findings), suggested: suggestSettings(plan, facts, view) };
}
