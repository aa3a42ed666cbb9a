import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir';

/** A folder holding a `terraform` that records its arguments (one call a line) and exits with `status`. */
export function fakeTerraform(status: number): { bin: string; calls: () => string[] } {
  const bin = tempDir('fake-terraform-');
  const log = join(bin, 'calls');
  writeFileSync(join(bin, 'terraform'), `#!/bin/sh\necho "$*" >> '${log}'\nexit ${status}\n`, { mode: 0o755 });
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) };
}
