/**
 * The deep-import lint rule (scripts/deep-import-rule.js), run by ESLint's own linter on its own, as ESLint
 * runs it on a TypeScript file of the project. That the project's configuration applies it to every
 * TypeScript file: lint-config.e2e.test.ts.
 */
import { Linter } from 'eslint';

const { noBarrelImports } = require('../../scripts/deep-import-rule') as { noBarrelImports: Linter.RuleEntry };

// Built, not written out, so this file itself holds no barrel import for a text search to trip over.
const PACKAGE = ['@cdktf', 'provider-aws'].join('/');

/** What the rule says of an import of `specifier` in a TypeScript file of the project: its messages. */
function lintImport(specifier: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [{ files: ['**/*.ts'], rules: { 'no-restricted-imports': noBarrelImports } }];
  const source = `import { Vpc } from '${specifier}';\nexport const v = Vpc;\n`;
  return linter.verify(source, config, { filename: 'modules/probe/index.ts' }).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the deep-import lint rule', () => {
  test.each([PACKAGE, `${PACKAGE}/`])('refuses the package root (%s), which loads every resource module', (specifier) => {
    expect(lintImport(specifier)).toEqual([expect.stringMatching(/^no-restricted-imports: .*@cdktf\/provider-aws\/lib\/<resource>/)]);
  });

  test.each([`${PACKAGE}/lib`, `${PACKAGE}/lib/`, `${PACKAGE}/lib/index`, `${PACKAGE}/lib/index.js`])('refuses the lib index (%s)', (specifier) => {
    expect(lintImport(specifier)).toEqual([expect.stringMatching(/^no-restricted-imports: .*deep path/)]);
  });

  test.each([`${PACKAGE}/lib/vpc`, `${PACKAGE}/lib/vpc/index`, `${PACKAGE}/lib/provider`, `${PACKAGE}/lib/indexer-like-name`])('accepts a deep import (%s)', (specifier) => {
    expect(lintImport(specifier)).toEqual([]);
  });
});
