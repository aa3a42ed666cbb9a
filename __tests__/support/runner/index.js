// @ts-check
'use strict';
/**
 * A Jest runner whose workers keep their modules from one test file to the next (jest.config.js `runner`).
 *
 * Jest's own runner gives every test file a fresh module registry, so each of our ~90 files loads cdktf, the
 * provider classes and our modules again: about a second a file, most of the unit suite's time. Here each
 * worker (worker.js, a child process) loads them once and runs file after file. Files share modules, not
 * state: each registers its own tests and hooks, makes its own temporary folders, and restores what it
 * changes (the few module-level resources, such as the CLI tests' temporary folders, are released at exit).
 *
 * TypeScript is loaded with tsx's CommonJS hook only (through scripts/load-typescript.js, which leaves the
 * installed packages to Node), never its ESM hooks: on Node 20 those run on a separate loader thread, and a
 * dynamic import() of a test file through them sometimes never settled (both threads idle, the run hung; seen
 * with jest-light-runner, which imports each file).
 *
 * What Jest's runner gives that this one does not: per-file console buffering (output goes straight to the
 * terminal), coverage and snapshot files (the suite has neither).
 */
const { fork } = require('node:child_process');
const { join } = require('node:path');

const WORKER = join(__dirname, 'worker.js');
/** How a worker loads TypeScript: tsx's CommonJS hook for our files, Node itself for installed packages. */
const LOAD_TYPESCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'load-typescript.js');

/** @returns {string[]} */
function profileArgs() {
  const folder = process.env.SSM_BASTION_WORKER_PROFILE;
  return folder ? ['--cpu-prof', `--cpu-prof-dir=${folder}`] : [];
}

/** One worker process: runs the files it is given, one at a time. */
class Worker {
  /** @param {number} id @param {unknown} globalConfig @param {unknown} projectConfig */
  constructor(id, globalConfig, projectConfig) {
    this.process = fork(WORKER, [], {
      // SSM_BASTION_WORKER_PROFILE=<folder>: each worker writes a V8 CPU profile there when it ends (open it in
      // Chrome's DevTools); how the unit suite's time was found to go to source-mapped token stacks.
      //
      // --max-old-space-size: a worker's live heap stays near 150 MiB (cdktf's token map is emptied after each
      // file, support/token-map.ts), but V8 sizes its heap by the allocation rate and let each worker's grow to
      // about 450 MiB before collecting. With a 512 MiB ceiling it collects sooner, in the same time: over
      // interleaved runs of npm run test:unit, the process tree peaked at 800-868 MiB against 966-1,027 MiB.
      // 384 MiB cut a little more memory but cost 1.3-1.7 s of wall time in more collections.
      //
      // --liftoff-only: the HCL parser's WebAssembly compiled by V8's baseline compiler only, as in the app
      // (modules/hcl/parse.ts says why): the HCL test files took about 3 CPU-s less.
      execArgv: ['--require', LOAD_TYPESCRIPT, '--max-old-space-size=512', '--liftoff-only', ...profileArgs()],
      env: { ...process.env, JEST_WORKER_ID: String(id) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    /** @type {{ resolve: (result: unknown) => void, reject: (error: Error) => void } | undefined} */
    this.pending = undefined;
    this.process.on('message', (/** @type {any} */ message) => {
      const pending = this.pending;
      this.pending = undefined;
      if (message.type === 'result') pending?.resolve(message.result);
      else pending?.reject(Object.assign(new Error(message.message), { stack: message.stack }));
    });
    /** @type {string | undefined} How the worker ended, once it has. */
    this.ended = undefined;
    /** @type {string | undefined} The last file it was given. */
    this.lastFile = undefined;
    this.process.on('exit', (code, signal) => {
      this.ended = signal ?? `exit code ${code}`;
      this.fail(new Error(`The test worker ended (${this.ended}) while running this file.`));
    });
    this.process.on('error', (error) => this.fail(error));
    this.process.send({ type: 'setup', globalConfig, projectConfig }, (error) => error && this.fail(error));
  }

  /** @param {Error} error */
  fail(error) {
    this.pending?.reject(error);
    this.pending = undefined;
  }

  /** @param {string} testPath @returns {Promise<any>} */
  run(testPath) {
    if (this.ended) {
      // It ended between files: something the previous file started (a late rejection, an exit) killed it.
      return Promise.reject(new Error(`The test worker ended (${this.ended}) after running ${this.lastFile ?? 'no file'}, before this file; see that file.`));
    }
    this.lastFile = testPath;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.process.send({ type: 'run', testPath }, (error) => error && this.fail(error));
    });
  }

  /**
   * Closes the channel, on which the worker exits by itself, so its exit handlers run: they remove temporary
   * folders and stop helper processes. One that has not ended in 5 s is killed.
   */
  async stop() {
    if (this.ended) return;
    const ended = new Promise((resolve) => this.process.once('exit', resolve));
    if (this.process.connected) this.process.disconnect();
    const killer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await ended;
    clearTimeout(killer);
  }
}

class SharedModulesRunner {
  /** @param {any} globalConfig */
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  /**
   * @param {any[]} tests
   * @param {unknown} _watcher
   * @param {(test: any) => Promise<void>} onStart
   * @param {(test: any, result: any) => Promise<void>} onResult
   * @param {(test: any, error: { message: string, stack?: string }) => Promise<void>} onFailure
   */
  async runTests(tests, _watcher, onStart, onResult, onFailure) {
    const queue = [...tests];
    const count = Math.max(1, Math.min(this.globalConfig.maxWorkers, queue.length));
    const drain = async (/** @type {number} */ id) => {
      /** @type {Worker | undefined} */
      let worker;
      for (let test = queue.shift(); test; test = queue.shift()) {
        worker ??= new Worker(id, this.globalConfig, test.context.config);
        await onStart(test);
        try {
          await onResult(test, await worker.run(test.path));
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          await onFailure(test, { message: failure.message, stack: failure.stack });
          // A file that failed to load may have left its worker half set up; the next file gets a new one.
          await worker.stop();
          worker = undefined;
        }
      }
      await worker?.stop();
    };
    await Promise.all(Array.from({ length: count }, (_, i) => drain(i + 1)));
  }
}

module.exports = SharedModulesRunner;
