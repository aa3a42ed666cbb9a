/**
 * What `bastion connect | shell | up | down | status` do, given a Context (configuration, clients and an
 * injectable runtime). Argument parsing lives in main.ts; everything here is testable without a terminal.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { type BastionConfig, loadConfig, type TargetConfig } from '../modules/config';
import { type BastionNames, bastionNames } from '../modules/naming';
import { type AwsClientFactory, type AwsClients, awsCall, createAwsClients } from './aws';
import { CliError, type CliErrorCode, EXIT, signalExitCode, UsageError } from './errors';
import { colorEnabled, type Confirm, createProgress, createStyle, type OutStream, type Progress, type Style } from './output';
import { chooseLocalPort, type PortProbe } from './ports';
import {
  type BastionState,
  describeEcsBastion,
  describeEndpoints,
  describePatchState,
  describeSessionDocument,
  describeSsmAgent,
  type Ec2Instance,
  ec2State,
  type EcsBastion,
  ecsState,
  type EndpointsInfo,
  endpointsParkedError,
  EXEC_AGENT,
  findEc2Instances,
  notDeployedEc2,
  type PatchStateInfo,
  selectEc2Instance,
  type SessionDocumentInfo,
  type SsmAgentInfo,
  STACK_OF,
  type Variant,
  VARIANTS,
} from './resolve';
import {
  type AwsCliGlobals,
  ecsExecArgs,
  formatCommand,
  portForwardArgs,
  requireTools,
  runSession,
  sessionLoop,
  SignalRelay,
  type SignalSource,
  type SpawnFn,
  ssmShellArgs,
  type Which,
} from './session';
import type { Clock } from './clock';
import { notDeployedEcs, waitForEcsExec, waitForInstanceStopped, waitForSsmAgent } from './wait';

/** Everything the CLI touches outside itself; main.ts passes the real ones, tests pass fakes. */
export interface Runtime {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdinIsTTY: boolean;
  /** @default createAwsClients */
  readonly createClients?: AwsClientFactory;
  readonly which: Which;
  readonly spawn: SpawnFn;
  readonly signals: SignalSource;
  readonly clock: Clock;
  readonly confirm: Confirm;
  readonly ports: PortProbe;
}

/** Options of the program itself, valid before or after the command. */
export interface GlobalOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly config?: string;
  /** false with --no-color. */
  readonly color?: boolean;
}

export interface Context {
  readonly runtime: Runtime;
  readonly config: BastionConfig;
  readonly region: string;
  readonly profile?: string;
  readonly names: BastionNames;
  readonly clients: AwsClients;
  /** Style of stderr (messages, progress, errors). */
  readonly style: Style;
  /** Style of stdout (status). */
  readonly outStyle: Style;
  readonly awsCli: AwsCliGlobals;
  /** Writes a message line to stderr. */
  info(message: string): void;
  progress(): Progress;
}

export function createContext(runtime: Runtime, globals: GlobalOptions): Context {
  let env = runtime.env;
  if (globals.config) {
    const file = resolve(runtime.cwd, globals.config);
    if (!existsSync(file)) throw new UsageError(`--config ${globals.config}: no such file (${file}).`);
    env = { ...env, BASTION_CONFIG: file };
  }
  const config = loadConfig({ env, cwd: runtime.cwd });
  const region = globals.region ?? config.region;
  const profile = globals.profile;
  const style = createStyle(colorEnabled(runtime.stderr, runtime.env, globals.color));
  const outStyle = createStyle(colorEnabled(runtime.stdout, runtime.env, globals.color));
  return {
    runtime,
    config,
    region,
    profile,
    names: bastionNames(config.namePrefix),
    clients: (runtime.createClients ?? createAwsClients)({ region, profile }),
    style,
    outStyle,
    awsCli: { region, profile },
    info: (message) => runtime.stderr.write(`${message}\n`),
    progress: () => createProgress(runtime.stderr, style, runtime.stderr.isTTY === true),
  };
}

// ---------------------------------------------------------------------------------------------- readiness

