/**
 * `npm run synth:hcl`: the HCL hand-off. Writes each stack of the configuration as a Terraform root module a
 * Terraform-only team can read, plan, apply and operate without Node.js: `dist/terraform/<stack>/main.tf`
 * (formatted HCL, plan-identical to the JSON synthesis that `cdktf deploy` uses) and a README.md listing its
 * variables and outputs. cdktf.out is left alone. Needs `terraform` on PATH (for `terraform fmt`).
 *
 *   npm run synth:hcl                    # dist/terraform/<stack>/ for the stacks of bastion.config.json
 *   npm run synth:hcl -- --out <dir>     # somewhere else
 *   npm run synth:hcl -- --force         # also replace folders that hold Terraform state or .tfvars files
 *   npm run synth:hcl -- --help          # the options; a wrong one exits 2 with the same text
 */
import { relative, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../modules/config';
import { MachinePathError, TerraformCliError } from '../modules/hcl';
import { parseSynthHclArgs, SYNTH_HCL_USAGE, SynthHclUsageError } from './hcl/args';
import { HandoffError, MODULE_FILES, writeHandoff } from './hcl/write';

async function main(): Promise<void> {
  const args = parseSynthHclArgs(process.argv.slice(2));
  if (args.help) {
    console.log(SYNTH_HCL_USAGE);
    return;
  }
  const config = loadConfig();
  const modules = await writeHandoff({ config, outDir: resolve(args.out), force: args.force });
  for (const { dir, module } of modules) {
    const shown = relative(process.cwd(), dir);
    console.log(
      `wrote ${shown.startsWith('..') ? dir : shown}/ (${MODULE_FILES.join(', ')}): ${module.resources.length} resources, ` +
        `${module.variables.length} variables, ${module.outputs.length} outputs`,
    );
  }
}

main().catch((error: unknown) => {
  // A wrong command line exits 2, as the bastion CLI's usage errors do; expected failures get their message only,
  // anything else keeps its stack trace. process.exitCode, not process.exit(): stderr to a pipe is written
  // asynchronously, and exiting at once cut a long message (a configuration with many problems) off at 64 KiB.
  if (error instanceof SynthHclUsageError) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  if (error instanceof ConfigError || error instanceof HandoffError || error instanceof MachinePathError || error instanceof TerraformCliError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
