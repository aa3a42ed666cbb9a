import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { App } from 'cdktf';
import { type BastionConfig, STACK_NAMES } from '../../modules/config';
import { synthesizeHcl } from '../../modules/hcl';
import { addBastionStacks } from '../../modules/stacks';
import { type ParsedModule, parseModule, spaceBlocks } from './module';
import { moduleReadme } from './readme';
import { requireTerraformCli, terraformFmt, terraformFmtCheck } from './terraform-cli';

/** The files a hand-off module folder holds: nothing else is written (no init, no lock file). */
export const MODULE_FILE = 'main.tf';
export const README_FILE = 'README.md';
export const MODULE_FILES = [MODULE_FILE, README_FILE] as const;

export interface HandoffOptions {
  readonly config: BastionConfig;
  /** Folder receiving one module folder per stack (`dist/terraform`). */
  readonly outDir: string;
  /** Replace module folders even when they hold Terraform state or variable files. */
  readonly force?: boolean;
}

export interface HandoffModule {
  readonly stack: string;
  /** Absolute path of the module folder. */
  readonly dir: string;
  readonly module: ParsedModule;
}

export class HandoffError extends Error {}

/**
 * Writes one Terraform root module per stack of the configuration into `<outDir>/<stack>/`: `main.tf`
 * (cdktf's HCL synthesis made faithful by modules/hcl, `terraform fmt`-ed) and a README.md derived from it.
 *
 * Everything is built in a staging folder beside the output and checked (formatted, parses, no absolute path of
 * this machine) before any existing module folder is touched; each is then removed and replaced, so nothing
 * stale survives. Folders of stacks the configuration no longer has are removed too. A folder holding
 * Terraform state or `.tfvars` files is someone's working copy: it is refused unless `force` is set.
 */
export async function writeHandoff(options: HandoffOptions): Promise<HandoffModule[]> {
  requireTerraformCli();
  const outDir = resolve(options.outDir);
  const stale = STACK_NAMES.filter((stack) => !options.config.stacks.includes(stack));
  for (const stack of [...options.config.stacks, ...stale]) refuseWorkingCopy(join(outDir, stack), options.force);

  mkdirSync(outDir, { recursive: true });
  // Beside the output (same filesystem, so the final move is a rename), dot-named so it is never mistaken for a module.
  const staging = mkdtempSync(join(outDir, '.staging-'));
  const synthDir = mkdtempSync(join(tmpdir(), 'ssm-bastion-hcl-'));
  try {
    const app = new App({ outdir: synthDir, hclOutput: true });
    addBastionStacks(app, options.config);
    const stacks = [...synthesizeHcl(app)];
    for (const [stack, hcl] of stacks) {
      mkdirSync(join(staging, stack));
      writeFileSync(join(staging, stack, MODULE_FILE), hcl);
    }
    terraformFmt(staging);
    const built: { stack: string; module: ParsedModule }[] = [];
    for (const [stack] of stacks) {
      const file = join(staging, stack, MODULE_FILE);
      const text = await spaceBlocks(readFileSync(file, 'utf8'));
      writeFileSync(file, text);
      const module = await parseModule(text);
      writeFileSync(join(staging, stack, README_FILE), moduleReadme(stack, module));
      built.push({ stack, module });
    }
    const unformatted = terraformFmtCheck(staging);
    if (unformatted.length > 0) throw new HandoffError(`Not terraform fmt clean after formatting: ${unformatted.join(', ')}`);
    // The folders of this run and this checkout, and anything under a personal home folder (/home/alice/).
    // Not bare system folders such as /tmp or /root: a container definition or a script may well name them.
    const home = homedir().split('/').filter(Boolean).length >= 2 ? [`${homedir()}/`] : [];
    refuseMachinePaths(staging, [synthDir, staging, outDir, process.cwd(), join(__dirname, '..', '..'), ...home]);

    for (const stack of stale) rmSync(join(outDir, stack), { recursive: true, force: true });
    return built.map(({ stack, module }) => {
      const dir = join(outDir, stack);
      rmSync(dir, { recursive: true, force: true });
      renameSync(join(staging, stack), dir);
      return { stack, dir, module };
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(synthDir, { recursive: true, force: true });
  }
}

/** State and variable files: what a team puts in a module folder it operates. `.terraform/` is a cache. */
function isWorkingFile(name: string): boolean {
  return /\.tfstate(\.|$)/.test(name) || /\.tfvars(\.json)?$/.test(name) || name === 'terraform.tfstate.d';
}

function refuseWorkingCopy(dir: string, force = false): void {
  if (force || !existsSync(dir)) return;
  const found = readdirSync(dir).filter(isWorkingFile);
  if (found.length > 0) {
    throw new HandoffError(
      `${dir} holds ${found.join(', ')}: it is someone's working copy, and regenerating would delete it. ` +
        'Move those files (or the whole folder) away, or run again with --force to discard them.',
    );
  }
}

/** Fails when a file of the output mentions a path of this machine (the module must work anywhere). */
function refuseMachinePaths(dir: string, paths: string[]): void {
  const needles = [...new Set(paths.flatMap((path) => (path.endsWith('/') ? [path] : [path, safeRealpath(path)])).filter((path) => path.replace(/\/+$/, '').length > 1))];
  for (const file of listFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const found = needles.find((needle) => text.includes(needle));
    if (found) throw new HandoffError(`${relative(dir, file)} mentions the path ${found} of this machine.`);
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