export interface WakeOptions {
  /** Start a parked bastion without asking (--yes / --wake). */
  readonly yes?: boolean;
  /** How long to wait for the agent, in seconds. */
  readonly timeout: number;
  /** ECS: the task to use when the service runs several. */
  readonly task?: string;
  /** EC2: the instance to use when several carry the tags. */
  readonly instance?: string;
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

function checkVariantOptions(variant: Variant, options: Pick<WakeOptions, 'task' | 'instance'>): void {
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

async function absentError(ctx: Context, variant: Variant, notDeployed: CliError): Promise<CliError> {
  const endpoints = await describeEndpoints(ctx.clients.ec2, ctx.config, variant);
  return endpoints.parked ? endpointsParkedError(variant) : notDeployed;
}

/** Sets the service's desired count to 1 (no-op when it is up); refuses when the endpoints are parked. */
async function startEcs(ctx: Context, bastion: EcsBastion): Promise<boolean> {
  if (bastion.desiredCount >= 1) return false;
  if ((await describeEndpoints(ctx.clients.ec2, ctx.config, 'ecs')).parked) throw endpointsParkedError('ecs');
  await awsCall('ecs:UpdateService', () =>
    ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: bastion.cluster, service: bastion.service, desiredCount: 1 })),
  );
  ctx.info(`Desired count of service ${bastion.service} set to 1.`);
  return true;
}

/** Starts the instance (waiting first if it is stopping); refuses when the endpoints are parked. */
async function startEc2(ctx: Context, instance: Ec2Instance, clock: Clock): Promise<boolean> {
  if (instance.state === 'running' || instance.state === 'pending') return false;
  if ((await describeEndpoints(ctx.clients.ec2, ctx.config, 'ec2')).parked) throw endpointsParkedError('ec2');
  if (instance.state === 'stopping') {
    await withProgress(ctx, 'ec2', (progress) =>
      waitForInstanceStopped(ctx.clients.ec2, ctx.config.namePrefix, instance.instanceId, { timeoutMs: 300_000, clock, onStatus: progress.update }),
    );
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
    if (bastion.desiredCount === 0) {
      await offerWake(ctx, 'ecs', `service ${bastion.service} has desired count 0`, options);
      woke = await startEcs(ctx, bastion);
    }
    const ready = await withProgress(ctx, 'ecs', (progress) =>
      waitForEcsExec(ecs, ctx.names, { first: woke ? undefined : bastion, taskId: options.task, timeoutMs, clock, onStatus: progress.update }),
    );
    if (woke) ctx.info(`Task ${ready.task.taskId} is ready (${EXEC_AGENT} RUNNING).`);
    return { target: ready.target, label: `task ${ready.task.taskId}`, taskId: ready.task.taskId };
  }
  const instances = await findEc2Instances(ec2, ctx.config.namePrefix);
  if (instances.length === 0) throw await absentError(ctx, 'ec2', notDeployedEc2(ctx.config.namePrefix));
  const instance = selectEc2Instance(instances, ctx.config.namePrefix, options.instance);
  let woke = false;
  if (instance.state === 'stopped' || instance.state === 'stopping') {
    await offerWake(ctx, 'ec2', `instance ${instance.instanceId} is ${instance.state}`, options);
    woke = await startEc2(ctx, instance, clock);
  }
  const ready = await withProgress(ctx, 'ec2', (progress) =>
    waitForSsmAgent({ ec2, ssm }, ctx.config.namePrefix, { instanceId: instance.instanceId, timeoutMs, clock, onStatus: progress.update }),
  );
  if (woke) ctx.info(`Instance ${ready.instanceId} is ready (SSM agent Online).`);
  return { target: ready.instanceId, label: `instance ${ready.instanceId}`, instanceId: ready.instanceId };
}

// ---------------------------------------------------------------------------------------------- connect

export interface ConnectOptions extends WakeOptions {
  /** A `targets[]` entry of the configuration. */
  readonly target?: string;
  readonly host?: string;
  readonly port?: number;
  /** 0: any free port. @default - the remote port if free, else any free port */
  readonly localPort?: number;
  /** false with --no-reconnect. */
  readonly reconnect: boolean;
  /** Print the AWS CLI command instead of running it. */
  readonly dryRun?: boolean;
}

export interface Remote {
  readonly host: string;
  readonly port: number;
  readonly name?: string;
}

/** The remote end from --target (the configuration's targets[]) and/or --host/--port (which win). */
export function resolveRemote(targets: readonly TargetConfig[], options: Pick<ConnectOptions, 'target' | 'host' | 'port'>): Remote {
  let target: TargetConfig | undefined;
  if (options.target) {
    target = targets.find((t) => t.name === options.target);
    if (!target) {
      throw new UsageError(
        `Unknown target "${options.target}".`,
        targets.length > 0
          ? `Targets in the configuration: ${targets.map((t) => `${t.name} (port ${t.port})`).join(', ')}.`
          : 'The configuration has no targets[]; add one to bastion.config.json or pass --host <host> --port <port>.',
      );
    }
  }
  const host = options.host ?? target?.host;
  const port = options.port ?? target?.port;
  if (!host) {
    throw new UsageError(
      target ? `Target "${target.name}" has no host in the configuration.` : 'Say where to connect: --target <name>, or --host <host> --port <port>.',
      target ? `Add "host" (e.g. the RDS endpoint) to targets[] "${target.name}" in bastion.config.json, or pass --host <host>.` : undefined,
    );
  }
  if (port === undefined) throw new UsageError('--host needs --port <port> (or use --target <name>).');
  return { host, port, name: target?.name };
}

