import tseslint from 'typescript-eslint';
import deepImportRule from './scripts/deep-import-rule.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'dist/', '.gen/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Deep imports of the provider classes only (scripts/deep-import-rule.js says why).
      'no-restricted-imports': deepImportRule.noBarrelImports,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
