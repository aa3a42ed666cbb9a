import { App } from 'cdktf';
import { type BastionConfig, ConfigError, loadConfig } from './modules/config';
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
app.synth();
