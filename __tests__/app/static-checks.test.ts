import { join } from 'node:path';

/** `npm run checks` (scripts/static-checks.js): tsc and eslint side by side, each one's output whole, failing when either fails. */

const { CHECKS, runChecks } = require(join(__dirname, '..', '..', 'scripts', 'static-checks.js')) as {
  CHECKS: [string, string, string[]][];
  runChecks: (checks: [string, string, string[]][], write: (text: string) => void) => Promise<boolean>;
};

/** A stand-in check: a shell script (a few MiB, where a node process is about 40). */
const shell = (name: string, script: string): [string, string, string[]] => [name, '/bin/sh', ['-c', script]];

describe('npm run checks', () => {
  it('runs the type check and the linter over the whole project', () => {
    expect(CHECKS.map(([name, command, args]) => [name, command.split('/').pop(), args])).toEqual([
      ['type check', 'tsc', ['--noEmit']],
      ['lint', 'eslint', ['.']],
    ]);
  });

  it('passes when every check passes, and fails when any one fails, running the others to the end', async () => {
    const written: string[] = [];
    const write = (text: string) => written.push(text);
    const outcomes = await Promise.all([
      runChecks([shell('first', 'exit 0'), shell('second', 'exit 0')], write),
      runChecks([shell('first', 'exit 0'), shell('second', 'exit 2')], write),
      runChecks([shell('first', 'exit 3'), shell('second', 'sleep 0.1; echo finished')], write),
    ]);
    expect(outcomes).toEqual([true, false, false]);
    expect(written.join('')).toContain('finished');
    expect(await runChecks([['missing', '/nonexistent/tool', []]], write)).toBe(false);
    expect(written.at(-1)).toMatch(/> missing: \/nonexistent\/tool could not start/);
  });

  it("prints each check's output whole, under a line naming it and whether it passed", async () => {
    const written: string[] = [];
    const chatty = (name: string, code: number) =>
      shell(name, `for i in 0 1 2 3 4; do echo "${name} line $i"; echo "${name} error $i" >&2; sleep 0.02; done; exit ${code}`);
    await runChecks([chatty('a', 0), chatty('b', 1)], (text) => written.push(text));
    expect(written).toHaveLength(2);
    const [a, b] = ['a', 'b'].map((name) => written.find((text) => text.startsWith(`> ${name}:`))!);
    expect(a).toMatch(/^> a: .* passed\n/);
    expect(b).toMatch(/^> b: .* failed \(exit code 1\)\n/);
    for (const i of [0, 1, 2, 3, 4]) {
      expect(a).toContain(`a line ${i}\n`);
      expect(a).toContain(`a error ${i}\n`);
      expect(b).toContain(`b line ${i}\n`);
    }
  });
});
