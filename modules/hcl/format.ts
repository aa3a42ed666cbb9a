import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { spaceBlocks } from './spacing';
import { TerraformCliError, terraformFmt, terraformFmtCheck } from './terraform-cli';

/**
 * Formats rendered HCL files in place, the one way both `cdktf synth --hcl` and `npm run synth:hcl` do it:
 * `terraform fmt` (which also unwraps cdktf's `"${x}"` interpolation-only strings), blank lines between blocks
 * ({@link spaceBlocks}, checked by re-parsing), then `terraform fmt -check` must find nothing to change.
 * Needs `terraform` on PATH (see `requireTerraformCli`).
 */
export async function formatHclFiles(files: string[]): Promise<void> {
  if (files.length === 0) return;
  const cwd = dirname(files[0]);
  terraformFmt(cwd, files);
  for (const file of files) writeFileSync(file, await spaceBlocks(readFileSync(file, 'utf8')));
  const unformatted = terraformFmtCheck(cwd, files);
  if (unformatted.length > 0) throw new TerraformCliError(`Not terraform fmt clean after formatting: ${unformatted.join(', ')}`);
}
