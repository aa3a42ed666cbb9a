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

/**
 * Files that take tens of seconds (each runs Terraform or real commands), with about how long one takes on
 * 2 cores: the order among them until Jest has timed them.
 * @type {[RegExp, number][]}
 */
const SLOW_FILES = [
  [/\/__tests__\/terraform\/[^/]+-vpc\.test\.ts$/, 60_000],
  [/\/__tests__\/terraform\/provider-server\.test\.ts$/, 30_000],
  [/\/__tests__\/hcl\/handoff-writer\.test\.ts$/, 30_000],
  [/\.e2e\.test\.ts$/, 10_000],
];

/** How long a slow file takes, as estimated above; undefined for the others. @param {string} path */
function estimate(path) {
  return SLOW_FILES.find(([pattern]) => pattern.test(path))?.[1];
}

/** @param {string} path */
function isSlow(path) {
  return estimate(path) !== undefined;
}

class SlowFilesFirst extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    // Jest's order; it also records each file's last duration on the test (undefined when it has none).
    const ordered = /** @type {import('@jest/test-result').Test[]} */ (super.sort(tests));
    const failed = ordered.filter((test) => this.hasFailed(test));
    const rest = ordered.filter((test) => !this.hasFailed(test));
    const expected = (/** @type {import('@jest/test-result').Test} */ test) => test.duration ?? estimate(test.path) ?? 0;
    // Array.prototype.sort is stable: equal estimates keep Jest's order.
    const slow = rest.filter((test) => isSlow(test.path)).sort((a, b) => expected(b) - expected(a));
    return [...failed, ...slow, ...rest.filter((test) => !isSlow(test.path))];
  }
}

module.exports = SlowFilesFirst;
module.exports.isSlow = isSlow;
