/**
 * Waiting until the bastion can really take a session: for ECS the task's ExecuteCommandAgent must be
 * RUNNING (a RUNNING task is not enough), for EC2 the SSM agent must be Online. Time is injected, so tests
 * run the whole wait without sleeping.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { BastionNames } from '../modules/naming';
import { type Clock, formatDuration } from './clock';
import { CliError, type CliErrorCode } from './errors';
import { type Ec2Instance, findEc2Instances, selectEc2Instance } from './lookup/ec2';
import { describeEcsBastion, type EcsBastion, type EcsTask, ecsSessionTarget, EXEC_AGENT, notDeployedEcs, selectEcsTask } from './lookup/ecs';
import { describeSsmAgent, type SsmAgentInfo } from './lookup/ssm';

export { type Clock, formatDuration, realClock } from './clock';

/** One look at the bastion: ready with a value, or not yet with a status line for the progress indicator. */
export type Probe<T> =
  | { readonly ready: true; readonly value: T }
  | {
      readonly ready: false;
      readonly status: string;
      /** Error code if the wait times out in this state. @default 'Timeout' */
      readonly timeoutCode?: CliErrorCode;
      /** Hint if the wait times out in this state. */
      readonly timeoutHint?: string;
    };

/**
 * How long after the CLI started the bastion a parked answer means the start does not show yet, not that the
 * bastion is parked: ECS and EC2 are eventually consistent, so the first looks after UpdateService or
 * StartInstances may still show desired count 0 or a stopped instance (the SDK's InstanceRunning waiter keeps
 * polling on `stopped` for the same reason). After it, a parked answer is someone parking it again.
 * https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html ("The Amazon ECS API follows an eventual consistency model")
 */
export const START_SETTLE_MS = 30_000;

/** How long and how often waitFor looks. */
export interface WaitOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** Pause between looks. @default 3000 */
  readonly intervalMs?: number;
  readonly clock: Clock;
  /** Called after every look that is not ready yet (the progress indicator). */
  readonly onStatus?: (status: string, elapsedMs: number) => void;
  /** The CLI has just started the bastion: for START_SETTLE_MS a parked answer is waited out. */
  readonly started?: boolean;
}


/** Error names of AWS throttling (ECS, SSM and STS say ThrottlingException; EC2 RequestLimitExceeded). */
const THROTTLING_NAMES = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled']);

/**
 * Whether a failed look is one a later look can outlive: the network, throttling, or a fault on AWS's side (HTTP
 * 5xx), which the SDK gives up on after three attempts by default. A wait runs for minutes; one such answer must
 * not end it.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html (transient errors, throttling)
 */
