// @ts-check
'use strict';
/**
 * One worker process of the shared-modules runner (index.js). It loads TypeScript with tsx's CommonJS hook
 * (index.js starts it with `--require scripts/load-typescript.js`: every module comes through require, in
 * this thread), sets up the globals a Jest test file expects, then runs the files the runner sends, one after
 * another, each with Jest's own registration (jest-circus: describe, test, hooks, .each, .skip, .only) and
 * matchers (@jest/expect, without its snapshot matchers), and answers with a Jest test result.
 *
 * Modules stay loaded from one file to the next: that is the point (cdktf, the provider classes and our
 * modules load once per worker, not once per file). Test state does not: each file registers its own tests
 * and hooks, makes its own temporary folders, and puts back what it changes in process.env.
 */
const Module = require('node:module');
const { performance } = require('node:perf_hooks');

/**
 * The suite keeps no snapshots, and this runner no snapshot files (index.js). jest-circus loads @jest/expect,
 * which loads jest-snapshot for its four snapshot matchers, and jest-snapshot loads Babel: about 0.23 s of
 * each worker's start, for nothing. In its place, matchers that fail saying so.
 */
const refuseSnapshot = () => ({ pass: false, message: () => 'This project\'s test runner keeps no snapshots (__tests__/support/runner): assert the values themselves.' });
const NO_SNAPSHOTS = {
  toMatchSnapshot: refuseSnapshot,
  toMatchInlineSnapshot: refuseSnapshot,
  toThrowErrorMatchingSnapshot: refuseSnapshot,
  toThrowErrorMatchingInlineSnapshot: refuseSnapshot,
  addSerializer: () => undefined,
};
const loadModule = /** @type {any} */ (Module)._load;
/** @type {any} */ (Module)._load = function load(/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
  return request === 'jest-snapshot' ? NO_SNAPSHOTS : loadModule.call(this, request, ...rest);
};
const circus = require('jest-circus');
const { jestExpect: expect } = require('@jest/expect');
// @jest/expect has made its matchers: the test files get Node's own loader back.
/** @type {any} */ (Module)._load = loadModule;
const { ModuleMocker } = require('jest-mock');
const { formatResultsErrors, formatExecError } = require('jest-message-util');
const { createEmptyTestResult } = require('@jest/test-result');
const { releaseCdktfTokens } = require('../token-map');

/** @typedef {{ globalConfig: any, projectConfig: any }} Configs */
/** @typedef {{ ancestors: string[], title: string, status: 'passed' | 'failed' | 'pending' | 'todo', duration: number | null, errors: unknown[] }} Outcome */

const mocker = new ModuleMocker(globalThis);
Object.assign(globalThis, {
  describe: circus.describe,
  test: circus.test,
  it: circus.it,
  beforeAll: circus.beforeAll,
  afterAll: circus.afterAll,
  beforeEach: circus.beforeEach,
  afterEach: circus.afterEach,
  fdescribe: circus.describe.only,
  fit: circus.it.only,
  xdescribe: circus.describe.skip,
  xit: circus.it.skip,
  xtest: circus.it.skip,
  expect,
  jest: {
    fn: mocker.fn.bind(mocker),
    spyOn: mocker.spyOn.bind(mocker),
    replaceProperty: mocker.replaceProperty.bind(mocker),
    mocked: (/** @type {unknown} */ value) => value,
    clearAllMocks: mocker.clearAllMocks.bind(mocker),
    resetAllMocks: mocker.resetAllMocks.bind(mocker),
    restoreAllMocks: mocker.restoreAllMocks.bind(mocker),
  },
});

/** @type {Configs | undefined} */
let configs;

/** Loads the project's setup files once: they register matchers (cdktf's) and globals every file shares. */
function setUp(/** @type {Configs} */ received) {
  configs = received;
  for (const file of [...received.projectConfig.setupFiles, ...received.projectConfig.setupFilesAfterEnv]) require(file);
}

