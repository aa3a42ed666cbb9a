/**
 * runOncePerJestRun (__tests__/support/shared-run.ts): what the Terraform-stage scenarios of one network
 * variant use to share one `cdktf synth --hcl` run across jest's workers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunOutcome, runOncePerJestRun } from '../support/shared-run';
import { SYNTH_CACHE_VARIABLE } from '../support/synth-cache';
import { tempDir } from '../support/temp-dir';

/** A run that takes a moment, writes a file in its folder, and counts its calls. */
function countedRun(outcome: RunOutcome = { status: 0, output: 'done' }) {
  const calls: string[] = [];
  const run = async (dir: string) => {
    calls.push(dir);
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(join(dir, 'written'), 'by the run');
    return outcome;
  };
  return { calls, run };
}

describe('runOncePerJestRun', () => {
  it('runs once for a key, in a folder of the run folder, and gives every caller its outcome and folder', async () => {
    const runFolder = tempDir('shared-run-');
    const { calls, run } = countedRun({ status: 3, output: 'what it printed' });
    const [first, second, third] = await Promise.all([1, 2, 3].map(() => runOncePerJestRun('the-key', run, { runFolder })));
    expect(calls).toEqual([join(runFolder, 'the-key')]);
    for (const result of [first, second, third]) expect(result).toEqual({ status: 3, output: 'what it printed', dir: join(runFolder, 'the-key') });
    expect(readFileSync(join(runFolder, 'the-key', 'written'), 'utf8')).toBe('by the run');
    // A caller after the run is over reads the recorded outcome.
    expect(await runOncePerJestRun('the-key', run, { runFolder })).toEqual(first);
    expect(calls).toHaveLength(1);
  });

  it('runs again for another key', async () => {
    const runFolder = tempDir('shared-run-');
    const { calls, run } = countedRun();
    await Promise.all([runOncePerJestRun('one', run, { runFolder }), runOncePerJestRun('two', run, { runFolder })]);
    expect(calls.sort()).toEqual([join(runFolder, 'one'), join(runFolder, 'two')]);
  });

  it("gives the waiting callers a failed outcome naming the error when the owner's run throws, and throws to the owner", async () => {
    const runFolder = tempDir('shared-run-');
    const failing = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('spawn ENOENT');
    };
    const [owner, waiter] = await Promise.allSettled([runOncePerJestRun('failing', failing, { runFolder }), runOncePerJestRun('failing', failing, { runFolder })]);
    expect(owner).toMatchObject({ status: 'rejected', reason: new Error('spawn ENOENT') });
    expect(waiter).toMatchObject({ status: 'fulfilled', value: { status: null, output: expect.stringMatching(/failing failed to run: Error: spawn ENOENT/) } });
  });

  it('stops waiting, naming the process, when the owner exited without an outcome', async () => {
    const runFolder = tempDir('shared-run-');
    const exited = spawnSync('true').pid;
    mkdirSync(join(runFolder, 'orphan'));
    writeFileSync(join(runFolder, 'orphan', 'owner'), String(exited));
    await expect(runOncePerJestRun('orphan', countedRun().run, { runFolder })).rejects.toThrow(`was left unfinished: process ${exited}, which ran it, has exited`);
  });

  it('stops waiting after waitMs while the owner still runs', async () => {
    const runFolder = tempDir('shared-run-');
    mkdirSync(join(runFolder, 'slow'));
    writeFileSync(join(runFolder, 'slow', 'owner'), String(process.pid));
    await expect(runOncePerJestRun('slow', countedRun().run, { runFolder, waitMs: 100 })).rejects.toThrow(/^The shared run slow in \S+ did not finish within 0\.1 s\.$/);
  });

  it('refuses a key that cannot name a folder safely', async () => {
    const runFolder = tempDir('shared-run-');
    for (const key of ['../escape', 'Upper', 'a b', ''])
      await expect(runOncePerJestRun(key, countedRun().run, { runFolder })).rejects.toThrow(`the key ${JSON.stringify(key)} names a folder`);
  });

  it('runs each call in a folder of its own without a run folder', async () => {
    const saved = process.env[SYNTH_CACHE_VARIABLE];
    delete process.env[SYNTH_CACHE_VARIABLE];
    try {
      const { calls, run } = countedRun();
      const results = await Promise.all([runOncePerJestRun('alone', run), runOncePerJestRun('alone', run)]);
      expect(calls).toHaveLength(2);
      expect(new Set(calls).size).toBe(2);
      expect(results.map((result) => result.dir)).toEqual(calls);
      for (const dir of calls) {
        expect(existsSync(join(dir, 'written'))).toBe(true);
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      if (saved !== undefined) process.env[SYNTH_CACHE_VARIABLE] = saved;
    }
  });
});
