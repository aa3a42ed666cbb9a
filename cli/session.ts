/**
 * Starting sessions: the exact AWS CLI command lines (`aws ssm start-session`, `aws ecs execute-command`),
 * the check that the AWS CLI and the session-manager-plugin are installed, spawning with signal
 * pass-through, and the reconnect loop of `bastion connect`.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  accessDenied,
  CliError,
  EXIT,
  interruptedError,
  parseDeniedAction,
  parseDeniedPrincipal,
  PROFILE_HINT,
  signalExitCode,
} from './errors';
import { type Clock, formatDuration } from './clock';

export const PORT_FORWARD_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

/**
 * The ECS Exec command of `bastion shell ecs`: bash when the image has it, else sh. ECS Exec runs the
 * command without a shell, so the choice is made by `sh -c` inside the container.
 */
export const DEFAULT_ECS_SHELL = "/bin/sh -c 'command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l'";

/** Options every AWS CLI command line carries, so the CLI talks to the same account and region as the SDK. */
export interface AwsCliGlobals {
  readonly region: string;
  readonly profile?: string;
}

function globalArgs(globals: AwsCliGlobals): string[] {
  return ['--region', globals.region, ...(globals.profile ? ['--profile', globals.profile] : [])];
}

export interface PortForward {
  /** Session Manager target: `ecs:<cluster>_<taskId>_<runtimeId>` or an instance id. */
  readonly target: string;
  /** Remote host the bastion connects to (DNS name or IPv4). */
  readonly host: string;
  readonly port: number;
  readonly localPort: number;
}

/** `aws ssm start-session … --document-name AWS-StartPortForwardingSessionToRemoteHost` (argv after `aws`). */
export function portForwardArgs(forward: PortForward, globals: AwsCliGlobals): string[] {
  const parameters = { host: [forward.host], portNumber: [String(forward.port)], localPortNumber: [String(forward.localPort)] };
  return [
    'ssm',
    'start-session',
    '--target',
    forward.target,
    '--document-name',
    PORT_FORWARD_DOCUMENT,
    '--parameters',
    JSON.stringify(parameters),
    ...globalArgs(globals),
  ];
}

/** `aws ssm start-session --target <instance> --document-name <session document>` (argv after `aws`). */
export function ssmShellArgs(shell: { readonly instanceId: string; readonly documentName: string }, globals: AwsCliGlobals): string[] {
  return ['ssm', 'start-session', '--target', shell.instanceId, '--document-name', shell.documentName, ...globalArgs(globals)];
}

export interface EcsExec {
  readonly cluster: string;
  readonly taskId: string;
  readonly container: string;
  /** @default DEFAULT_ECS_SHELL */
  readonly command?: string;
}

/** `aws ecs execute-command … --interactive --command …` (argv after `aws`). */
export function ecsExecArgs(exec: EcsExec, globals: AwsCliGlobals): string[] {
  return [
    'ecs',
    'execute-command',
    '--cluster',
    exec.cluster,
    '--task',
    exec.taskId,
    '--container',
    exec.container,
    '--interactive',
    '--command',
    exec.command ?? DEFAULT_ECS_SHELL,
    ...globalArgs(globals),
  ];
}

/** Quotes one argument for a POSIX shell, only when it needs it. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_\-.,:/@%+=]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line to show or paste: `aws ssm start-session --target … --parameters '{"host":[…]}'`. */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(' ');
}

// ---------------------------------------------------------------------------------------------- tools

/** Finds an executable on PATH (undefined: not installed). */
export type Which = (command: string) => string | undefined;

