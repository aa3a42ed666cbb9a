/**
 * The reconnect loop of `bastion connect`: a session that drops (idle timeout, network, a replaced task) is
 * started again with backoff; one that cannot work (denied, no credentials, no plugin) ends the loop at once.
 */
import { type Clock, formatDuration } from './clock';
import {
  accessDenied,
  CliError,
  EXIT,
  parseDeniedAction,
  parseDeniedPrincipal,
  PROFILE_HINT,
  signalExitCode,
} from './errors';
import type { SignalRelay } from './signals';
import type { SessionResult } from './spawn';
import { missingTool } from './tools';

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

/** How sessionLoop reconnects. */
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

/** 500ms after a healthy session, then 1s, 2s, 4s … up to 30s after failures in a row. */
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
