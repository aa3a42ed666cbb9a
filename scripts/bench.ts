/**
 * `npm run bench`: whole-process wall time and peak memory (resident set of the whole process tree, and of
 * its largest process) of `cdktf synth` (both stacks) and of the test suite, so we can track them. Timing
 * lives here, not in tests.
 *
 *   npm run bench              # synth x3 (median), app, tsc, npm run test:unit x3 (median), jest with
 *                              # SKIP_TERRAFORM=1 x1, npm test x1
 *   npm run bench -- --quick   # synth x1 only
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appCommand } from './app-command';

const root = join(__dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  const taskDir = `/proc/${pid}/task`;
  let tasks: string[];
  try {
    tasks = readdirSync(taskDir);
  } catch {
    return kids; // the process ended while we looked
  }
  for (const task of tasks) {
    try {
      const text = readFileSync(`${taskDir}/${task}/children`, 'utf8').trim();
      if (text) kids.push(...text.split(/\s+/).map(Number));
    } catch {
      // the task ended while we looked
    }
  }
  return kids;
}

/** Resident set of the whole process tree, and of its largest process (a jest worker, terraform…), in KiB. */
function treeRssKiB(pid: number): { total: number; largest: number } {
  let total = 0;
  let largest = 0;
  for (const id of [pid, ...descendants(pid)]) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${id}/status`, 'utf8'));
      if (match) {
        total += Number(match[1]);
        largest = Math.max(largest, Number(match[1]));
      }
    } catch {
      // gone
    }
  }
  return { total, largest };
}

function descendants(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendants(child)]);
}

interface Measurement {
  seconds: number;
  peakMiB: number;
  largestMiB: number;
  status: number | null;
}

function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measurement> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: root, env: { ...process.env, CI: 'true', CHECKPOINT_DISABLE: '1', ...env }, stdio: 'ignore' });
    let peak = 0;
    let largest = 0;
    // Every 100 ms: each sample walks /proc for the whole tree, and at 25 ms that cost the measured run about
    // a tenth of a core. Peaks last longer than that (workers, Terraform commands of a second or more).
    const timer = setInterval(() => {
      if (!child.pid) return;
      const rss = treeRssKiB(child.pid);
      peak = Math.max(peak, rss.total);
      largest = Math.max(largest, rss.largest);
    }, 100);
    child.on('exit', (status) => {
      clearInterval(timer);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMiB: Math.round(peak / 1024), largestMiB: Math.round(largest / 1024), status });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Each figure's median over the runs; failed when any run failed. */
function medianOf(runs: Measurement[]): Measurement {
  return {
    seconds: median(runs.map((r) => r.seconds)),
    peakMiB: median(runs.map((r) => r.peakMiB)),
    largestMiB: median(runs.map((r) => r.largestMiB)),
    status: runs.every((r) => r.status === 0) ? 0 : 1,
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const rows: [string, Measurement][] = [];
  const synthRuns: Measurement[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
    synthRuns.push(await measure(bin('cdktf'), ['synth', '--output', outdir]));
    rmSync(outdir, { recursive: true, force: true });
  }
  rows.push([`cdktf synth, both stacks (median of ${synthRuns.length})`, medianOf(synthRuns)]);
  const appOutdir = mkdtempSync(join(tmpdir(), 'bench-app-'));
  const app = appCommand();
  rows.push([`app alone (node ${app.args.join(' ')})`, await measure(app.command, [...app.args], { CDKTF_OUTDIR: appOutdir })]);
  rmSync(appOutdir, { recursive: true, force: true });
  if (!quick) {
    rows.push(['tsc --noEmit', await measure(bin('tsc'), ['--noEmit'])]);
    // The unit suite is the red-green loop: measured warm (tsx's transform cache filled by an earlier run).
    const unitRuns: Measurement[] = [];
    for (let i = 0; i < 3; i++) unitRuns.push(await measure('npm', ['run', 'test:unit', '--silent', '--', '--silent']));
    rows.push(['npm run test:unit (median of 3)', medianOf(unitRuns)]);
    rows.push(['jest without the Terraform stage (SKIP_TERRAFORM=1: unit and end-to-end files)', await measure(bin('jest'), ['--silent'], { SKIP_TERRAFORM: '1' })]);
    rows.push(['npm test (tsc and eslint side by side, then jest with the Terraform stage)', await measure('npm', ['test', '--silent', '--', '--silent'])]);
  }
  console.log('| what | wall time | peak memory, process tree | peak memory, largest process | exit |');
  console.log('|---|---|---|---|---|');
  for (const [what, m] of rows) console.log(`| ${what} | ${m.seconds.toFixed(2)} s | ${m.peakMiB} MiB | ${m.largestMiB} MiB | ${m.status} |`);
  if (rows.some(([, m]) => m.status !== 0)) process.exitCode = 1;
}

void main();
