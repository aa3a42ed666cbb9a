// @ts-check
'use strict';
/**
 * The order Jest hands test files to the runner (jest.config.js `testSequencer`): Jest's own order, except
 * that the files known to take tens of seconds come first (after any file that failed last time).
 *
 * Jest orders by each file's duration in its last run, slowest first, which keeps both workers busy to the
 * end. With no last run on record (an empty Jest cache: a new CI machine, a newcomer), Jest orders by file
 * size: the Terraform-stage scenario files, three lines and about a minute each, came last. Measured back to
 * back with empty caches: 197 s with Jest's order, 178 s with this one. With durations known, this changes
 * nothing.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** Files that take tens of seconds (each runs Terraform or real commands). */
const SLOW_FILES = [
  /\/__tests__\/terraform\/[^/]+-vpc\.test\.ts$/,
  /\/__tests__\/terraform\/provider-server\.test\.ts$/,
  /\/__tests__\/hcl\/handoff-writer\.test\.ts$/,
  /\.e2e\.test\.ts$/,
];

/** @param {string} path */
function isSlow(path) {
  return SLOW_FILES.some((pattern) => pattern.test(path));
}

class SlowFilesFirst extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const ordered = /** @type {import('@jest/test-result').Test[]} */ (super.sort(tests));
    const failed = ordered.filter((test) => this.hasFailed(test));
    const rest = ordered.filter((test) => !this.hasFailed(test));
    return [...failed, ...rest.filter((test) => isSlow(test.path)), ...rest.filter((test) => !isSlow(test.path))];
  }
}

module.exports = SlowFilesFirst;
module.exports.isSlow = isSlow;