export async function connect(ctx: Context, variant: Variant, options: ConnectOptions): Promise<number> {
  checkVariantOptions(variant, options);
  const remote = resolveRemote(ctx.config.targets, options);
  const { runtime } = ctx;
  if (!options.dryRun) requireTools(runtime.which);
  const local = await chooseLocalPort(options.localPort, remote.port, runtime.ports);
  if (local.note) ctx.info(ctx.style.yellow(`Note: ${local.note}.`));

  const relay = new SignalRelay(runtime.signals).attach();
  const clock = relay.interruptible(runtime.clock);
  try {
    const first = await ensureReady(ctx, variant, options, clock);
    const argsFor = (session: SessionTarget) =>
      portForwardArgs({ target: session.target, host: remote.host, port: remote.port, localPort: local.port }, ctx.awsCli);
    if (options.dryRun) {
      runtime.stdout.write(`${formatCommand('aws', argsFor(first))}\n`);
      return EXIT.ok;
    }
    return await sessionLoop(
      async (attempt) => {
        const session = attempt === 1 ? first : await ensureReady(ctx, variant, options, clock);
        ctx.info(
          `${ctx.style.green('→')} localhost:${local.port} → ${remote.host}:${remote.port} through the ${variant} bastion (${session.label}). ` +
            `Press Ctrl-C to stop.`,
        );
        return runSession(argsFor(session), { spawn: runtime.spawn, relay, clock: runtime.clock, teeStderr: runtime.stderr });
      },
      { reconnect: options.reconnect, clock: runtime.clock, relay, log: (message) => ctx.info(ctx.style.yellow(message)) },
    );
  } finally {
    relay.detach();
  }
}

// ---------------------------------------------------------------------------------------------- shell

export interface ShellOptions extends WakeOptions {
  /** ECS only: the command to run instead of the login shell. */
  readonly command?: string;
  readonly dryRun?: boolean;
}

export async function shell(ctx: Context, variant: Variant, options: ShellOptions): Promise<number> {
  checkVariantOptions(variant, options);
  if (variant === 'ec2' && options.command) {
    throw new UsageError('--command applies to the ecs bastion; the ec2 shell runs the stack\'s session document.');
  }
  const { runtime } = ctx;
  if (!options.dryRun) requireTools(runtime.which);
  const relay = new SignalRelay(runtime.signals).attach();
  try {
    const session = await ensureReady(ctx, variant, options, relay.interruptible(runtime.clock));
    const args =
      variant === 'ecs'
        ? ecsExecArgs({ cluster: ctx.names.ecsCluster, taskId: session.taskId!, container: ctx.names.ecsContainer, command: options.command }, ctx.awsCli)
        : ssmShellArgs({ instanceId: session.instanceId!, documentName: ctx.names.sessionDocument }, ctx.awsCli);
    if (options.dryRun) {
      runtime.stdout.write(`${formatCommand('aws', args)}\n`);
      return EXIT.ok;
    }
    if (relay.received) return signalExitCode(relay.received);
    ctx.info(`${ctx.style.green('→')} Shell on the ${variant} bastion (${session.label}); \`exit\` ends it.`);
    const result = await runSession(args, { spawn: runtime.spawn, relay, clock: runtime.clock });
    if (relay.received) return signalExitCode(relay.received);
    if (result.signal) return signalExitCode(result.signal);
    if (result.code === 0) return EXIT.ok;
    throw new CliError('SessionFailed', `${variant === 'ecs' ? 'aws ecs execute-command' : 'aws ssm start-session'} exited with code ${result.code}.`, {
      hint: 'See the AWS CLI message above; `bastion status` shows whether the bastion and its endpoints are up.',
    });
  } finally {
    relay.detach();
  }
}

// ---------------------------------------------------------------------------------------------- up / down

export interface UpOptions extends Pick<WakeOptions, 'timeout' | 'task' | 'instance'> {
  /** Wait until the agent is ready. @default true */
  readonly wait: boolean;
}