export function createWhich(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Which {
  return (command) => {
    const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
    const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
    for (const dir of dirs) {
      for (const ext of extensions) {
        const candidate = join(dir, command + ext);
        try {
          if (!statSync(candidate).isFile()) continue;
          if (platform !== 'win32') accessSync(candidate, constants.X_OK);
          return candidate;
        } catch {
          // not here
        }
      }
    }
    return undefined;
  };
}

export type Tool = 'aws' | 'session-manager-plugin';

export const INSTALL_HINTS: Readonly<Record<Tool, string>> = {
  aws:
    'Install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html ' +
    '(macOS: `brew install awscli`; Windows: `winget install Amazon.AWSCLI`), then open a new shell so it is on PATH.',
  'session-manager-plugin':
    'Install the Session Manager plugin for the AWS CLI: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html ' +
    '(macOS: `brew install --cask session-manager-plugin`; Debian/Ubuntu: the session-manager-plugin.deb from that page), then open a new shell so it is on PATH.',
};

const TOOL_NAMES: Readonly<Record<Tool, string>> = { aws: 'The AWS CLI (`aws`)', 'session-manager-plugin': 'The session-manager-plugin' };

export function missingTool(tool: Tool, detail = 'was not found on PATH'): CliError {
  return new CliError('MissingTool', `${TOOL_NAMES[tool]} ${detail}; sessions are started through it.`, { hint: INSTALL_HINTS[tool] });
}

/** Fails with install hints unless both the AWS CLI and the session-manager-plugin are on PATH. */
export function requireTools(which: Which, tools: readonly Tool[] = ['aws', 'session-manager-plugin']): void {
  for (const tool of tools) if (!which(tool)) throw missingTool(tool);
}

// ---------------------------------------------------------------------------------------------- spawning

/** What the CLI needs of a child process (node's ChildProcess fits; tests pass a fake). */
export interface ChildLike {
  readonly stderr?: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
}

export type SpawnFn = (
  command: string,
  args: readonly string[],
  options: { readonly stdio: 'inherit' | ['inherit', 'inherit', 'pipe'] },
) => ChildLike;

/** Where process signals come from (process, or a fake in tests). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export const RELAYED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Holds SIGINT/SIGTERM/SIGHUP for as long as sessions run: passes each to the running child (so a
 * supervisor's `kill -INT` reaches the plugin as a terminal's Ctrl-C would) and remembers it, so the loop
 * ends instead of reconnecting and the CLI exits with 128 + the signal.
 */
export class SignalRelay {
  private signal?: NodeJS.Signals;
  private child?: ChildLike;
  private readonly listeners = new Map<NodeJS.Signals, () => void>();
  private readonly waiting: ((signal: NodeJS.Signals) => void)[] = [];

  constructor(private readonly source: SignalSource) {}

  /** The first signal received, if any. */
  get received(): NodeJS.Signals | undefined {
    return this.signal;
  }

  attach(): this {
    for (const signal of RELAYED_SIGNALS) {
      const listener = () => this.deliver(signal);
      this.listeners.set(signal, listener);
      this.source.on(signal, listener);
    }
    return this;
  }

  detach(): void {
    for (const [signal, listener] of this.listeners) this.source.off(signal, listener);
    this.listeners.clear();
  }

  setChild(child: ChildLike | undefined): void {
    this.child = child;
  }

  /** Resolves with the first signal (at once if one was already received). */
  whenSignalled(): Promise<NodeJS.Signals> {
    if (this.signal) return Promise.resolve(this.signal);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A clock whose sleep ends early with an Interrupted error when a signal arrives (waits stop on Ctrl-C). */
  interruptible(clock: Clock): Clock {
    return {
      now: () => clock.now(),
      sleep: async (ms) => {
        if (this.signal) throw interruptedError(this.signal);
        const signal = await Promise.race([clock.sleep(ms).then(() => undefined), this.whenSignalled()]);
        if (signal) throw interruptedError(signal);
      },
    };
  }

  private deliver(signal: NodeJS.Signals): void {
    this.signal ??= signal;
    this.child?.kill(signal);
    for (const resolve of this.waiting.splice(0)) resolve(this.signal);
  }
}

export interface SessionResult {
  /** Exit code of the AWS CLI (null when killed by a signal). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly durationMs: number;
  /** The end of what the AWS CLI wrote to stderr (when captured), to recognise failures. */
  readonly stderr: string;
}

export interface RunSessionDeps {
  readonly spawn: SpawnFn;
  readonly relay: SignalRelay;
  readonly clock: Clock;
  /**
   * Copy the child's stderr here and keep its end for `classifySessionFailure`. Only for port forwarding:
   * an interactive shell keeps the terminal untouched.
   */
  readonly teeStderr?: { write(chunk: string): unknown };
}

const STDERR_TAIL = 8192;

/** Runs `aws <args>` with the terminal, and resolves when it exits. */
export function runSession(args: readonly string[], deps: RunSessionDeps): Promise<SessionResult> {
  const started = deps.clock.now();
  return new Promise((resolve, reject) => {
    let child: ChildLike;
    try {
      child = deps.spawn('aws', args, { stdio: deps.teeStderr ? ['inherit', 'inherit', 'pipe'] : 'inherit' });
    } catch (error) {
      reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? missingTool('aws') : error);
      return;
    }
    let stderr = '';
    if (deps.teeStderr && child.stderr) {
      child.stderr.on('data', (chunk: Buffer | string) => {
        const text = chunk.toString();
        deps.teeStderr!.write(text);
        stderr = (stderr + text).slice(-STDERR_TAIL);
      });
    }
    deps.relay.setChild(child);
    child.once('error', (error) => {
      deps.relay.setChild(undefined);
      reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? missingTool('aws', 'could not be started') : error);
    });
    child.once('exit', (code, signal) => {
      deps.relay.setChild(undefined);
      resolve({ code, signal, durationMs: deps.clock.now() - started, stderr });
    });
  });
}

const OPERATION_ACTIONS: Readonly<Record<string, string>> = {
  StartSession: 'ssm:StartSession',
  ExecuteCommand: 'ecs:ExecuteCommand',
  ResumeSession: 'ssm:ResumeSession',
  TerminateSession: 'ssm:TerminateSession',
};

/**
 * Failures of `aws ssm start-session` that reconnecting cannot fix, recognised in its stderr. Undefined:
 * the session may work on another attempt (dropped connection, idle timeout, agent reconnecting).
 */
