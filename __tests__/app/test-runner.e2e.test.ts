/**
 * The suite's own Jest runner (__tests__/support/runner) reports what Jest's would: a runner that let a
 * failing, hanging or never-run test pass would make every other test worthless. Jest runs three fixture files
 * with it, in one worker, and its JSON report is checked test by test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROJECT_ROOT = join(__dirname, '..', '..');

interface AssertionResult {
  fullName: string;
  status: string;
  failureMessages: string[];
}

interface Report {
  numFailedTests: number;
  testResults: { name: string; status: string; message: string; assertionResults: AssertionResult[] }[];
}

describe('the test runner', () => {
  let report: Report;
  let status: number | null;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-check-'));
    try {
      const outputFile = join(dir, 'report.json');
      const result = spawnSync(
        join(PROJECT_ROOT, 'node_modules', '.bin', 'jest'),
        ['--testMatch', '<rootDir>/__tests__/support/runner/fixtures/*.fixture.ts', '--maxWorkers=1', '--json', '--outputFile', outputFile],
        { cwd: PROJECT_ROOT, env: { ...process.env, SKIP_TERRAFORM: '1' }, encoding: 'utf8', timeout: 60_000 },
      );
      status = result.status;
      report = JSON.parse(readFileSync(outputFile, 'utf8')) as Report;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  const results = (file: string) => report.testResults.find((r) => r.name.endsWith(file))!.assertionResults;
  const outcome = (name: string) => {
    const found = results('outcomes.fixture.ts').filter((r) => r.fullName === `outcomes ${name}`);
    expect(found).toHaveLength(1);
    return { status: found[0].status, message: found[0].failureMessages.join('\n') };
  };

  test('fails the run when a test fails', () => {
    expect(status).toBe(1);
  });

  test('reports each test of each file once, and only the file’s own', () => {
    expect(results('outcomes.fixture.ts')).toHaveLength(19);
    expect(results('second-file.fixture.ts').map((r) => [r.fullName, r.status])).toEqual([
      ['a second file in the same worker runs only its own test', 'passed'],
      // The worker empties cdktf's token map between files (support/token-map.ts).
      ["a second file in the same worker finds none of the first file's cdktf tokens", 'passed'],
    ]);
  });

  test.each([
    ['passes', 'passed', ''],
    ['passes with a done callback', 'passed', ''],
    ['passes for 1', 'passed', ''],
    ['passes for 2', 'passed', ''],
    ['mocks with jest.fn', 'passed', ''],
    ['nested runs the outer beforeEach first, then the inner ones in the order written', 'passed', ''],
    ['nested ran the inner afterEach before the outer one', 'passed', ''],
    ['fails an assertion', 'failed', 'expect(received).toEqual(expected)'],
    ['rejects', 'failed', 'rejected on purpose'],
    ['exceeds its timeout', 'failed', 'Exceeded timeout of 200 ms'],
    ['fails through a done callback', 'failed', 'done with an error'],
    ['makes fewer assertions than it promised', 'failed', 'Expected two assertions to be called but received one assertion call.'],
    // The runner keeps no snapshot files: a snapshot matcher fails, saying so (worker.js).
    ['asks for a snapshot', 'failed', 'keeps no snapshots'],
    ['is skipped', 'pending', ''],
    ['is a todo', 'todo', ''],
    ['skipped as a block is skipped with its block', 'pending', ''],
    ['with nothing but todos is still a todo', 'todo', ''],
    ['with a failing beforeAll is failed without running', 'failed', 'beforeAll failed'],
    ['with a failing afterEach is failed by its afterEach', 'failed', 'afterEach failed'],
  ])('“%s” is reported %s', (name, expected, message) => {
    const { status: actual, message: text } = outcome(name);
    expect(actual).toBe(expected);
    if (message) expect(text).toContain(message);
    else expect(text).toBe('');
    expect(text).not.toContain('ran after');
    expect(text).not.toContain('a skipped test ran');
  });

  test('fails a file whose worker ends under it, and runs the other files in a new worker', () => {
    const crashed = report.testResults.find((r) => r.name.endsWith('crash.fixture.ts'))!;
    expect(crashed.status).toBe('failed');
    expect(crashed.message).toContain('The test worker ended (exit code 3) while running this file.');
    expect(report.testResults).toHaveLength(3);
  });

  test('points a failure at the test’s own line', () => {
    expect(outcome('fails an assertion').message).toMatch(/outcomes\.fixture\.ts:\d+:\d+/);
  });
});
