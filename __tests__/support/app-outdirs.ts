import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Testing } from 'cdktf';
import { tempDir } from './temp-dir';

/**
 * cdktf's `Testing.app()` gives every app it makes a new output folder in the system's temporary folder
 * (`cdktf.outdir.*`) and never removes it: each run of the suite left 300 to 500 of them behind. In the test
 * workers (setup.ts), an app made without an `outdir` gets one inside a folder of the worker's instead, and
 * that folder goes when the worker exits.
 */
export function keepTestingAppOutdirsIn(testing: Pick<typeof Testing, 'app'>, root: string): void {
  const app = testing.app.bind(testing);
  testing.app = (options = {}) => app({ ...options, outdir: options.outdir ?? mkdtempSync(join(root, 'cdktf.outdir.')) });
}

/** A folder for this process's test apps, removed when the process exits. */
export function testingAppRoot(): string {
  return tempDir('ssm-bastion-apps-');
}
