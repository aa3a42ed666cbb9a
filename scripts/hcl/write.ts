import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { App } from 'cdktf';
import { type BastionConfig, STACK_NAMES } from '../../modules/config';
import { formatHclFiles, machinePaths, refuseMachinePaths, requireTerraformCli, synthesizeHcl } from '../../modules/hcl';
import { addBastionStacks } from '../../modules/stacks';
import { type ParsedModule, parseModule } from './module';
import { moduleTests } from './module-tests';
import { moduleReadme } from './readme';

/** What a hand-off module folder holds: nothing else is written (no init, no lock file). */
export const MODULE_FILE = 'main.tf';
export const README_FILE = 'README.md';
/** Its Terraform tests (module-tests.ts). */
export const TESTS_DIR = 'tests';
export const MODULE_FILES = [MODULE_FILE, README_FILE, `${TESTS_DIR}/`] as const;

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
 * (cdktf's HCL synthesis made faithful by modules/hcl, `terraform fmt`-ed), and derived from it a README.md and
 * the module's Terraform tests (`tests/`, see module-tests.ts).
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
    // The same formatting as `cdktf synth --hcl` (modules/hcl/synth-app.ts).
    await formatHclFiles(stacks.map(([stack]) => join(staging, stack, MODULE_FILE)));
    const built: { stack: string; module: ParsedModule }[] = [];
    const testFiles: string[] = [];
    for (const [stack] of stacks) {
      const module = await parseModule(readFileSync(join(staging, stack, MODULE_FILE), 'utf8'));
      const tests = moduleTests(module);
      for (const test of tests) {
        const file = join(staging, stack, test.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, test.text);
        testFiles.push(file);
      }
      writeFileSync(join(staging, stack, README_FILE), moduleReadme(stack, module, tests));
      built.push({ stack, module });
    }
    await formatHclFiles(testFiles);
    refuseMachinePaths(listFiles(staging), machinePaths([synthDir, staging, outDir]), staging);

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

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
