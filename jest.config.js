/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // swc strips types only; `npm test` type-checks with tsc first.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  // The Terraform stage runs `terraform plan` with the real provider: minutes, not milliseconds.
  testTimeout: 20000,
};
