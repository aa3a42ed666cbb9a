import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Testing } from 'cdktf';
import { HELPER_NODE_ARGS } from '../support/background';
import { keepTestingAppOutdirsIn } from '../support/app-outdirs';
import { tempDir } from '../support/temp-dir';

describe("where the test workers put the output folders of cdktf's test apps (support/app-outdirs.ts)", () => {
  it('gives an app made without an outdir a new folder inside the root, and keeps an outdir given', () => {
    const root = tempDir('app-outdirs-');
    const calls: (string | undefined)[] = [];
    const fake = { app: (options: { outdir?: string } = {}) => (calls.push(options.outdir), {}) as ReturnType<typeof Testing.app> };
    keepTestingAppOutdirsIn(fake, root);
    fake.app();
    fake.app();
    fake.app({ outdir: '/somewhere/given' });
    expect(calls.map((outdir) => outdir && dirname(outdir))).toEqual([root, root, '/somewhere']);
    expect(calls[0]).not.toBe(calls[1]);
    expect(calls.slice(0, 2).every((outdir) => existsSync(outdir!) && basename(outdir!).startsWith('cdktf.outdir.'))).toBe(true);
  });

  it("is what this worker's Testing.app() does", () => {
    expect(basename(dirname(Testing.app().outdir))).toMatch(/^ssm-bastion-apps-/);
  });

  it("removes the process's folder, with what is in it, when the process exits", () => {
    const module = JSON.stringify(join(__dirname, '..', 'support', 'app-outdirs.ts'));
    const script = `const fs = require('node:fs'); const root = require(${module}).testingAppRoot(); fs.writeFileSync(root + '/app', '');
      console.log(JSON.stringify({ root, existed: fs.existsSync(root + '/app') }));`;
    const { root, existed } = JSON.parse(execFileSync(process.execPath, [...HELPER_NODE_ARGS, '-e', script], { encoding: 'utf8' })) as { root: string; existed: boolean };
    expect(basename(root)).toMatch(/^ssm-bastion-apps-/);
    expect(existed).toBe(true);
    expect(existsSync(root)).toBe(false);
  });
});
