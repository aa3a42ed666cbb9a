// @ts-check
'use strict';
/**
 * How this project runs TypeScript with no build step: `node --require ./scripts/load-typescript.js <file>.ts`
 * (the cdktf app in cdktf.json, the `bastion` launcher, the npm scripts synth:hcl, schema and bench, the test
 * workers and their helper processes).
 *
 * tsx's CommonJS hook, for our own files. Not for installed packages: tsx's `.js` handler reads each one
 * again and scans it for ESM syntax before handing it to Node unchanged, about 0.4 CPU-seconds for the ~800
 * modules the app loads (the app: 1.85 s and 2.3 CPU-s with `--import tsx`, 1.6 s with tsx's CommonJS hook,
 * 1.5 s and 1.9 CPU-s with this). Node loads them itself: it loads CommonJS as it always does, and an ES
 * module through require() since Node 20.19 (`process.features.require_module`); on an older Node, tsx
 * keeps every file, as before.
 *
 * tsx's CommonJS hook only, never its ESM loader (`--import tsx`): that runs a loader thread, and costs about
 * three times the CPU to start.
 */
const Module = require('node:module');

/** @type {Record<string, (module: NodeJS.Module, filename: string) => void>} */
const extensions = /** @type {any} */ (Module)._extensions;
const nodeLoadsJs = extensions['.js'];
require('tsx/cjs');
const tsxLoadsJs = extensions['.js'];

/** Whether this Node can require() an ES module (20.19 and later; `--experimental-require-module` before). */
const NODE_REQUIRES_ESM = Boolean(/** @type {{ require_module?: boolean }} */ (process.features).require_module);

/**
 * Who loads a `.js` file: Node itself for a file of an installed package, when it can require() ES modules;
 * else tsx (our own `.js` files, and every file on an older Node).
 */
function jsLoaderFor(/** @type {string} */ filename, nodeRequiresEsm = NODE_REQUIRES_ESM) {
  return nodeRequiresEsm && /[\\/]node_modules[\\/]/.test(filename) ? 'node' : 'tsx';
}

if (tsxLoadsJs !== nodeLoadsJs) {
  extensions['.js'] = function loadJs(module, filename) {
    return (jsLoaderFor(filename) === 'node' ? nodeLoadsJs : tsxLoadsJs).call(this, module, filename);
  };
}

module.exports = { jsLoaderFor };
