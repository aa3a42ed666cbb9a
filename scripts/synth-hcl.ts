/**
 * `npm run synth:hcl`: the HCL hand-off. Writes each stack of the configuration as a Terraform root module a
 * Terraform-only team can read, plan, apply and operate without Node.js: `dist/terraform/<stack>/main.tf`
 * (formatted HCL, plan-identical to the JSON synthesis that `cdktf deploy` uses) and a README.md listing its
 * variables and outputs. cdktf.out is left alone. Needs `terraform` on PATH (for `terraform fmt`).
 *
 *   npm run synth:hcl                    # dist/terraform/<stack>/ for the stacks of bastion.config.json
 *   npm run synth:hcl -- --out <dir>     # somewhere else
 *   npm run synth:hcl -- --force         # also replace folders that hold Terraform state or .tfvars files
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../modules/config';
import { MachinePathError, TerraformCliError } from '../modules/hcl';
import { HandoffError, MODULE_FILES, writeHandoff } from './hcl/write';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'dist/terraform' },
      force: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const modules = await writeHandoff({ config, outDir: resolve(values.out!), force: values.force });
  for (const { dir, module } of modules) {
    const shown = relative(process.cwd(), dir);
    console.log(
      `wrote ${shown.startsWith('..') ? dir : shown}/ (${MODULE_FILES.join(', ')}): ${module.resources.length} resources, ` +
        `${module.variables.length} variables, ${module.outputs.length} outputs`,
    );
  }
}

main().catch((error: unknown) => {
  // Expected failures get their message only; anything else keeps its stack trace.
  if (error instanceof ConfigError || error instanceof HandoffError || error instanceof MachinePathError || error instanceof TerraformCliError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
