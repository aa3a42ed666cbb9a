import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MachinePathError, machinePaths, refuseMachinePaths } from '../../modules/hcl';

/**
 * The paths of this machine no rendered file may mention (modules/hcl/machine-paths.ts), checked without
 * Terraform: the writers that use them (writeHandoff, synthesizeApp) are exercised in the Terraform stage, where
 * the current folder is this checkout, so dropping either one there would go unnoticed.
 */

describe('machinePaths', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ssm-bastion-machine-paths-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the given folders, the current folder and this checkout, each on its own', () => {
    // Run from another folder than the checkout, as `cdktf synth --hcl` may be: both must be listed.
    const previous = process.cwd();
    process.chdir(dir);
    try {
      const paths = machinePaths([join(dir, 'out')]);
      expect(paths).toEqual(expect.arrayContaining([join(dir, 'out'), process.cwd(), resolve(__dirname, '..', '..')]));
      if (homedir().split('/').filter(Boolean).length >= 2) expect(paths).toContain(`${homedir()}/`);
    } finally {
      process.chdir(previous);
    }
  });

  it('lists a folder reached through a link under its resolved path too', () => {
    symlinkSync(dir, join(dir, 'link'));
    expect(machinePaths([join(dir, 'link')])).toEqual(expect.arrayContaining([join(dir, 'link'), realpathSync(dir)]));
  });

  it('never lists the root folder, which every absolute path in a container definition would mention', () => {
    expect(machinePaths(['/', '//'])).not.toContain('/');
    expect(machinePaths(['/', '//'])).not.toContain('//');
  });
});

describe('refuseMachinePaths', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ssm-bastion-machine-paths-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file mentioning a path anywhere in it, naming the file relative to the base', () => {
    const file = join(dir, 'main.tf');
    writeFileSync(file, 'terraform {\n  backend "local" {\n    path = "/work/someone/checkout/terraform.tfstate"\n  }\n}\n');
    expect(() => refuseMachinePaths([file], ['/work/someone/checkout'], dir)).toThrow(MachinePathError);
    expect(() => refuseMachinePaths([file], ['/work/someone/checkout'], dir)).toThrow('main.tf mentions the path /work/someone/checkout of this machine.');
    expect(() => refuseMachinePaths([file], ['/work/other'], dir)).not.toThrow();
  });
});
