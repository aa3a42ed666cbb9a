import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { spaceBlocks } from './spacing';
import { terraformFmt } from './terraform-cli';

/**
 * Formats rendered HCL files in place, the one way both `cdktf synth --hcl` and `npm run synth:hcl` do it:
 * `terraform fmt` (which also unwraps cdktf's `"${x}"` interpolation-only strings), then blank lines between
 * blocks ({@link spaceBlocks}, checked by re-parsing). Spacing changes blank lines only, which `terraform fmt`
 * leaves as they are, so the files stay fmt clean without a second `terraform fmt -check` run (the HCL stage
 * checks every module it writes with one). Spacing needs fmt's indentation (it finds a top-level block's end
 * by its brace at column 0), so it cannot come first. Needs `terraform` on PATH (see `requireTerraformCli`).
 */
export async function formatHclFiles(files: string[]): Promise<void> {
  if (files.length === 0) return;
  // Absolute: fmt runs in the files' folder, and `cdktf synth --hcl` names them relative to where it was started.
  const absolute = files.map((file) => resolve(file));
  terraformFmt(dirname(absolute[0]), absolute);
  for (const file of files) writeFileSync(file, await spaceBlocks(readFileSync(file, 'utf8')));
}
