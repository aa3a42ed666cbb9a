import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the Terraform stage gets hashicorp/aws 5.100.0 (what @cdktf/provider-aws 20.1.0 is generated for):
 * a filesystem mirror when the machine has one (offline, as in CI here), else the public registry, installed
 * once into a plugin cache shared by every test and every run (a newcomer's laptop with Terraform and
 * internet access but no mirror).
 */

export const AWS_PROVIDER_VERSION = '5.100.0';

/** A main.tf that requires the AWS provider and declares nothing else: a folder to init for the provider alone. */
export const PROVIDER_ONLY_CONFIG = `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${AWS_PROVIDER_VERSION}"\n    }\n  }\n}\n`;
const MIRROR_MARKER = join('registry.terraform.io', 'hashicorp', 'aws');
const CANDIDATE_MIRRORS = ['/opt/tf-plugins', '/usr/share/terraform/plugins', '/usr/local/share/terraform/plugins'];

export type ProviderSource =
  /** A filesystem mirror (`terraform providers mirror` layout): `init -plugin-dir`, which links, never downloads. */
  | { readonly kind: 'mirror'; readonly dir: string }
  /** The registry, through a plugin cache: the first `init` downloads, every later one links. */
  | { readonly kind: 'registry'; readonly cacheDir: string };

/** What the choice looks at, injectable so the choice is unit-tested without touching the machine. */
export interface ProviderEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly exists: (path: string) => boolean;
  readonly list: (dir: string) => string[];
}

const machine: ProviderEnvironment = {
  env: process.env,
  home: process.env.HOME ?? homedir(),
  exists: existsSync,
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};

/**
 * TF_PLUGIN_DIR (which must hold the provider), else a mirror in the usual places, else the registry with the
 * plugin cache TF_PLUGIN_CACHE_DIR or `~/.cache/ssm-bastion/terraform-plugins`.
 */
export function chooseProviderSource(where: ProviderEnvironment = machine): ProviderSource {
  const holdsProvider = (dir: string) => where.exists(join(dir, MIRROR_MARKER));
  const fromEnv = where.env.TF_PLUGIN_DIR;
  if (fromEnv) {
    if (!holdsProvider(fromEnv)) {
      throw new Error(`TF_PLUGIN_DIR=${fromEnv} holds no ${MIRROR_MARKER}: point it at the parent folder of registry.terraform.io, or unset it to use the registry.`);
    }
    return { kind: 'mirror', dir: fromEnv };
  }
  const candidates = [...CANDIDATE_MIRRORS, join(where.home, '.terraform.d', 'plugins'), join(where.home, '.local', 'share', 'terraform', 'plugins')];
  const known = candidates.find(holdsProvider);
  if (known) return { kind: 'mirror', dir: known };
  // The shallow search the toolchain notes describe: a mirror folder one level below these.
  for (const top of ['/opt', '/usr/local', '/srv', where.home]) {
    const found = where.list(top).map((entry) => join(top, entry)).find(holdsProvider);
    if (found) return { kind: 'mirror', dir: found };
  }
  return { kind: 'registry', cacheDir: where.env.TF_PLUGIN_CACHE_DIR || join(where.home, '.cache', 'ssm-bastion', 'terraform-plugins') };
}

/** The `terraform init` arguments and environment for a source. */
export function initInvocation(source: ProviderSource): { args: string[]; env: Record<string, string> } {
  if (source.kind === 'mirror') return { args: [`-plugin-dir=${source.dir}`], env: {} };
  // Terraform's own settings: plugin_cache_dir, and (since 1.4 it would otherwise go back to the registry for
  // every new working directory, whose lock file records no checksum yet) taking the cached package anyway.
  return { args: [], env: { TF_PLUGIN_CACHE_DIR: source.cacheDir, TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true' } };
}

/** The message when neither a mirror nor the registry can provide the provider. */
export function noProviderMessage(detail: string): string {
  return (
    `The Terraform stage could not install hashicorp/aws ${AWS_PROVIDER_VERSION}: no filesystem mirror was found ` +
    `(TF_PLUGIN_DIR, /opt/tf-plugins, ~/.terraform.d/plugins, …) and \`terraform init\` could not get it from registry.terraform.io:\n${detail}\n` +
    'Give the tests access to the registry once (the provider is then cached), or make a mirror where there is access ' +
    '(`terraform providers mirror <dir>` in a folder whose configuration requires hashicorp/aws ' +
    `${AWS_PROVIDER_VERSION}) and set TF_PLUGIN_DIR to it; or run the other tests with SKIP_TERRAFORM=1.`
  );
}

/**
 * Makes sure the registry source has the provider in its cache (one download, before the test files run in
 * parallel and would race to fill the cache). Nothing to do for a mirror.
 */
export function warmProviderCache(source: ProviderSource, env: NodeJS.ProcessEnv): void {
  if (source.kind !== 'registry') return;
  mkdirSync(source.cacheDir, { recursive: true });
  if (existsSync(join(source.cacheDir, MIRROR_MARKER, AWS_PROVIDER_VERSION))) return;
  const dir = mkdtempSync(join(tmpdir(), 'ssm-bastion-provider-'));
  try {
    writeFileSync(join(dir, 'main.tf'), PROVIDER_ONLY_CONFIG);
    const { args, env: extra } = initInvocation(source);
    const result = spawnSync('terraform', ['init', '-input=false', '-no-color', '-backend=false', ...args], {
      cwd: dir,
      env: { ...env, ...extra },
      encoding: 'utf8',
    });
    if (result.error || result.status !== 0) throw new Error(noProviderMessage(`${result.stderr ?? ''}${result.stdout ?? ''}`.trim()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