export function isTransient(error: unknown): error is CliError {
  if (!(error instanceof CliError)) return false;
  if (error.code === 'Network') return true;
  const cause = error.cause as { name?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  return THROTTLING_NAMES.has(String(cause?.name)) || cause?.$fault === 'server' || (cause?.$metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * Polls `probe` until it is ready; throws the probe's errors at once (but looks again after a transient one, see
 * isTransient) and a Timeout error at the deadline. `settling` tells the probe that the look falls in the
 * START_SETTLE_MS after a start the CLI asked for (`options.started`).
 */
export async function waitFor<T>(what: string, probe: (settling: boolean) => Promise<Probe<T>>, options: WaitOptions): Promise<T> {
  const { clock, timeoutMs } = options;
  const intervalMs = options.intervalMs ?? 3000;
  const start = clock.now();
  for (;;) {
    const settling = options.started === true && clock.now() - start < START_SETTLE_MS;
    const result = await probe(settling).catch((error: unknown): Probe<T> => {
      if (!isTransient(error)) throw error;
      return { ready: false, status: `${error.message} (looking again)`, timeoutCode: error.code, timeoutHint: error.hint };
    });
    if (result.ready) return result.value;
    const elapsed = clock.now() - start;
    options.onStatus?.(result.status, elapsed);
    if (elapsed >= timeoutMs) {
      throw new CliError(result.timeoutCode ?? 'Timeout', `${what} was not ready after ${formatDuration(elapsed)}: ${result.status}.`, {
        hint: result.timeoutHint ?? 'Retry with a longer --timeout <seconds>.',
      });
    }
    await clock.sleep(Math.min(intervalMs, timeoutMs - elapsed));
  }
}

// ---------------------------------------------------------------------------------------------- ECS

/** A task that can take an ECS Exec session, with its Session Manager target. */
export interface EcsExecReady {
  readonly bastion: EcsBastion;
  readonly task: EcsTask;
  /** `ecs:<cluster>_<taskId>_<runtimeId>` */
  readonly target: string;
}

/** The bastion is parked: waiting cannot help until it is started. */
export function parkedError(variant: 'ecs' | 'ec2', detail: string): CliError {
  return new CliError('Parked', `The ${variant} bastion is parked (${detail}).`, {
    hint: `Start it with \`bastion up ${variant}\`, or pass --yes to start it and wait.`,
  });
}

const ECS_AGENT_HINT =
  'The agent reaches AWS through the ssmmessages VPC endpoint (or a NAT) with the ssmmessages:* permissions of the task role. ' +
  'Check the endpoints with `bastion status`, then replace the task: `aws ecs update-service --force-new-deployment` on the service.';

/**
 * Whether ECS Exec can start on the service's task now; throws when waiting cannot help. `settling`: the CLI has
 * just set the desired count, so desired count 0 is that not showing yet.
 */
export function ecsProbe(bastion: EcsBastion, taskId?: string, settling = false): Probe<EcsExecReady> {
  if (!bastion.deployed) throw notDeployedEcs(bastion);
  if (bastion.tasks.length === 0) {
    if (bastion.desiredCount === 0 && settling) return { ready: false, status: `service ${bastion.service} still shows desired count 0 (start requested)` };
    if (bastion.desiredCount === 0) throw parkedError('ecs', `service ${bastion.service} has desired count 0`);
    return {
      ready: false,
      status: `waiting for service ${bastion.service} to start a task (desired ${bastion.desiredCount}, pending ${bastion.pendingCount}, running ${bastion.runningCount})`,
      timeoutCode: 'NoTask',
      timeoutHint: bastion.latestEvent
        ? `The service's latest event: "${bastion.latestEvent}".`
        : `See the service events: \`aws ecs describe-services --cluster ${bastion.cluster} --services ${bastion.service}\`.`,
    };
  }
  const task = selectEcsTask(bastion, taskId);
  // During a rollout the task that stays is waited for although the one it replaces may still take sessions.
  const replacing = bastion.tasks.filter((t) => t.replaced && t !== task).map((t) => t.taskId);
  const rollout = replacing.length > 0 ? ` (replacing task ${replacing.join(', ')})` : '';
  if (task.lastStatus !== 'RUNNING') {
    return { ready: false, status: `task ${task.taskId} is ${task.lastStatus}${rollout}`, timeoutCode: 'NoTask' };
  }
  if (!task.execEnabled || task.agentStatus === undefined) {
    throw new CliError('AgentNotRunning', `Task ${task.taskId} was started without ECS Exec (enableExecuteCommand is off), so it has no ${EXEC_AGENT}.`, {
      hint: 'The ecs-bastion service enables ECS Exec; a task started another way cannot take sessions. Replace it with `aws ecs update-service --force-new-deployment`.',
    });
  }
  if (task.agentStatus === 'STOPPED') {
    throw new CliError('AgentNotRunning', `The ECS Exec agent (${EXEC_AGENT}) of task ${task.taskId} is STOPPED.`, { hint: ECS_AGENT_HINT });
  }
  if (task.agentStatus !== 'RUNNING' || !task.runtimeId) {
    return {
      ready: false,
      status: `task ${task.taskId} is RUNNING, ${EXEC_AGENT} is ${task.agentStatus}${rollout}`,
      timeoutCode: 'AgentNotRunning',
      timeoutHint: ECS_AGENT_HINT,
    };
  }
  return { ready: true, value: { bastion, task, target: ecsSessionTarget(bastion.cluster, task) } };
}

/** waitForEcsExec's options: which task, and a description already fetched. */
export interface EcsWaitOptions extends WaitOptions {
  readonly taskId?: string;
  /** A description already fetched, used for the first look instead of a new one. */
  readonly first?: EcsBastion;
}

/** Waits until a task of the ecs-bastion service can take an ECS Exec session. */
export function waitForEcsExec(ecs: ECSClient, names: BastionNames, options: EcsWaitOptions): Promise<EcsExecReady> {
  let first = options.first;
  return waitFor(
    `The ECS bastion (service ${names.ecsService})`,
    async (settling) => {
      const bastion = first ?? (await describeEcsBastion(ecs, names));
      first = undefined;
      return ecsProbe(bastion, options.taskId, settling);
    },
    options,
  );
}

// ---------------------------------------------------------------------------------------------- EC2

const SSM_AGENT_HINT =
  'The SSM agent needs the ssm, ssmmessages and ec2messages VPC endpoints (or a NAT) and the instance profile of the stack. ' +
  'Check the endpoints with `bastion status`, and the boot log with `aws ec2 get-console-output --instance-id <id>`.';

/**
 * Whether Session Manager can start on the instance now; throws when waiting cannot help. `settling`: the CLI has
 * just started the instance, so `stopped` is that not showing yet.
 */
export function ec2Probe(instance: Ec2Instance, agent: SsmAgentInfo | undefined, settling = false): Probe<Ec2Instance> {
  switch (instance.state) {
    case 'running':
      if (agent?.pingStatus === 'Online') return { ready: true, value: instance };
      return {
        ready: false,
        status: `instance ${instance.instanceId} is running, SSM agent ${agent ? `is ${agent.pingStatus}` : 'has not registered yet'}`,
        timeoutCode: 'AgentNotRunning',
        timeoutHint: SSM_AGENT_HINT,
      };
    case 'pending':
      return { ready: false, status: `instance ${instance.instanceId} is pending` };
    case 'stopped':
      if (settling) return { ready: false, status: `instance ${instance.instanceId} still shows stopped (start requested)` };
      throw parkedError('ec2', `instance ${instance.instanceId} is ${instance.state}`);
    case 'stopping':
      throw parkedError('ec2', `instance ${instance.instanceId} is ${instance.state}`);
    default:
      throw new CliError('NotDeployed', `Instance ${instance.instanceId} is ${instance.state}.`);
  }
}

/** The clients the EC2 wait reads with. */
export interface Ec2Clients {
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
}

/** waitForSsmAgent's options: which instance. */
export interface Ec2WaitOptions extends WaitOptions {
  readonly instanceId?: string;
}

/** Waits until the EC2 bastion's SSM agent is Online. */
export function waitForSsmAgent(clients: Ec2Clients, namePrefix: string, options: Ec2WaitOptions): Promise<Ec2Instance> {
  return waitFor(
    'The EC2 bastion',
    async (settling) => {
      const instance = selectEc2Instance(await findEc2Instances(clients.ec2, namePrefix), namePrefix, options.instanceId);
      const agent = instance.state === 'running' ? await describeSsmAgent(clients.ssm, instance.instanceId) : undefined;
      return ec2Probe(instance, agent, settling);
    },
    options,
  );
}

/**
 * Waits until the instance is no longer stopping: stopped (so it can be started again), or already started again by
 * someone else (pending, running), which the caller must not wait out to the timeout.
 */
export function waitForInstanceStopped(ec2: EC2Client, namePrefix: string, instanceId: string, options: WaitOptions): Promise<Ec2Instance> {
  return waitFor(
    `Instance ${instanceId}`,
    async () => {
      const instance = selectEc2Instance(await findEc2Instances(ec2, namePrefix), namePrefix, instanceId);
      return instance.state !== 'stopping' ? { ready: true, value: instance } : { ready: false, status: `instance ${instanceId} is ${instance.state}` };
    },
    options,
  );
}
