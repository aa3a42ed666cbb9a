import { App } from 'cdktf';
import { ConfigError, loadConfig } from './modules/config';
import { addBastionStacks } from './modules/stacks';

// Validate before any construct exists, so a bad configuration writes nothing.
let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const app = new App();
addBastionStacks(app, config);
app.synth();
