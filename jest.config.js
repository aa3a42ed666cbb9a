/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Workers that keep cdktf, the provider classes and our modules loaded from one file to the next, and load
  // TypeScript with tsx (see the runner's header).
  runner: '<rootDir>/__tests__/support/runner/index.js',
  // Jest's order, but the slow files first even in a fresh clone, where Jest knows no durations yet.
  testSequencer: '<rootDir>/__tests__/support/sequencer.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // For the global setup and teardown, which Jest itself loads: swc strips types only (`npm test` type-checks
  // with tsc first).
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  // The Terraform stage runs `terraform plan` with the real provider: minutes, not milliseconds.
  testTimeout: 20000,
  // Jest's default is one worker less than the cores: on the 2-core machines this project targets, one. Test
  // files are independent (temporary folders, no shared state), so both cores work.
  maxWorkers: 2,
};
