import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'dist/', '.gen/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // The package root loads all 2,212 resource modules (seconds of synth and test time, ~1 GiB of memory).
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@cdktf/provider-aws', message: 'Import the resource by deep path: @cdktf/provider-aws/lib/<resource>.' }],
          patterns: [
            {
              regex: '^@cdktf/provider-aws/lib(/index(\\.js)?)?/?$',
              message: 'Import the resource by deep path: @cdktf/provider-aws/lib/<resource>.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
