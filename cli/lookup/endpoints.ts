/**
 * The VPC endpoints of a bastion's stack (by its tags), and whether their absence means the stack is fully
 * parked (bastion_enabled=false) rather than configured without interface endpoints.
 */
import { DescribeVpcEndpointsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { BastionConfig } from '../../modules/config';
import { awsCall } from '../aws';
import { CliError } from '../errors';
import { STACK_OF, type Variant } from '../variants';
import { stackFilters } from './stack-tags';

/** One VPC endpoint of the stack. */
export interface EndpointInfo {
  readonly id: string;
  /** Short service name: ssm, ssmmessages, ecr.dkr, s3 … */
  readonly service: string;
  /** Interface | Gateway */
  readonly type: string;
  readonly state: string;
}

/** The stack's endpoints against what the configuration asks for. */
export interface EndpointsInfo {
  /** The configuration turns on at least one interface endpoint for this stack. */
  readonly expected: boolean;
  /** Endpoints of the stack (by its tags) that are not being deleted. */
  readonly found: readonly EndpointInfo[];
  /** Interface endpoints are expected but none exists: the stack is parked with bastion_enabled=false. */
  readonly parked: boolean;
}

/** Endpoint states that no longer serve (compared lowercase: the API answers "available", the SDK types "Available"). */
export const GONE_ENDPOINT_STATES: ReadonlySet<string> = new Set(['deleting', 'deleted', 'rejected', 'failed', 'expired']);

/** Whether the configuration has the stack create interface endpoints (else the VPC has them, or a NAT). */
export function expectsInterfaceEndpoints(config: Pick<BastionConfig, 'endpoints'>, variant: Variant): boolean {
  const e = config.endpoints;
  return [e.ssm, e.logs, e.kms, ...(variant === 'ecs' ? [e.ecr] : [])].includes('create');
}

/** The stack's live endpoints (DescribeVpcEndpoints by tag) and whether the stack is fully parked. */
export async function describeEndpoints(
  ec2: EC2Client,
  config: Pick<BastionConfig, 'endpoints' | 'namePrefix'>,
  variant: Variant,
): Promise<EndpointsInfo> {
  const result = await awsCall('ec2:DescribeVpcEndpoints', () =>
    ec2.send(new DescribeVpcEndpointsCommand({ Filters: stackFilters(STACK_OF[variant], config.namePrefix) })),
  );
  const found = (result.VpcEndpoints ?? [])
    .filter((e) => !GONE_ENDPOINT_STATES.has((e.State ?? '').toLowerCase()))
    .map((e) => ({
      id: e.VpcEndpointId ?? '',
      service: /^(?:cn\.)?com\.amazonaws\.[^.]+\.(.+)$/.exec(e.ServiceName ?? '')?.[1] ?? e.ServiceName ?? '',
      type: e.VpcEndpointType ?? 'Interface',
      state: e.State ?? 'unknown',
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
  const expected = expectsInterfaceEndpoints(config, variant);
  return { expected, found, parked: expected && !found.some((e) => e.type === 'Interface') };
}

/** No session can start without the stack's endpoints, and `bastion up` does not bring them back. */
export function endpointsParkedError(variant: Variant): CliError {
  return new CliError(
    'EndpointsParked',
    `The VPC endpoints of the ${STACK_OF[variant]} stack are not there: the stack is fully parked (bastion_enabled=false).`,
    {
      hint:
        `Without the ssm/ssmmessages endpoints no session can start, and \`bastion up\` only starts compute. ` +
        `Re-apply the ${STACK_OF[variant]} stack with bastion_enabled=true (e.g. \`terraform apply -var bastion_enabled=true\`), then retry.`,
    },
  );
}
