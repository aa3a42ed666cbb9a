import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * How a helper written in TypeScript is run: as the app is (scripts/load-typescript.js, tsx's CommonJS hook).
 * It loads in a sixth of the time of tsx's ESM loader (`--import tsx`, which starts a loader thread), 0.17 s
 * against 0.55 s of CPU here, paid for every EC2 stub and schema proxy. An absolute path, so the helper does
 * not depend on the working folder.
 */
export const HELPER_NODE_ARGS: readonly string[] = ['--require', join(__dirname, '..', '..', 'scripts', 'load-typescript.js')];

/**
 * In a helper process: exits once the process that started it (named by the environment variable `variable`,
 * else the parent) is gone, so a test process killed before it could stop its helpers leaves none behind.
 */
export function exitWithStarter(variable: string): void {
  const starter = Number(process.env[variable] ?? process.ppid);
  setInterval(() => {
    try {
      process.kill(starter, 0);
    } catch {
      process.exit(0);
    }
  }, 2000).unref();
}

/** Blocks the thread for `ms` (a helper must be up before the synchronous command that names it). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface BackgroundOptions {
  readonly env: NodeJS.ProcessEnv;
  /** What its output says once it is ready; the match is returned. */
  readonly ready: RegExp;
  readonly timeoutMs: number;
  /** Where its stderr goes: with stdout (read for `ready`, and shown on failure), or to ours. */
  readonly stderr: 'captured' | 'inherit';
  /**
   * The file its output goes to, kept once it is ready (the caller removes it).
   * @default a temporary file, removed once it is ready
   */
  readonly outputFile?: string;
  /** Told of the process as soon as it is spawned (before it is ready). */
  readonly onSpawn?: (child: ChildProcess) => void;
  /** The error when it exits or times out before saying it is ready, given what it printed. */
  readonly failure: (output: string) => string;
}

/**
 * Starts a helper process of the Terraform stage (the EC2 stub, a provider server) and waits, synchronously,
 * until its output matches `ready`; it does not keep the test process alive. Its output goes to a file (a
 * pipe would need the event loop, which a synchronous wait blocks).
 */
export function startBackground(command: string, args: readonly string[], options: BackgroundOptions): { child: ChildProcess; ready: RegExpExecArray } {
  const dir = options.outputFile ? undefined : mkdtempSync(join(tmpdir(), 'ssm-bastion-helper-'));
  const file = options.outputFile ?? join(dir!, 'out');
  const out = openSync(file, 'w');
  const stdio: SpawnOptions['stdio'] = ['ignore', out, options.stderr === 'captured' ? out : 'inherit'];
  const child = spawn(command, args, { stdio, env: options.env });
  closeSync(out);
  child.unref();
  options.onSpawn?.(child);
  try {
    for (let waited = 0; waited < options.timeoutMs; waited += 25) {
      const ready = options.ready.exec(readFileSync(file, 'utf8'));
      if (ready) return { child, ready };
      if (child.exitCode !== null) break;
      sleepSync(25);
    }
    child.kill('SIGKILL');
    throw new Error(options.failure(readFileSync(file, 'utf8')));
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
