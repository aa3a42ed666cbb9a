/**
 * Getting a bastion ready for a session: find it, offer to start it when it is parked (and start it), then
 * wait until its agent can take a session (the ECS ExecuteCommandAgent RUNNING, or the SSM agent Online).
 * Used by connect, shell and up; when waiting fails, parked endpoints are named as the reason.
 */
import { StartInstancesCommand } from '@aws-sdk/client-ec2';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { awsCall } from './aws';
import type { Clock } from './clock';
import type { Context } from './context';
import { CliError, type CliErrorCode, UsageError } from './errors';
import { findEc2Instances, type Ec2Instance, notDeployedEc2, selectEc2Instance } from './lookup/ec2';
import { describeEcsBastion, type EcsBastion, EXEC_AGENT, notDeployedEcs } from './lookup/ecs';
import { describeEndpoints, endpointsParkedError } from './lookup/endpoints';
import type { Progress } from './output';
import type { Variant } from './variants';
import { waitForEcsExec, waitForInstanceStopped, waitForSsmAgent } from './wait';

/** How to treat a parked bastion and how long to wait for it. */
export interface WakeOptions {
  /** Start a parked bastion without asking (--yes / --wake). */
  readonly yes?: boolean;
  /** How long to wait for the agent, in seconds. */
  readonly timeout: number;
  /** ECS: the task to use when the service runs several. */
  readonly task?: string;
  /** EC2: the instance to use when several carry the tags. */
  readonly instance?: string;
  /** The caller has just started the bastion (`bastion up`): a parked answer is the start not showing yet. */
  readonly started?: boolean;
}

/** A bastion that can take a session now. */
export interface SessionTarget {
  /** Session Manager target: `ecs:<cluster>_<taskId>_<runtimeId>` or the instance id. */
  readonly target: string;
  /** "task 0123…" / "instance i-…", for messages. */
  readonly label: string;
  readonly taskId?: string;
  readonly instanceId?: string;
}

/** --task is for the ecs bastion, --instance for the ec2 one: the wrong one is a usage error. */
export function checkVariantOptions(variant: Variant, options: Pick<WakeOptions, 'task' | 'instance'>): void {
  if (variant === 'ec2' && options.task) throw new UsageError('--task applies to the ecs bastion; use --instance <id> with ec2.');
  if (variant === 'ecs' && options.instance) throw new UsageError('--instance applies to the ec2 bastion; use --task <id> with ecs.');
}

/** Asks before starting a parked bastion: only on a terminal, otherwise --yes is required. */
async function offerWake(ctx: Context, variant: Variant, why: string, options: WakeOptions): Promise<void> {
  if (options.yes) {
    ctx.info(`The ${variant} bastion is parked (${why}); starting it.`);
    return;
  }
  if (!ctx.runtime.stdinIsTTY) {
    throw new CliError('Parked', `The ${variant} bastion is parked (${why}).`, {
      hint: `Start it with \`bastion up ${variant}\` (then retry), or pass --yes to start it and wait in one go.`,
    });
  }
  if (!(await ctx.runtime.confirm(`The ${variant} bastion is parked (${why}). Start it now?`))) {
    throw new CliError('Parked', `The ${variant} bastion is parked; not starting it.`, {
      hint: `Start it with \`bastion up ${variant}\` when you need it.`,
    });
  }
}

/** Why a wait failed, with the endpoints in mind: an agent cannot come up when they are parked. */
async function explainWaitFailure(ctx: Context, variant: Variant, error: unknown): Promise<unknown> {
  const codes: readonly CliErrorCode[] = ['Timeout', 'AgentNotRunning', 'NoTask'];
  if (!(error instanceof CliError) || !codes.includes(error.code)) return error;
  try {
    if ((await describeEndpoints(ctx.clients.ec2, ctx.config, variant)).parked) return endpointsParkedError(variant);
  } catch {
    // The original error says enough when the endpoints cannot be checked.
  }
  return error;
}

async function withProgress<T>(ctx: Context, variant: Variant, wait: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = ctx.progress();
  try {
    const value = await wait(progress);
    progress.stop();
    return value;
  } catch (error) {
    progress.stop();
    throw await explainWaitFailure(ctx, variant, error);
  }
}

/** The error for a bastion that is not there: fully parked when its endpoints are gone too, else `notDeployed`. */
export async function absentError(ctx: Context, variant: Variant, notDeployed: CliError): Promise<CliError> {
  const endpoints = await describeEndpoints(ctx.clients.ec2, ctx.config, variant);
  return endpoints.parked ? endpointsParkedError(variant) : notDeployed;
}

