import { App } from 'cdktf';
import { type BastionConfig, ConfigError, loadConfig } from './modules/config';
import { MachinePathError, synthesizeApp, TerraformCliError } from './modules/hcl';
import { addBastionStacks } from './modules/stacks';

/** The validated configuration, or exit 1 with every problem listed; no construct exists yet, so nothing is written. */
function configOrExit(): BastionConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

// Before the App: its constructor already creates the output folder.
const config = configOrExit();
const app = new App();
addBastionStacks(app, config);
// `app.synth()`, and under `cdktf synth --hcl` the same HCL rendering as `npm run synth:hcl`.
synthesizeApp(app).catch((error: unknown) => {
  // Expected failures get their message only; anything else keeps its stack trace.
  console.error(error instanceof MachinePathError || error instanceof TerraformCliError ? error.message : error);
  process.exit(1);
});
