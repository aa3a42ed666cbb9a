import { spawnSync } from 'node:child_process';

/**
 * The Terraform CLI as the HCL rendering needs it: `terraform fmt` is the formatter (it also unwraps the
 * `"${x}"` interpolation-only strings cdktf's renderer leaves), so Terraform is a prerequisite of formatted HCL.
 */

/** The Terraform version the HCL needs (the project's own prerequisite; `use_lockfile` needs 1.10). */
export const MINIMUM_TERRAFORM = '1.10';

export class TerraformCliError extends Error {}

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string; error?: Error } {
  // The environment as it is now (its PATH finds terraform), not as it was when this module loaded.
  const result = spawnSync('terraform', args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/** Answers of terraformAvailable, by PATH: a process writing several modules starts `terraform version` once. */
const availableOnPath = new Map<string, boolean>();

/** Whether `terraform` runs from PATH (checked once for each PATH the process has). */
export function terraformAvailable(): boolean {
  const path = process.env.PATH ?? '';
  let available = availableOnPath.get(path);
  if (available === undefined) {
    const result = run(['version'], process.cwd());
    available = !result.error && result.status === 0;
    availableOnPath.set(path, available);
  }
  return available;
}

/** Throws with what to do when `terraform` is not on PATH; `command` names what needs it. */
export function requireTerraformCli(command = 'npm run synth:hcl'): void {
  if (!terraformAvailable()) {
    throw new TerraformCliError(
      `${command} needs \`terraform\` (>= ${MINIMUM_TERRAFORM}) on PATH: it formats the HCL with \`terraform fmt\`. ` +
        'Install it from https://developer.hashicorp.com/terraform/install.',
    );
  }
}

/** `terraform fmt` of `targets` (files, or folders formatted recursively), run in `cwd`; throws with Terraform's message when the HCL does not parse. */
export function terraformFmt(cwd: string, targets: string[] = []): void {
  const result = run(['fmt', '-recursive', '-list=false', '-no-color', ...targets], cwd);
  if (result.error || result.status !== 0) {
    throw new TerraformCliError(`terraform fmt failed in ${cwd}:\n${result.stderr}${result.stdout}`);
  }
}

/** `terraform fmt -check` of `targets` (default: `cwd`, recursively): the files it would change (empty when formatted). */
export function terraformFmtCheck(cwd: string, targets: string[] = []): string[] {
  const result = run(['fmt', '-check', '-recursive', '-no-color', ...targets], cwd);
  if (result.error) throw result.error;
  if (result.status === 0) return [];
  const files = result.stdout.split('\n').filter(Boolean);
  if (files.length === 0) throw new TerraformCliError(`terraform fmt -check failed in ${cwd}:\n${result.stderr}`);
  return files;
}
