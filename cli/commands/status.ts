/**
 * `bastion status [variant]`: what each bastion is doing, gathered from ECS, EC2 and Systems Manager, as text
 * (status-render.ts) or --json. A part that cannot be read is reported in place of its bastion (exit 1);
 * missing credentials are one error for the whole command.
 */
import type { Context } from '../context';
import { CliError, type CliErrorCode, EXIT } from '../errors';
import { type Ec2Instance, ec2State, findEc2Instances } from '../lookup/ec2';
import { describeEcsBastion, type EcsBastion, ecsState } from '../lookup/ecs';
import { describeEndpoints, type EndpointsInfo } from '../lookup/endpoints';
import { describePatchState, describeSessionDocument, describeSsmAgent, type PatchStateInfo, type SessionDocumentInfo, type SsmAgentInfo } from '../lookup/ssm';
import { BASTION_STATES, type BastionState, STACK_OF, type Variant, VARIANTS } from '../variants';
import { renderStatus } from './status-render';

/**
 * The states `bastion status` reports: those of the compute, plus `disabled` (bastion_enabled=false) and
 * `unreachable` (compute up, endpoints gone).
 */
export const STATUS_STATES = [...BASTION_STATES, 'disabled', 'unreachable'] as const;
/**
 * absent/parked/… of the compute (`absent` also when the stack is not deployed at all); `disabled`: no
 * compute and no endpoints, in a deployed stack (bastion_enabled=false);
 * `unreachable`: the compute runs or starts (started outside the CLI, which refuses to, or its endpoints
 * removed under it, as during an apply with bastion_enabled=false) but the stack's interface endpoints are
 * gone, so no session can start (connect and shell refuse it too, readiness.ts).
 */
export type StatusState = (typeof STATUS_STATES)[number];

/**
 * The bastion's state from what its compute does, whether the stack's interface endpoints are there, and
 * whether the stack is deployed at all: parking keeps the ECS service and the EC2 session document, so without
 * them no compute and no endpoints means never deployed (or destroyed), not parked.
 */
export function overallState(state: BastionState, endpoints: Pick<EndpointsInfo, 'parked'>, stackDeployed: boolean): StatusState {
  if (!stackDeployed) return 'absent';
  if (!endpoints.parked) return state;
  if (state === 'absent' || state === 'parked') return 'disabled';
  return state === 'stopping' ? 'stopping' : 'unreachable';
}

/** The service as lookup/ecs.ts describes it, with the tasks flattened for printing and JSON. */
export interface EcsStatus extends Omit<EcsBastion, 'tasks'> {
  readonly variant: 'ecs';
  readonly stack: 'ecs-bastion';
  readonly state: StatusState;
  readonly tasks: readonly {
    readonly taskId: string;
    readonly lastStatus: string;
    readonly runtimeId?: string;
    readonly execAgent?: string;
    readonly startedAt?: Date;
    readonly availabilityZone?: string;
    readonly capacityProvider?: string;
    /** Started by a deployment a rollout is replacing: the service stops it once the new task runs. */
    readonly replaced?: boolean;
  }[];
  readonly endpoints: EndpointsInfo;
}

/** The instance with its SSM agent, patch compliance and the stack's session document. */
export interface Ec2Status {
  readonly variant: 'ec2';
  readonly stack: 'ec2-bastion';
  readonly state: StatusState;
  readonly instance?: Ec2Instance;
  readonly ssmAgent?: SsmAgentInfo;
  readonly sessionDocument: SessionDocumentInfo;
  readonly patchCompliance?: PatchStateInfo;
  readonly endpoints: EndpointsInfo;
}

/** A bastion whose status could not be read, with the error in its place. */
export interface StatusFailure {
  readonly variant: Variant;
  readonly stack: string;
  readonly error: { readonly code: CliErrorCode; readonly message: string; readonly hint?: string };
}

/** One bastion's block of `bastion status`. */
export type VariantStatus = EcsStatus | Ec2Status | StatusFailure;