export async function up(ctx: Context, variant: Variant, options: UpOptions): Promise<number> {
  checkVariantOptions(variant, options);
  const relay = new SignalRelay(ctx.runtime.signals).attach();
  const clock = relay.interruptible(ctx.runtime.clock);
  try {
    if (variant === 'ecs') {
      const bastion = await describeEcsBastion(ctx.clients.ecs, ctx.names);
      if (!bastion.deployed) throw await absentError(ctx, 'ecs', notDeployedEcs(bastion));
      if (!(await startEcs(ctx, bastion))) ctx.info(`The ecs bastion is already up (desired count ${bastion.desiredCount}).`);
    } else {
      const instances = await findEc2Instances(ctx.clients.ec2, ctx.config.namePrefix);
      if (instances.length === 0) throw await absentError(ctx, 'ec2', notDeployedEc2(ctx.config.namePrefix));
      const instance = selectEc2Instance(instances, ctx.config.namePrefix, options.instance);
      if (!(await startEc2(ctx, instance, clock))) ctx.info(`Instance ${instance.instanceId} is already ${instance.state}.`);
    }
    if (!options.wait) return EXIT.ok;
    const ready = await ensureReady(ctx, variant, { ...options, yes: false }, clock);
    ctx.info(`${ctx.style.green('✓')} The ${variant} bastion is ready (${ready.label}): \`bastion connect ${variant} --target <name>\` or \`bastion shell ${variant}\`.`);
    return EXIT.ok;
  } finally {
    relay.detach();
  }
}

export async function down(ctx: Context, variant: Variant, options: Pick<WakeOptions, 'instance'>): Promise<number> {
  checkVariantOptions(variant, options);
  const fullPark = `The VPC endpoints keep running (and costing); apply the ${STACK_OF[variant]} stack with bastion_enabled=false for the full park.`;
  if (variant === 'ecs') {
    const bastion = await describeEcsBastion(ctx.clients.ecs, ctx.names);
    if (!bastion.deployed) throw notDeployedEcs(bastion);
    if (bastion.desiredCount === 0) {
      ctx.info(`The ecs bastion is already parked (service ${bastion.service} has desired count 0).`);
      return EXIT.ok;
    }
    await awsCall('ecs:UpdateService', () =>
      ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: bastion.cluster, service: bastion.service, desiredCount: 0 })),
    );
    ctx.info(`Parked: desired count of service ${bastion.service} set to 0; its task stops within a minute. ${fullPark}`);
    return EXIT.ok;
  }
  const instance = selectEc2Instance(await findEc2Instances(ctx.clients.ec2, ctx.config.namePrefix), ctx.config.namePrefix, options.instance);
  if (instance.state === 'stopped' || instance.state === 'stopping') {
    ctx.info(`The ec2 bastion is already parked (instance ${instance.instanceId} is ${instance.state}).`);
    return EXIT.ok;
  }
  await awsCall('ec2:StopInstances', () => ctx.clients.ec2.send(new StopInstancesCommand({ InstanceIds: [instance.instanceId] })));
  ctx.info(`Parked: stopping instance ${instance.instanceId}. ${fullPark}`);
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------- status

/** absent/parked/… of the compute, plus `disabled`: no compute and no endpoints (bastion_enabled=false). */
export type StatusState = BastionState | 'disabled';

function overallState(state: BastionState, endpoints: EndpointsInfo): StatusState {
  return endpoints.parked && (state === 'absent' || state === 'parked') ? 'disabled' : state;
}

/** The service as resolve.ts describes it, with the tasks flattened for printing and JSON. */
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
  }[];
  readonly endpoints: EndpointsInfo;
}

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

export interface StatusFailure {
  readonly variant: Variant;
  readonly stack: string;
  readonly error: { readonly code: CliErrorCode; readonly message: string; readonly hint?: string };
}

export type VariantStatus = EcsStatus | Ec2Status | StatusFailure;

async function ecsStatus(ctx: Context): Promise<EcsStatus> {
  const [bastion, endpoints] = await Promise.all([
    describeEcsBastion(ctx.clients.ecs, ctx.names),
    describeEndpoints(ctx.clients.ec2, ctx.config, 'ecs'),
  ]);
  return {
    variant: 'ecs',
    stack: 'ecs-bastion',
    state: overallState(ecsState(bastion), endpoints),
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
    state: overallState(ec2State(instance, instance?.state === 'running' ? ssmAgent : undefined), endpoints),
    instance,
    ssmAgent,
    sessionDocument,
    patchCompliance,
    endpoints,
  };
}

