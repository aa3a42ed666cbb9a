import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type App, TerraformStack } from 'cdktf';
import { formatHclFiles } from './format';
import { synthesizeHclFiles } from './handoff';
import { machinePaths, MachinePathError, refuseMachinePaths } from './machine-paths';
import { MINIMUM_TERRAFORM, terraformAvailable } from './terraform-cli';

/** The file names of cdktf's two output formats, in each stack folder of cdktf.out. */
const JSON_FILE = 'cdk.tf.json';
const HCL_FILE = 'cdk.tf';

/**
 * What the app does instead of `app.synth()`, so `cdktf synth` and `cdktf synth --hcl` both write what they
 * should into cdktf.out:
 *
 * - JSON (`cdktf synth`): cdktf's synthesis, unchanged.
 * - HCL (`cdktf synth --hcl`, which runs the app with SYNTH_HCL_OUTPUT=true): the rendering of the hand-off
 *   (`npm run synth:hcl`), so `cdk.tf` plans exactly what the JSON synthesis plans, is `terraform fmt` clean and
 *   holds no path of this machine. Its local backend keeps the configured path
 *   (`../../../terraform.<stack>.tfstate`): `cdktf deploy`, the JSON and the HCL share one state.
 *   Without `terraform` on PATH the HCL is written unformatted, and `warn` says so.
 * - Both: the other format's file is removed from each stack folder. cdktf 0.21 leaves it there, and Terraform
 *   would load `cdk.tf` and `cdk.tf.json` together (every resource declared twice).
 *
 * Rejects with {@link MachinePathError} (the HCL files removed) when the HCL mentions a path of this machine.
 */
export async function synthesizeApp(app: App, warn: (message: string) => void = console.error): Promise<void> {
  const stacks = app.node.findAll().filter((node): node is TerraformStack => TerraformStack.isStack(node));
  const stackDirs = () => stacks.map((stack) => join(app.outdir, app.manifest.forStack(stack).workingDirectory));
  if (!app.hclOutput) {
    app.synth();
    removeFiles(stackDirs().map((dir) => join(dir, HCL_FILE)));
    return;
  }
  const files = [...synthesizeHclFiles(app, { localState: 'configured' }).values()];
  removeFiles(stackDirs().map((dir) => join(dir, JSON_FILE)));
  try {
    refuseMachinePaths(files, machinePaths([resolve(app.outdir)]), process.cwd());
  } catch (error) {
    if (error instanceof MachinePathError) removeFiles(files);
    throw error;
  }
  if (!terraformAvailable()) {
    const shown = files.map(shownPath).join(', ');
    warn(
      `${shown}: valid HCL that plans exactly what the JSON synthesis plans, but not terraform fmt formatted: ` +
        `\`terraform\` (>= ${MINIMUM_TERRAFORM}) is not on PATH. Install it (https://developer.hashicorp.com/terraform/install) ` +
        'and run `cdktf synth --hcl` again.',
    );
    return;
  }
  await formatHclFiles(files);
}

/** A path as a person reads it: relative to the current folder when below it. */
function shownPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown.startsWith('..') ? file : shown;
}

function removeFiles(files: string[]): void {
  for (const file of files) if (existsSync(file)) rmSync(file);
}
