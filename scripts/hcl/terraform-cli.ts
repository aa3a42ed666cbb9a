import { spawnSync } from 'node:child_process';

/**
 * The Terraform CLI as the hand-off needs it: `terraform fmt` is the formatter (it also unwraps the `"${x}"`
 * interpolation-only strings the renderer leaves), so Terraform is a prerequisite of `npm run synth:hcl`.
 */

const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

export class TerraformCliError extends Error {}

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string; error?: Error } {
  const result = spawnSync('terraform', args, { cwd, env: ENV, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/** Throws with what to do when `terraform` is not on PATH. */
export function requireTerraformCli(): void {
  const result = run(['version'], process.cwd());
  if (result.error || result.status !== 0) {
    throw new TerraformCliError(
      'npm run synth:hcl needs `terraform` (>= 1.10) on PATH: it formats the modules with `terraform fmt`. ' +
        'Install it from https://developer.hashicorp.com/terraform/install.',
    );
  }
}

/** `terraform fmt -recursive` in `dir`; throws with Terraform's message when the HCL does not parse. */
export function terraformFmt(dir: string): void {
  const result = run(['fmt', '-recursive', '-list=false', '-no-color'], dir);
  if (result.error || result.status !== 0) {
    throw new TerraformCliError(`terraform fmt failed in ${dir}:\n${result.stderr}${result.stdout}`);
  }
}

/** `terraform fmt -check -recursive` in `dir`: the files it would change (empty when formatted). */
export function terraformFmtCheck(dir: string): string[] {
  const result = run(['fmt', '-check', '-recursive', '-no-color'], dir);
  if (result.error) throw result.error;
  if (result.status === 0) return [];
  const files = result.stdout.split('\n').filter(Boolean);
  if (files.length === 0) throw new TerraformCliError(`terraform fmt -check failed in ${dir}:\n${result.stderr}`);
  return files;
}
