import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runOncePerJestRun } from './shared-run';

/** The project root: where `cdktf` finds cdktf.json and runs its app (`node … main.ts`). */
export const PROJECT_ROOT = join(__dirname, '..', '..');

/**
 * The CLI as `node_modules/.bin/cdktf` runs it (a `#!/usr/bin/env node` script that requires the bundle), but
 * started by this Node with `--liftoff-only`: the CLI loads WebAssembly modules, which V8 otherwise compiles
 * a second time in background threads, about 1 CPU-s of each run's 7 (the same flag the app runs with, see
 * cdktf.json). Nothing else differs from what a user's shell starts.
 */
const CDKTF = { command: process.execPath, args: ['--liftoff-only', join(PROJECT_ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf')] };

export interface CdktfSynthResult {
  readonly status: number | null;
  /** stdout and stderr together, as a person sees them. */
  readonly output: string;
  /** The folder holding bastion.config.json and cdktf.out/. */
  readonly dir: string;
  /** The cdktf.out folder written (`--output`). */
  readonly outdir: string;
}

/**
 * Runs `cdktf synth` as a user would, from the project root, with the configuration file (an object, or the
 * text of the file) in a new temporary folder and `--output` in it; `args` adds to the command (`--hcl`).
 */
export function cdktfSynth(config: unknown, args: string[] = [], env: NodeJS.ProcessEnv = {}): CdktfSynthResult {
  const run = prepare(config, args, env);
  const result = spawnSync(CDKTF.command, [...CDKTF.args, ...run.args], { ...run.options, encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, dir: run.dir, outdir: run.outdir };
}

/** `cdktfSynth` without waiting: several runs overlap (most of a run is the CLI starting up). In `dir` when given. */
export function cdktfSynthAsync(config: unknown, args: string[] = [], env: NodeJS.ProcessEnv = {}, dir?: string): Promise<CdktfSynthResult> {
  const run = prepare(config, args, env, dir);
  return new Promise((resolve, reject) => {
    const child = spawn(CDKTF.command, [...CDKTF.args, ...run.args], { ...run.options, timeout: 90_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output, dir: run.dir, outdir: run.outdir }));
  });
}

/** The environment variable jest.unit.config.js sets for `npm run test:unit`, which runs no end-to-end file. */
export const TEST_TIER_VARIABLE = 'SSM_BASTION_TEST_TIER';

/**
 * Throws when the unit tier runs a test that starts `what` (a command taking seconds of CPU): such a test
 * belongs in a `*.e2e.test.ts` file, so the red-green loop stays fast.
 */
export function refuseInUnitTier(what: string): void {
  if (process.env[TEST_TIER_VARIABLE] === 'unit') {
    throw new Error(`${what} runs as a child process, an end-to-end test: put this test in a file named *.e2e.test.ts (npm test runs it, npm run test:unit does not).`);
  }
}

/**
 * `cdktfSynthAsync` run once per `jest` run for `key` (runOncePerJestRun), whichever test files ask: each
 * run costs about 7 CPU-s, most of it the CLI starting, and the Terraform-stage scenarios of one network
 * variant share one run of both stacks. Files only read what the run wrote (and `terraform init` their own
 * stack's folder in it).
 */
export async function sharedCdktfSynth(key: string, config: unknown, args: string[] = []): Promise<CdktfSynthResult> {
  const { status, output, dir } = await runOncePerJestRun(`cdktf-synth-${key}`, (folder) => cdktfSynthAsync(config, args, {}, folder));
  return { status, output, dir, outdir: join(dir, 'cdktf.out') };
}

function prepare(config: unknown, args: string[], env: NodeJS.ProcessEnv, given?: string) {
  refuseInUnitTier('cdktf synth');
  const dir = given ?? mkdtempSync(join(tmpdir(), 'bastion-synth-'));
  const configFile = join(dir, 'bastion.config.json');
  writeFileSync(configFile, typeof config === 'string' ? config : JSON.stringify(config));
  const outdir = join(dir, 'cdktf.out');
  return {
    dir,
    outdir,
    // Relative to the project root, where the CLI runs, as a user types it (`cdktf.out` is relative too).
    args: ['synth', '--output', relative(PROJECT_ROOT, outdir), ...args],
    options: { cwd: PROJECT_ROOT, env: { ...process.env, BASTION_CONFIG: configFile, CI: 'true', CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0', ...env } },
  };
}
