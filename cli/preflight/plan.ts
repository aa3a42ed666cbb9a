/**
 * What a deploy of the checked stacks would do with the VPC, from the configuration alone: which interface
 * endpoint services each stack needs, which of them it would create or expect to find, and where it would put
 * things. The checks compare this plan with what AWS reports.
 */
import { type BastionConfig, type EndpointMode, REQUIRED_ENDPOINTS, type StackName } from '../../modules/config';
import { endpointServiceName, INTERFACE_ENDPOINT_GROUPS, type InterfaceService } from '../../modules/endpoints';

/** An endpoint group of interface endpoints (every group but the S3 gateway). */
export type InterfaceGroup = keyof typeof INTERFACE_ENDPOINT_GROUPS;
export const INTERFACE_GROUPS = Object.keys(INTERFACE_ENDPOINT_GROUPS) as InterfaceGroup[];
const servicesOf = (group: InterfaceGroup): readonly InterfaceService[] => INTERFACE_ENDPOINT_GROUPS[group];

/**
 * The interface endpoint services each stack uses (`interfaceServices` of the stack variants in
 * modules/stacks; a test ties the two). ECS Exec talks to ssmmessages only; the SSM agent of an instance needs
 * ssm and ec2messages as well; only the Fargate task pulls from ECR.
 */
export const STACK_INTERFACE_SERVICES: Readonly<Record<StackName, readonly InterfaceService[]>> = {
  'ecs-bastion': ['ssmmessages', 'ecr.api', 'ecr.dkr', 'logs', 'kms'],
  'ec2-bastion': ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'],
};

/** One interface endpoint service the checked stacks use. */
export interface PlannedService {
  readonly service: InterfaceService;
  readonly group: InterfaceGroup;
  readonly mode: EndpointMode;
  /** The checked stacks that use it. */
  readonly stacks: readonly StackName[];
}

export interface PreflightPlan {
  readonly config: BastionConfig;
  /** Region the checks run in (--region, else the configuration's). */
  readonly region: string;
  /** The stacks checked: the command's variant, else every stack of the configuration. */
  readonly stacks: readonly StackName[];
  /** Interface endpoint services the checked stacks use, in group order. */
  readonly services: readonly PlannedService[];
  /** Instance type of the EC2 bastion, when ec2-bastion is checked. */
  readonly instanceType?: string;
}

export function groupOf(service: InterfaceService): InterfaceGroup {
  return INTERFACE_GROUPS.find((group) => servicesOf(group).includes(service))!;
}

export function preflightPlan(config: BastionConfig, region: string, stacks: readonly StackName[]): PreflightPlan {
  const services = INTERFACE_GROUPS.flatMap((group) =>
    servicesOf(group)
      .map((service) => ({ service, group, mode: config.endpoints[group], stacks: stacks.filter((stack) => STACK_INTERFACE_SERVICES[stack].includes(service)) }))
      .filter((planned) => planned.stacks.length > 0),
  );
  return {
    config,
    region,
    stacks,
    services,
    instanceType: stacks.includes('ec2-bastion') ? config.ec2.instanceType : undefined,
  };
}

/**
 * More than one checked stack uses the group. In an existing VPC the configuration then refuses "create"
 * (AWS allows one private-DNS endpoint per service and VPC, and one S3 route per route table).
 */
export function sharedByStacks(plan: PreflightPlan, group: InterfaceGroup | 's3'): boolean {
  return plan.stacks.filter((stack) => REQUIRED_ENDPOINTS[stack][group] !== undefined).length > 1;
}

/** Interface endpoint services the deploy would create. */
export function createdServices(plan: PreflightPlan): InterfaceService[] {
  return plan.services.filter((s) => s.mode === 'create').map((s) => s.service);
}

/** The endpoint service name AWS uses: com.amazonaws.<region>.<service> (cn.com.amazonaws… for ECR in China). */
export function serviceName(region: string, service: string): string {
  return endpointServiceName(region, service);
}

/** ssm, ecr.dkr, s3 … from com.amazonaws.<region>.<service> (cn.com.amazonaws… in China). */
export function shortServiceName(name: string | undefined): string {
  return /^(?:cn\.)?com\.amazonaws\.[^.]+\.(.+)$/.exec(name ?? '')?.[1] ?? name ?? '';
}

/** "ecs-bastion and ec2-bastion". */
export function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
