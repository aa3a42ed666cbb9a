// @ts-check
'use strict';
/**
 * The lint rule that keeps every import of @cdktf/provider-aws deep (eslint.config.mjs applies it to every
 * TypeScript file): the package root, and its lib index, load all 2,135 of its modules (resources, data sources
 * and the provider: seconds of synth and test time, about 1 GiB of memory), where `@cdktf/provider-aws/lib/vpc`
 * loads one.
 */
const MESSAGE = 'Import the resource by deep path: @cdktf/provider-aws/lib/<resource>.';

/**
 * ESLint's core `no-restricted-imports`, configured: its entry for a config's `rules`. Every specifier Node
 * resolves to the lib index: the package (with or without a trailing slash: `main` is lib/index.js), `lib`,
 * `lib/`, `lib/index` and `lib/index.js`.
 */
const noBarrelImports = /** @type {const} */ (['error', { patterns: [{ regex: '^@cdktf/provider-aws(/lib(/index(\\.js)?)?)?/?$', message: MESSAGE }] }]);

module.exports = { noBarrelImports };
