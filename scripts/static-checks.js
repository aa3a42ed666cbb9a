// @ts-check
'use strict';
/**
 * `npm run checks`: the type check (`tsc --noEmit`) and the linter (`eslint .`) side by side. Each uses one
 * core for about 6 s; one after the other, `npm test` waited for both in turn before its tests started.
 * Each one's output is printed whole once it ends (never interleaved), and the exit status is non-zero when
 * either fails.
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');

/** @type {[string, string, string[]][]} */
const CHECKS = [
  ['type check', join(BIN, 'tsc'), ['--noEmit']],
  ['lint', join(BIN, 'eslint'), ['.']],
];

/**
 * Runs one check, writing its output whole to `write` once it ends.
 * @param {[string, string, string[]]} check @param {(text: string) => void} write @returns {Promise<boolean>}
 */
function run([name, command, args], write) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {Buffer[]} */
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => {
      write(`> ${name}: ${[command, ...args].join(' ')} could not start: ${error.message}\n`);
      done(false);
    });
    child.on('close', (code, signal) => {
      const text = Buffer.concat(output).toString('utf8');
      const passed = code === 0;
      write(`> ${name}: ${[command.replace(`${BIN}/`, ''), ...args].join(' ')} ${passed ? 'passed' : `failed (${signal ?? `exit code ${code}`})`}\n${text}`);
      done(passed);
    });
  });
}

/**
 * Runs `checks` side by side; resolves to whether every one passed.
 * @param {[string, string, string[]][]} checks @param {(text: string) => void} write
 */
async function runChecks(checks = CHECKS, write = (text) => void process.stdout.write(text)) {
  const results = await Promise.all(checks.map((check) => run(check, write)));
  return results.every(Boolean);
}

module.exports = { CHECKS, runChecks };

if (require.main === module) {
  runChecks().then((passed) => {
    process.exitCode = passed ? 0 : 1;
  });
}
