import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPluginDir, requireTerraform } from '../support/terraform';

describe('the Terraform stage harness', () => {
  const saved = { PATH: process.env.PATH, TF_PLUGIN_DIR: process.env.TF_PLUGIN_DIR };
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.TF_PLUGIN_DIR === undefined) delete process.env.TF_PLUGIN_DIR;
    else process.env.TF_PLUGIN_DIR = saved.TF_PLUGIN_DIR;
  });

  it('says how to install Terraform or skip the stage when terraform is not on PATH', () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'empty-path-'));
    expect(() => requireTerraform()).toThrow(/install it from .*or run the other tests with SKIP_TERRAFORM=1/);
  });

  it('refuses a TF_PLUGIN_DIR that holds no AWS provider, naming what it should hold', () => {
    process.env.TF_PLUGIN_DIR = mkdtempSync(join(tmpdir(), 'no-mirror-'));
    expect(() => findPluginDir()).toThrow(/holds no registry.terraform.io\/hashicorp\/aws/);
  });

  it('takes TF_PLUGIN_DIR when it holds the provider', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
    mkdirSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws'), { recursive: true });
    process.env.TF_PLUGIN_DIR = dir;
    expect(findPluginDir()).toBe(dir);
  });
});
