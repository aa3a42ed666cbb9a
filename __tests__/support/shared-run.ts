import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SYNTH_CACHE_VARIABLE, writeWhole } from './synth-cache';

/** What a command run in a folder reports: its exit status and what it printed. */
export interface RunOutcome {
  readonly status: number | null;
  readonly output: string;
}

export interface SharedRunOptions {
  /** The folder shared by the run's test processes. @default the synth cache (synth-cache.ts) */
  readonly runFolder?: string;
  /** How long a process waits for the run another one started. @default 180 s */
  readonly waitMs?: number;
}

/** The file a run's owner writes once the run is over; its pid is in `owner` while it runs. */
const RESULT_FILE = 'result.json';
const OWNER_FILE = 'owner';

/**
 * Runs `run` once per `jest` run for `key`, whichever test files ask, in whichever worker: the first process to
 * ask creates `<run folder>/<key>` (mkdir is atomic, so one process wins) and runs the command in it; the
 * others wait for its outcome and are given the same folder, which they only read. The global teardown
 * removes the run folder. Without a run folder (a test process jest's global setup did not start), each call
 * runs in a temporary folder of its own, which the caller removes.
 */
export async function runOncePerJestRun(key: string, run: (dir: string) => Promise<RunOutcome>, options: SharedRunOptions = {}): Promise<RunOutcome & { dir: string }> {
  if (!/^[a-z0-9-]+$/.test(key)) throw new Error(`runOncePerJestRun: the key ${JSON.stringify(key)} names a folder: use lowercase letters, digits and dashes.`);
  const runFolder = options.runFolder ?? process.env[SYNTH_CACHE_VARIABLE];
  if (!runFolder) {
    const dir = mkdtempSync(join(tmpdir(), `${key}-`));
    return { ...(await run(dir)), dir };
  }
  const dir = join(runFolder, key);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { ...(await awaitOutcome(key, dir, options.waitMs ?? 180_000)), dir };
  }
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  let outcome: RunOutcome;
  try {
    outcome = await run(dir);
  } catch (error) {
    record(dir, { status: null, output: `the shared run ${key} failed to run: ${String(error)}` });
    throw error;
  }
  record(dir, outcome);
  return { ...outcome, dir };
}

function record(dir: string, outcome: RunOutcome): void {
  writeWhole(join(dir, RESULT_FILE), JSON.stringify({ status: outcome.status, output: outcome.output }));
}

async function awaitOutcome(key: string, dir: string, waitMs: number): Promise<RunOutcome> {
  const resultFile = join(dir, RESULT_FILE);
  const deadline = Date.now() + waitMs;
  while (!existsSync(resultFile)) {
    const ownerFile = join(dir, OWNER_FILE);
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : undefined;
    // The owner may have recorded its outcome and exited between the two checks.
    if (owner !== undefined && !processRuns(owner) && !existsSync(resultFile)) {
      throw new Error(`The shared run ${key} in ${dir} was left unfinished: process ${owner}, which ran it, has exited.`);
    }
    if (Date.now() > deadline) throw new Error(`The shared run ${key} in ${dir} did not finish within ${waitMs / 1000} s.`);
    await sleep(50);
  }
  const { status, output } = JSON.parse(readFileSync(resultFile, 'utf8')) as RunOutcome;
  return { status, output };
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