async function ecsStatus(ctx: Context): Promise<EcsStatus> {
  const [bastion, endpoints] = await Promise.all([
    describeEcsBastion(ctx.clients.ecs, ctx.names),
    describeEndpoints(ctx.clients.ec2, ctx.config, 'ecs'),
  ]);
  return {
    variant: 'ecs',
    stack: 'ecs-bastion',
    state: overallState(ecsState(bastion), endpoints, bastion.deployed),
    cluster: bastion.cluster,
    service: bastion.service,
    deployed: bastion.deployed,
    desiredCount: bastion.desiredCount,
    runningCount: bastion.runningCount,
    pendingCount: bastion.pendingCount,
    tasks: bastion.tasks.map((t) => ({
      taskId: t.taskId,
      lastStatus: t.lastStatus,
      runtimeId: t.runtimeId,
      execAgent: t.agentStatus,
      startedAt: t.startedAt,
      availabilityZone: t.availabilityZone,
      capacityProvider: t.capacityProvider,
      replaced: t.replaced,
    })),
    latestEvent: bastion.latestEvent,
    endpoints,
  };
}

async function ec2Status(ctx: Context): Promise<Ec2Status> {
  const [instances, endpoints, sessionDocument] = await Promise.all([
    findEc2Instances(ctx.clients.ec2, ctx.config.namePrefix),
    describeEndpoints(ctx.clients.ec2, ctx.config, 'ec2'),
    describeSessionDocument(ctx.clients.ssm, ctx.names.sessionDocument),
  ]);
  // One instance per deployment; should there be more, the first is shown (connect asks for --instance).
  const instance = instances[0];
  const [ssmAgent, patchCompliance] = instance
    ? await Promise.all([describeSsmAgent(ctx.clients.ssm, instance.instanceId), describePatchState(ctx.clients.ssm, instance.instanceId)])
    : [undefined, undefined];
  return {
    variant: 'ec2',
    stack: 'ec2-bastion',
    state: overallState(ec2State(instance, instance?.state === 'running' ? ssmAgent : undefined), endpoints, sessionDocument.present),
    instance,
    ssmAgent,
    sessionDocument,
    patchCompliance,
    endpoints,
  };
}

const CREDENTIAL_CODES: readonly CliErrorCode[] = ['NoCredentials', 'ExpiredCredentials', 'InvalidCredentials', 'Network'];

/** The status of each variant, read in parallel; a CliError other than credentials becomes a StatusFailure. */
export async function collectStatus(ctx: Context, variants: readonly Variant[]): Promise<VariantStatus[]> {
  return Promise.all(
    variants.map(async (variant): Promise<VariantStatus> => {
      try {
        return variant === 'ecs' ? await ecsStatus(ctx) : await ec2Status(ctx);
      } catch (error) {
        // One message is enough when nothing can be asked at all.
        if (!(error instanceof CliError) || CREDENTIAL_CODES.includes(error.code)) throw error;
        return { variant, stack: STACK_OF[variant], error: { code: error.code, message: error.message, hint: error.hint } };
      }
    }),
  );
}

/** Runs `bastion status`: text or --json on stdout; exit 1 when any part could not be read. */
export async function status(ctx: Context, variant: Variant | undefined, options: { readonly json?: boolean }): Promise<number> {
  const statuses = await collectStatus(ctx, variant ? [variant] : VARIANTS);
  const where = { region: ctx.region, namePrefix: ctx.config.namePrefix };
  if (options.json) {
    const document: Record<string, unknown> = { ...where, ...(ctx.profile ? { profile: ctx.profile } : {}) };
    for (const s of statuses) document[s.variant] = s;
    ctx.runtime.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    ctx.runtime.stdout.write(renderStatus(statuses, where, ctx.outStyle));
  }
  return statuses.some((s) => 'error' in s) ? EXIT.error : EXIT.ok;
}
