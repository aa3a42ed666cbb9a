import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The environment variable naming the folder where one jest run's test files share synthesized stacks
 * (`synthStack`): set by the global setup before the workers start, so each one inherits it.
 */
export const SYNTH_CACHE_VARIABLE = 'SSM_BASTION_SYNTH_CACHE';

/** Makes a new, empty cache folder for this run and names it in the environment the workers inherit. */
export function openSynthCache(): void {
  process.env[SYNTH_CACHE_VARIABLE] = mkdtempSync(join(tmpdir(), 'ssm-bastion-synth-'));
}

/** Removes the run's cache folder. */
export function closeSynthCache(): void {
  const folder = process.env[SYNTH_CACHE_VARIABLE];
  if (folder) rmSync(folder, { recursive: true, force: true });
  delete process.env[SYNTH_CACHE_VARIABLE];
}

/**
 * Writes a file of the run folder whole, then renames it into place: another process reading or polling for
 * it sees all of it or nothing.
 */
export function writeWhole(file: string, text: string): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}