/** Rejects after `ms` unless `work` settles first; the timer never outlives the work. */
function withTimeout(/** @type {() => unknown} */ work, /** @type {number} */ ms, /** @type {string} */ what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Exceeded timeout of ${ms} ms for ${what}.\nAdd a timeout value to this test to increase the timeout, if this is a long-running test.`)), ms);
  });
  return Promise.race([call(work), timeout]).finally(() => clearTimeout(timer));
}

/** Calls a test or hook function as Jest does: a `done` callback when it takes one, else its returned promise. */
function call(/** @type {Function} */ fn) {
  if (fn.length >= 1) {
    return new Promise((resolve, reject) => {
      fn((/** @type {unknown} */ error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(undefined)));
    });
  }
  return Promise.resolve().then(() => fn());
}

/** Whether a test (or one of its describe blocks) was focused with .only. */
function focused(/** @type {any} */ entry) {
  for (let block = entry; block; block = block.parent) if (block.mode === 'only') return true;
  return false;
}

/**
 * Lets go of a test file once it has run: its module (and whatever its top-level constants hold, such as
 * synthesized stacks and their construct trees) would otherwise stay reachable from the require cache and
 * from this module's children for the rest of the worker's life, and so would every token its stacks made,
 * through cdktf's process-wide token map (token-map.ts). The modules it loaded stay (that is the point).
 */
function forget(/** @type {string} */ testPath) {
  releaseCdktfTokens();
  const loaded = require.cache[testPath];
  if (!loaded) return;
  delete require.cache[testPath];
  const index = module.children.indexOf(loaded);
  if (index >= 0) module.children.splice(index, 1);
}

/**
 * Runs one file's tests; returns each test's outcome and the errors of afterAll hooks (the file's own). An
 * unhandled rejection ends the worker (Node's default), and the runner reports the file as failed.
 */
async function runFile(/** @type {string} */ testPath) {
  const { globalConfig } = /** @type {Configs} */ (configs);
  const defaultTimeout = globalConfig.testTimeout || 5000;
  const namePattern = globalConfig.testNamePattern ? new RegExp(globalConfig.testNamePattern, 'i') : undefined;
  circus.resetState();
  require(testPath);
  const { rootDescribeBlock, hasFocusedTests } = circus.getState();
  /** @type {Outcome[]} */
  const outcomes = [];
  /** @type {unknown[]} */
  const fileErrors = [];

  /**
   * Hooks of one type as jest-circus orders them: beforeEach from the outermost block in, afterEach from the
   * innermost out, each block's own in the order written.
   */
  const eachHooks = (/** @type {any} */ block, /** @type {string} */ type) => {
    /** @type {any[]} */
    const hooks = [];
    for (let b = block; b; b = b.parent) {
      const own = b.hooks.filter((/** @type {any} */ h) => h.type === type);
      if (type === 'beforeEach') hooks.unshift(...own);
      else hooks.push(...own);
    }
    return hooks;
  };
  const runHook = async (/** @type {any} */ hook, /** @type {unknown[]} */ errors) => {
    try {
      await withTimeout(hook.fn, hook.timeout || defaultTimeout, `a ${hook.type} hook`);
    } catch (error) {
      errors.push(error);
    }
  };
  /** Reports every test of a block without running it: failed with the block's errors, else skipped (or todo). */
  const skipAll = (/** @type {any} */ block, /** @type {string[]} */ ancestors, /** @type {unknown[]} */ errors) => {
    for (const child of block.children) {
      if (child.type === 'describeBlock') skipAll(child, [...ancestors, child.name], errors);
      else outcomes.push({ ancestors, title: child.name, status: errors.length ? 'failed' : child.mode === 'todo' ? 'todo' : 'pending', duration: null, errors });
    }
  };
  const wanted = (/** @type {any} */ test, /** @type {string[]} */ ancestors) =>
    test.mode !== 'skip' && (!hasFocusedTests || focused(test)) && (!namePattern || namePattern.test([...ancestors, test.name].join(' ')));
  const hasWantedTests = (/** @type {any} */ block, /** @type {string[]} */ ancestors) =>
    block.mode !== 'skip' &&
    block.children.some((/** @type {any} */ child) =>
      child.type === 'describeBlock' ? hasWantedTests(child, [...ancestors, child.name]) : child.mode !== 'todo' && wanted(child, ancestors),
    );

  const runBlock = async (/** @type {any} */ block, /** @type {string[]} */ ancestors) => {
    if (!hasWantedTests(block, ancestors)) {
      skipAll(block, ancestors, []);
      return;
    }
    /** @type {unknown[]} */
    const beforeAllErrors = [];
    for (const hook of block.hooks.filter((/** @type {any} */ h) => h.type === 'beforeAll')) await runHook(hook, beforeAllErrors);
    if (beforeAllErrors.length) {
      skipAll(block, ancestors, beforeAllErrors);
    } else {
      for (const child of block.children) {
        if (child.type === 'describeBlock') {
          await runBlock(child, [...ancestors, child.name]);
        } else if (child.mode === 'todo') {
          outcomes.push({ ancestors, title: child.name, status: 'todo', duration: null, errors: [] });
        } else if (!wanted(child, ancestors)) {
          outcomes.push({ ancestors, title: child.name, status: 'pending', duration: null, errors: [] });
        } else {
          outcomes.push(await runTest(child, block, ancestors));
        }
      }
    }
    /** @type {unknown[]} */
    const afterAllErrors = [];
    for (const hook of block.hooks.filter((/** @type {any} */ h) => h.type === 'afterAll')) await runHook(hook, afterAllErrors);
    fileErrors.push(...afterAllErrors);
  };

  const runTest = async (/** @type {any} */ test, /** @type {any} */ block, /** @type {string[]} */ ancestors) => {
    const fullName = [...ancestors, test.name].join(' ');
    expect.setState({ currentTestName: fullName, testPath, assertionCalls: 0, expectedAssertionsNumber: null, isExpectingAssertions: false, suppressedErrors: [] });
    /** @type {unknown[]} */
    const errors = [];
    const started = performance.now();
    for (const hook of eachHooks(block, 'beforeEach')) await runHook(hook, errors);
    if (!errors.length) {
      try {
        await withTimeout(test.fn, test.timeout || defaultTimeout, 'a test');
      } catch (error) {
        errors.push(error);
      }
    }
    for (const hook of eachHooks(block, 'afterEach')) await runHook(hook, errors);
    errors.push(...expect.getState().suppressedErrors, ...expect.extractExpectedAssertionsErrors().map((e) => e.error));
    const failed = test.failing ? errors.length === 0 : errors.length > 0;
    if (test.failing && !failed) errors.length = 0;
    if (test.failing && failed) errors.push(new Error('Failing test passed even though it was supposed to fail. Remove `.failing` to remove error.'));
    return { ancestors, title: test.name, status: failed ? 'failed' : 'passed', duration: Math.round(performance.now() - started), errors };
  };

  await runBlock(rootDescribeBlock, []);
  forget(testPath);
  return { outcomes, fileErrors };
}

/**
 * What an error prints as in Jest's report: its stack (which starts with the message), else its text. Frames
 * of this file are dropped (as Jest drops its own), and tsx's `at <anonymous> (file:line)` frames renamed:
 * jest-message-util hides frames named `<anonymous>` (it takes them for eval code), which would hide the
 * test's own line.
 */
function errorText(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) return String(error);
  const text = error.stack && error.stack.includes(error.message) ? error.stack : `${error.message}\n${error.stack ?? ''}`;
  return text
    .split('\n')
    .filter((line) => !(/^\s+at /.test(line) && line.includes(__filename)))
    .map((line) => line.replace(/^(\s+at )<anonymous> \(/, '$1anonymous ('))
    .join('\n');
}

/** The Jest test result of one file, built as jest-circus's adapter builds it. */
async function testResultOf(/** @type {string} */ testPath) {
  const { globalConfig, projectConfig } = /** @type {Configs} */ (configs);
  const start = Date.now();
  const { outcomes, fileErrors } = await runFile(testPath);
  const end = Date.now();
  const testResults = outcomes.map((outcome) => ({
    ancestorTitles: outcome.ancestors,
    duration: outcome.duration,
    failureDetails: [],
    failureMessages: outcome.errors.map(errorText),
    fullName: [...outcome.ancestors, outcome.title].join(' '),
    invocations: 1,
    location: null,
    numPassingAsserts: 0,
    retryReasons: [],
    status: outcome.status,
    title: outcome.title,
  }));
  const count = (/** @type {string} */ status) => testResults.filter((t) => t.status === status).length;
  let failureMessage = formatResultsErrors(testResults, projectConfig, globalConfig, testPath);
  /** @type {{ message: string, stack: string } | undefined} */
  let testExecError;
  if (fileErrors.length) {
    testExecError = { message: '', stack: fileErrors.map(errorText).join('\n') };
    failureMessage = `${failureMessage ?? ''}\n\n${fileErrors.map((e) => formatExecError(/** @type {Error} */ (e), projectConfig, globalConfig)).join('\n')}`;
  }
  const empty = createEmptyTestResult();
  return {
    ...empty,
    console: undefined,
    displayName: projectConfig.displayName,
    failureMessage,
    numFailingTests: count('failed'),
    numPassingTests: count('passed'),
    numPendingTests: count('pending'),
    numTodoTests: count('todo'),
    perfStats: { ...empty.perfStats, start, end, runtime: end - start, slow: (end - start) / 1000 > projectConfig.slowTestThreshold },
    testExecError,
    testFilePath: testPath,
    testResults,
  };
}

// The runner closes the channel when it is done with this worker, or by dying: either way, end now (exit
// handlers still run) rather than go on running Terraform for nobody.
process.on('disconnect', () => process.exit());

/** Sends to the runner while it listens. */
function answer(/** @type {object} */ message) {
  if (process.connected) process.send?.(message);
}

process.on('message', (/** @type {any} */ message) => {
  if (message.type === 'setup') {
    setUp(message);
    return;
  }
  if (message.type !== 'run') return;
  testResultOf(message.testPath).then(
    (result) => answer({ type: 'result', result }),
    (error) => answer({ type: 'error', message: error instanceof Error ? error.message : String(error), stack: errorText(error) }),
  );
});
