/**
 * Running one session: spawning `aws …` with the terminal, with signals passed through the SignalRelay, and
 * keeping the end of its stderr so the reconnect loop can tell a dropped session from one that cannot work.
 */
import type { Clock } from './clock';
import type { SignalRelay } from './signals';
import { missingTool } from './tools';

/** What the CLI needs of a child process (node's ChildProcess fits; tests pass a fake). */
export interface ChildLike {
  readonly stderr?: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
}

/** Starts a child process (node's spawn, or a fake in tests). */
export type SpawnFn = (
  command: string,
  args: readonly string[],
  options: { readonly stdio: 'inherit' | ['inherit', 'inherit', 'pipe'] },
) => ChildLike;

/** How one session ended. */
export interface SessionResult {
  /** Exit code of the AWS CLI (null when killed by a signal). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly durationMs: number;
  /** The end of what the AWS CLI wrote to stderr (when captured), to recognise failures. */
  readonly stderr: string;
}

/** What runSession runs with. */
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
