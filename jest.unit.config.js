/**
 * `npm run test:unit`: the red-green loop. Everything that runs in the jest workers' own processes; not the
 * end-to-end files (`*.e2e.test.ts`: the real `cdktf synth`, the `bastion` launcher, Jest on the runner's
 * fixtures, each a child process of several seconds of CPU, and ESLint with the project's whole configuration,
 * which loads the TypeScript compiler), and not the Terraform stage (SKIP_TERRAFORM=1).
 * `npm test` runs all of it.
 */
// Set here, before Jest starts its workers, which inherit them; a SKIP_TERRAFORM set on the command line wins.
process.env.SKIP_TERRAFORM ??= '1';
// A test that starts `cdktf synth` outside an e2e file then fails, saying where it belongs (support/cdktf-cli.ts).
process.env.SSM_BASTION_TEST_TIER = 'unit';

const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = { ...base, testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$'] };