export function classifySessionFailure(stderr: string): CliError | undefined {
  if (/AccessDenied|not authorized to perform/i.test(stderr)) {
    const operation = /when calling the (\w+) operation/.exec(stderr)?.[1];
    const action = parseDeniedAction(stderr) ?? (operation && OPERATION_ACTIONS[operation]) ?? 'ssm:StartSession';
    return accessDenied(action, parseDeniedPrincipal(stderr));
  }
  if (/Unable to locate credentials|NoCredentialsError/i.test(stderr)) {
    return new CliError('NoCredentials', 'The AWS CLI found no credentials.', { hint: PROFILE_HINT });
  }
  if (/ExpiredToken|token (has|is) expired|Error loading SSO Token/i.test(stderr)) {
    return new CliError('ExpiredCredentials', 'Your AWS credentials have expired.', {
      hint: 'Log in again, e.g. `aws sso login --profile <name>`, then retry.',
    });
  }
  if (/SessionManagerPlugin is not found/i.test(stderr)) return missingTool('session-manager-plugin', 'was not found by the AWS CLI');
  if (/execute command was not enabled/i.test(stderr)) {
    return new CliError('AgentNotRunning', 'The task was started without ECS Exec (execute command was not enabled).', {
      hint: 'Replace the task with `aws ecs update-service --force-new-deployment` on the ecs-bastion service.',
    });
  }
  if (/InvalidDocument|InvalidTarget\b|Invalid choice|Unknown options|usage: aws/i.test(stderr)) {
    return new CliError('SessionFailed', 'The AWS CLI rejected the session request (see its message above).', {
      hint: 'Make sure the AWS CLI is v2 (`aws --version`) and the stack is deployed in this region.',
    });
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- reconnect

export interface SessionLoopOptions {
  /** Start a new session when one ends without Ctrl-C. */
  readonly reconnect: boolean;
  /** Give up after this many failed attempts in a row. @default 5 */
  readonly maxAttempts?: number;
  /** A session that lasted this long was healthy: the failure count starts over. @default 60_000 */
  readonly stableAfterMs?: number;
  /** Pause before reconnect number `failures` (0: after a healthy session). */
  readonly backoffMs?: (failures: number) => number;
  readonly clock: Clock;
  readonly relay: SignalRelay;
  readonly log: (message: string) => void;
}

export function defaultBackoffMs(failures: number): number {
  return failures === 0 ? 500 : Math.min(1000 * 2 ** (failures - 1), 30_000);
}

/** Errors that may clear up by reconnecting (the network came back, the service started a new task). */
const TRANSIENT_CODES = new Set(['Network', 'NoTask', 'AgentNotRunning', 'Timeout', 'Aws']);

function describeEnd(result: SessionResult): string {
  const how = result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
  return `${how} after ${formatDuration(result.durationMs)}`;
}

/**
 * Runs sessions until one ends for good: Ctrl-C (exit 130), `--no-reconnect`, a failure reconnecting cannot
 * fix, or `maxAttempts` failures in a row. `attempt(n)` resolves the bastion (again) and runs one session.
 */
export async function sessionLoop(attempt: (n: number) => Promise<SessionResult>, options: SessionLoopOptions): Promise<number> {
  const { relay, clock, log } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const stableAfterMs = options.stableAfterMs ?? 60_000;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  let failures = 0;
  for (let n = 1; ; n++) {
    if (relay.received) return signalExitCode(relay.received);
    let result: SessionResult | undefined;
    try {
      result = await attempt(n);
    } catch (error) {
      if (relay.received) return signalExitCode(relay.received);
      // The first attempt reports everything; later ones ride out what a reconnect can fix.
      if (n === 1 || !(error instanceof CliError) || !TRANSIENT_CODES.has(error.code) || !options.reconnect) throw error;
      log(`Could not reconnect: ${error.message}`);
    }
    if (relay.received) return signalExitCode(relay.received);
    if (result?.signal === 'SIGINT') return EXIT.interrupted;
    if (result) {
      const fatal = classifySessionFailure(result.stderr);
      if (fatal) throw fatal;
      if (!options.reconnect) {
        if (result.code === 0) return EXIT.ok;
        throw new CliError('SessionFailed', `The session ended with ${describeEnd(result)}.`, {
          hint: 'See the AWS CLI message above. Without --no-reconnect, bastion reconnects by itself.',
        });
      }
    }
    const healthy = result !== undefined && result.durationMs >= stableAfterMs;
    failures = healthy ? 0 : failures + 1;
    if (failures >= maxAttempts) {
      throw new CliError('SessionFailed', `The session failed ${failures} times in a row; giving up.`, {
        hint: 'See the messages above. `bastion status` shows whether the bastion and its endpoints are up.',
      });
    }
    const delay = backoffMs(failures);
    log(
      `${result ? `Session ended (${describeEnd(result)})` : 'Reconnect failed'}; reconnecting` +
        `${delay > 0 ? ` in ${formatDuration(delay)}` : ''}${failures > 0 ? ` (attempt ${failures + 1} of ${maxAttempts})` : ''}. Press Ctrl-C to stop.`,
    );
    if (delay > 0) {
      try {
        await relay.interruptible(clock).sleep(delay);
      } catch {
        return signalExitCode(relay.received ?? 'SIGINT');
      }
    }
  }
}
