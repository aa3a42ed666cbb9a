import { App } from 'cdktf';
import { type BastionConfig, ConfigError, loadConfig } from './modules/config';
import { MachinePathError, synthesizeApp, TerraformCliError } from './modules/hcl';
import { addBastionStacks } from './modules/stacks';

/**
 * Fails the process with `message` on stderr. Not process.exit(1): stderr to a pipe (cdktf synth reads the app's
 * output through one) is written asynchronously, and exiting at once cut a long list of problems off at 64 KiB.
 */
function fail(message: unknown): void {
  console.error(message);
  process.exitCode = 1;
}

/** The validated configuration, or undefined once every problem is listed; no construct exists yet, so nothing is written. */
function configOrFail(): BastionConfig | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(error.message);
    return undefined;
  }
}

// Before the App: its constructor already creates the output folder.
const config = configOrFail();
if (config) {
  const app = new App();
  addBastionStacks(app, config);
  // `app.synth()`, and under `cdktf synth --hcl` the same HCL rendering as `npm run synth:hcl`.
  synthesizeApp(app).catch((error: unknown) => {
    // Expected failures get their message only; anything else keeps its stack trace.
    fail(error instanceof MachinePathError || error instanceof TerraformCliError ? error.message : error);
  });
}
