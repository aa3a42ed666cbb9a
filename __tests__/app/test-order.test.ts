/**
 * The order Jest hands the files to the runner (__tests__/support/sequencer.js): Jest's own, but the slow
 * files first even when Jest knows no durations (a fresh clone orders by file size, and the three-line
 * Terraform scenario files would come last).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface FakeTest {
  path: string;
  duration?: number;
  context: { config: { cache: boolean; id: string }; hasteFS: { getSize: (path: string) => number } };
}

type SequencerClass = new (options: { contexts: unknown[]; globalConfig: unknown }) => {
  sort: (tests: FakeTest[]) => FakeTest[];
  time: (test: FakeTest) => number | undefined;
  hasFailed: (test: FakeTest) => boolean;
};
const SlowFilesFirst = require(join(ROOT, '__tests__', 'support', 'sequencer.js')) as SequencerClass & { isSlow: (path: string) => boolean };

/** Files by path (below __tests__/) with their size, and what Jest remembers of each: its duration, whether it failed. */
function order(files: [path: string, size: number, last?: { duration: number; failed?: boolean }][]): string[] {
  const sizes = new Map(files.map(([path, size]) => [join(ROOT, '__tests__', path), size]));
  const remembered = new Map(files.map(([path, , last]) => [join(ROOT, '__tests__', path), last]));
  const context = { config: { cache: false, id: 'test-order' }, hasteFS: { getSize: (path: string) => sizes.get(path) ?? 0 } };
  const sequencer = new SlowFilesFirst({ contexts: [context], globalConfig: {} });
  // What Jest's sequencer reads from its cache of the last run.
  sequencer.time = (test) => remembered.get(test.path)?.duration;
  sequencer.hasFailed = (test) => remembered.get(test.path)?.failed === true;
  const tests: FakeTest[] = [...sizes.keys()].map((path) => ({ path, context }));
  return sequencer.sort(tests).map((test) => relative(join(ROOT, '__tests__'), test.path));
}

describe('the order of the test files', () => {
  it('with no durations known (a fresh clone): the slow files first, the Terraform scenarios before the other slow ones, the rest largest first', () => {
    expect(
      order([
        ['config/load.test.ts', 9000],
        ['terraform/ecs-bastion.new-vpc.test.ts', 3],
        ['hcl/handoff-writer.test.ts', 4000],
        ['cli/bin.e2e.test.ts', 2000],
        ['terraform/provider-server.test.ts', 5000],
        ['naming/rules.test.ts', 100],
      ]),
    ).toEqual([
      'terraform/ecs-bastion.new-vpc.test.ts',
      'terraform/provider-server.test.ts',
      'hcl/handoff-writer.test.ts',
      'cli/bin.e2e.test.ts',
      'config/load.test.ts',
      'naming/rules.test.ts',
    ]);
  });

  it("with durations known: Jest's order (slowest first), and a file that failed last time before all", () => {
    const files: [string, number, { duration: number; failed?: boolean }][] = [
      ['config/load.test.ts', 9000, { duration: 800 }],
      ['terraform/ecs-bastion.new-vpc.test.ts', 3, { duration: 28_000 }],
      ['hcl/handoff-writer.test.ts', 4000, { duration: 32_000 }],
      ['naming/rules.test.ts', 100, { duration: 400, failed: true }],
    ];
    // The measured durations, not the estimates, order the slow files once Jest has them.
    expect(order(files)).toEqual(['naming/rules.test.ts', 'hcl/handoff-writer.test.ts', 'terraform/ecs-bastion.new-vpc.test.ts', 'config/load.test.ts']);
  });

  it('with some durations known: a slow file not yet timed takes its estimate among those timed', () => {
    expect(
      order([
        ['terraform/ec2-bastion.new-vpc.test.ts', 3, { duration: 45_000 }],
        ['terraform/ecs-bastion.existing-vpc.test.ts', 3],
        ['app/synth-command.e2e.test.ts', 2000, { duration: 15_000 }],
        ['cli/bin.e2e.test.ts', 1000],
        ['config/load.test.ts', 9000],
      ]),
    ).toEqual(['terraform/ecs-bastion.existing-vpc.test.ts', 'terraform/ec2-bastion.new-vpc.test.ts', 'app/synth-command.e2e.test.ts', 'cli/bin.e2e.test.ts', 'config/load.test.ts']);
  });

  it('counts as slow every Terraform scenario file and end-to-end file of this checkout, and no unit file', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
    const tests = files(join(ROOT, '__tests__')).filter((path) => path.endsWith('.test.ts'));
    const slow = tests.filter((path) => SlowFilesFirst.isSlow(path)).map((path) => relative(join(ROOT, '__tests__'), path));
    const scenarios = readdirSync(join(ROOT, '__tests__', 'terraform')).filter((name) => /-vpc\.test\.ts$/.test(name));
    expect(scenarios.length).toBe(4);
    expect(slow.sort()).toEqual(
      [
        ...scenarios.map((name) => `terraform/${name}`),
        'terraform/provider-server.test.ts',
        'hcl/handoff-writer.test.ts',
        ...tests.filter((path) => path.endsWith('.e2e.test.ts')).map((path) => relative(join(ROOT, '__tests__'), path)),
      ].sort(),
    );
    expect(slow).not.toContain('terraform/schema-trim.test.ts');
  });

  it("is Jest's sequencer in npm test (test-tiers.test.ts checks that npm run test:unit takes the same configuration)", () => {
    expect((require(join(ROOT, 'jest.config.js')) as { testSequencer?: string }).testSequencer).toBe('<rootDir>/__tests__/support/sequencer.js');
  });
});