const CREDENTIAL_CODES: readonly CliErrorCode[] = ['NoCredentials', 'ExpiredCredentials', 'InvalidCredentials', 'Network'];

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

const iso = (date?: Date) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);

function stateText(state: StatusState, style: Style): string {
  const text: Record<StatusState, string> = {
    running: style.green('running'),
    starting: style.cyan('starting'),
    stopping: style.yellow('stopping'),
    parked: style.yellow('parked (compute stopped; `bastion up` starts it)'),
    disabled: style.yellow('disabled (bastion_enabled=false: no compute, no endpoints)'),
    absent: style.red('not deployed'),
  };
  return text[state];
}

function endpointsText(endpoints: EndpointsInfo, style: Style): string {
  if (endpoints.found.length === 0) {
    return endpoints.expected ? style.yellow('none (parked with bastion_enabled=false)') : 'none (not configured: the VPC reaches AWS through a NAT)';
  }
  const pending = endpoints.found.filter((e) => e.state.toLowerCase() !== 'available');
  return `${endpoints.found.length} present: ${endpoints.found.map((e) => e.service).join(', ')}${
    pending.length > 0 ? style.yellow(` (not yet available: ${pending.map((e) => `${e.service} ${e.state}`).join(', ')})`) : ''
  }`;
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(13)}${value}`;
}

export function renderStatus(statuses: readonly VariantStatus[], where: { readonly region: string; readonly namePrefix: string }, style: Style): string {
  const blocks = statuses.map((s) => {
    const title = style.bold(`${s.variant.toUpperCase()} bastion`) + style.dim(` (stack ${s.stack}, ${where.namePrefix}, ${where.region})`);
    if ('error' in s) return [title, row('error', style.red(s.error.message)), ...(s.error.hint ? [row('', style.dim(s.error.hint))] : [])].join('\n');
    const lines = [title, row('state', stateText(s.state, style))];
    if (s.variant === 'ecs') {
      if (s.deployed) {
        lines.push(row('service', `${s.service} in cluster ${s.cluster} (desired ${s.desiredCount}, running ${s.runningCount}, pending ${s.pendingCount})`));
        if (s.tasks.length === 0) lines.push(row('task', 'none'));
        for (const t of s.tasks) {
          const agent = t.execAgent ? `${EXEC_AGENT} ${t.execAgent === 'RUNNING' ? style.green(t.execAgent) : style.yellow(t.execAgent)}` : 'no ECS Exec agent';
          lines.push(row('task', `${t.taskId}  ${t.lastStatus}  ${agent}${t.startedAt ? style.dim(`  started ${iso(t.startedAt)}`) : ''}`));
        }
        if (s.latestEvent && s.state !== 'running') lines.push(row('last event', style.dim(s.latestEvent)));
      } else {
        lines.push(row('service', `${s.service} not found in cluster ${s.cluster}`));
      }
    } else {
      const i = s.instance;
      lines.push(row('instance', i ? `${i.instanceId}  ${i.state}${i.instanceType ? `  ${i.instanceType}` : ''}${i.name ? style.dim(`  ${i.name}`) : ''}` : 'none'));
      if (i) {
        const agent = s.ssmAgent;
        lines.push(
          row(
            'SSM agent',
            agent
              ? `${agent.pingStatus === 'Online' ? style.green(agent.pingStatus) : style.yellow(agent.pingStatus)}${agent.agentVersion ? ` (agent ${agent.agentVersion})` : ''}${agent.lastPingAt ? style.dim(`  last ping ${iso(agent.lastPingAt)}`) : ''}`
              : style.yellow('not registered'),
          ),
        );
        const p = s.patchCompliance;
        lines.push(
          row(
            'patching',
            p
              ? `${p.compliant ? style.green('COMPLIANT') : style.red('NON_COMPLIANT')}  last ${p.operation ?? 'operation'} ${iso(p.operationEndTime) ?? ''}; ` +
                  `${p.missing} missing, ${p.failed} failed, ${p.installed} installed${p.pendingReboot ? `, ${p.pendingReboot} pending reboot` : ''}`
              : style.yellow('no patch scan reported yet'),
          ),
        );
      }
      const d = s.sessionDocument;
      lines.push(row('session doc', d.present ? `${d.name} (${d.status ?? 'unknown'})` : style.yellow(`${d.name} not found`)));
    }
    lines.push(row('endpoints', endpointsText(s.endpoints, style)));
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

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
