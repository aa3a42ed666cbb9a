import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTerraform } from '../support/terraform';
import {
  chooseProviderSource,
  initInvocation,
  noProviderMessage,
  type ProviderEnvironment,
  warmProviderCache,
} from '../support/terraform-provider';

const MARKER = 'registry.terraform.io/hashicorp/aws';

/** A machine whose file system holds exactly `paths` (and the folders leading to them). */
function machine(paths: readonly string[], env: NodeJS.ProcessEnv = {}, home = '/home/dev'): ProviderEnvironment {
  const known = new Set(paths.flatMap((path) => path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return {
    env,
    home,
    exists: (path) => known.has(path),
    list: (dir) => [...new Set([...known].filter((path) => path.startsWith(`${dir}/`)).map((path) => path.slice(dir.length + 1).split('/')[0]!))],
  };
}

describe('the Terraform stage harness', () => {
  const saved = { PATH: process.env.PATH };
  afterEach(() => {
    process.env.PATH = saved.PATH;
  });

  it('says how to install Terraform or skip the stage when terraform is not on PATH', () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'empty-path-'));
    expect(() => requireTerraform()).toThrow(/install it from .*or run the other tests with SKIP_TERRAFORM=1/);
  });
});

describe('where the Terraform stage gets the AWS provider', () => {
  it('takes TF_PLUGIN_DIR when it holds the provider, and links it with -plugin-dir', () => {
    const source = chooseProviderSource(machine([`/data/mirror/${MARKER}`], { TF_PLUGIN_DIR: '/data/mirror' }));
    expect(source).toEqual({ kind: 'mirror', dir: '/data/mirror' });
    expect(initInvocation(source)).toEqual({ args: ['-plugin-dir=/data/mirror'], env: {} });
  });

  it('refuses a TF_PLUGIN_DIR that holds no AWS provider, naming what it should hold', () => {
    expect(() => chooseProviderSource(machine(['/data/empty'], { TF_PLUGIN_DIR: '/data/empty' }))).toThrow(/holds no registry.terraform.io\/hashicorp\/aws/);
  });

  it('finds a mirror in the usual places, and one level below /opt, /usr/local, /srv or home', () => {
    expect(chooseProviderSource(machine([`/opt/tf-plugins/${MARKER}`]))).toEqual({ kind: 'mirror', dir: '/opt/tf-plugins' });
    expect(chooseProviderSource(machine([`/home/dev/.terraform.d/plugins/${MARKER}`]))).toEqual({ kind: 'mirror', dir: '/home/dev/.terraform.d/plugins' });
    expect(chooseProviderSource(machine([`/srv/providers/${MARKER}`]))).toEqual({ kind: 'mirror', dir: '/srv/providers' });
  });

  it('uses the registry through a shared plugin cache when there is no mirror (a laptop with internet access)', () => {
    const source = chooseProviderSource(machine(['/usr/bin/terraform']));
    expect(source).toEqual({ kind: 'registry', cacheDir: '/home/dev/.cache/ssm-bastion/terraform-plugins' });
    expect(initInvocation(source)).toEqual({
      args: [],
      env: { TF_PLUGIN_CACHE_DIR: '/home/dev/.cache/ssm-bastion/terraform-plugins', TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true' },
    });
    expect(chooseProviderSource(machine([], { TF_PLUGIN_CACHE_DIR: '/var/cache/tf' }))).toEqual({ kind: 'registry', cacheDir: '/var/cache/tf' });
  });

  it('prefers a mirror to the registry', () => {
    expect(chooseProviderSource(machine([`/opt/tf-plugins/${MARKER}`], { TF_PLUGIN_CACHE_DIR: '/var/cache/tf' })).kind).toBe('mirror');
  });

  it('says what to do when neither a mirror nor the registry works', () => {
    // A "terraform" that fails like an init without network access, in an otherwise empty PATH.
    const bin = mkdtempSync(join(tmpdir(), 'fake-terraform-'));
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\necho "Error: Failed to query available provider packages: registry.terraform.io: dial tcp: lookup registry.terraform.io: no such host" >&2\nexit 1\n', { mode: 0o755 });
    const cacheDir = mkdtempSync(join(tmpdir(), 'empty-cache-'));
    expect(() => warmProviderCache({ kind: 'registry', cacheDir }, { ...process.env, PATH: bin })).toThrow(
      /no filesystem mirror was found .* could not get it from registry.terraform.io:\nError: Failed to query .* set TF_PLUGIN_DIR .*SKIP_TERRAFORM=1/s,
    );
    expect(noProviderMessage('x')).toMatch(/terraform providers mirror <dir>/);
  });

  it('does not download again once the cache holds the provider, and never for a mirror', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'warm-cache-'));
    mkdirSync(join(cacheDir, MARKER, '5.100.0'), { recursive: true });
    // With no terraform on PATH at all, any attempt to run it would throw.
    expect(() => warmProviderCache({ kind: 'registry', cacheDir }, { PATH: '/nonexistent' })).not.toThrow();
    expect(() => warmProviderCache({ kind: 'mirror', dir: '/opt/tf-plugins' }, { PATH: '/nonexistent' })).not.toThrow();
  });
});