/** Sets the service's desired count to 1 (no-op when it is up); refuses when the endpoints are parked. */
export async function startEcs(ctx: Context, bastion: EcsBastion): Promise<boolean> {
  if (bastion.desiredCount >= 1) return false;
  if ((await describeEndpoints(ctx.clients.ec2, ctx.config, 'ecs')).parked) throw endpointsParkedError('ecs');
  await awsCall('ecs:UpdateService', () =>
    ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: bastion.cluster, service: bastion.service, desiredCount: 1 })),
  );
  ctx.info(`Desired count of service ${bastion.service} set to 1.`);
  return true;
}

/** Starts the instance (waiting first if it is stopping); refuses when the endpoints are parked. */
export async function startEc2(ctx: Context, instance: Ec2Instance, clock: Clock): Promise<boolean> {
  if (instance.state === 'running' || instance.state === 'pending') return false;
  if ((await describeEndpoints(ctx.clients.ec2, ctx.config, 'ec2')).parked) throw endpointsParkedError('ec2');
  if (instance.state === 'stopping') {
    const settled = await withProgress(ctx, 'ec2', (progress) =>
      waitForInstanceStopped(ctx.clients.ec2, ctx.config.namePrefix, instance.instanceId, { timeoutMs: 300_000, clock, onStatus: progress.update }),
    );
    // Started again by someone else while it stopped: nothing to start, the agent wait follows.
    if (settled.state === 'running' || settled.state === 'pending') return false;
  }
  await awsCall('ec2:StartInstances', () => ctx.clients.ec2.send(new StartInstancesCommand({ InstanceIds: [instance.instanceId] })));
  ctx.info(`Starting instance ${instance.instanceId}.`);
  return true;
}

/**
 * Finds the bastion, offers to start it when parked, and waits until its agent can take a session (the
 * ECS ExecuteCommandAgent RUNNING, or the SSM agent Online).
 */
export async function ensureReady(ctx: Context, variant: Variant, options: WakeOptions, clock: Clock = ctx.runtime.clock): Promise<SessionTarget> {
  checkVariantOptions(variant, options);
  const timeoutMs = options.timeout * 1000;
  const { ecs, ec2, ssm } = ctx.clients;
  if (variant === 'ecs') {
    const bastion = await describeEcsBastion(ecs, ctx.names);
    if (!bastion.deployed) throw await absentError(ctx, 'ecs', notDeployedEcs(bastion));
    let woke = false;
    if (bastion.desiredCount === 0 && !options.started) {
      await offerWake(ctx, 'ecs', `service ${bastion.service} has desired count 0`, options);
      woke = await startEcs(ctx, bastion);
    }
    const started = woke || options.started;
    const ready = await withProgress(ctx, 'ecs', (progress) =>
      waitForEcsExec(ecs, ctx.names, { first: woke ? undefined : bastion, taskId: options.task, timeoutMs, clock, onStatus: progress.update, started }),
    );
    if (woke) ctx.info(`Task ${ready.task.taskId} is ready (${EXEC_AGENT} RUNNING).`);
    return { target: ready.target, label: `task ${ready.task.taskId}`, taskId: ready.task.taskId };
  }
  const instances = await findEc2Instances(ec2, ctx.config.namePrefix);
  if (instances.length === 0) throw await absentError(ctx, 'ec2', notDeployedEc2(ctx.config.namePrefix));
  const instance = selectEc2Instance(instances, ctx.config.namePrefix, options.instance);
  let woke = false;
  if ((instance.state === 'stopped' || instance.state === 'stopping') && !options.started) {
    await offerWake(ctx, 'ec2', `instance ${instance.instanceId} is ${instance.state}`, options);
    woke = await startEc2(ctx, instance, clock);
  }
  const started = woke || options.started;
  const ready = await withProgress(ctx, 'ec2', (progress) =>
    waitForSsmAgent({ ec2, ssm }, ctx.config.namePrefix, { instanceId: instance.instanceId, timeoutMs, clock, onStatus: progress.update, started }),
  );
  if (woke) ctx.info(`Instance ${ready.instanceId} is ready (SSM agent Online).`);
  return { target: ready.instanceId, label: `instance ${ready.instanceId}`, instanceId: ready.instanceId };
}
