/**
 * `npm run test:unit` (jest.unit.config.js) is the red-green loop: every file but the end-to-end ones
 * (`*.e2e.test.ts`), with the Terraform stage skipped. `npm test` (jest.config.js) runs every file.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cdktfSynth, refuseInUnitTier, TEST_TIER_VARIABLE } from '../support/cdktf-cli';

const ROOT = join(__dirname, '..', '..');

interface JestConfig {
  testMatch: string[];
  testPathIgnorePatterns?: string[];
  runner: string;
  maxWorkers: number;
}

/** Runs `run` with the given variables set (undefined: unset), then puts the whole environment back as it was. */
function withEnv<T>(changes: Record<string, string | undefined>, run: () => T): T {
  const saved = { ...process.env };
  try {
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    return run();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** Loads a Jest config file afresh, as Jest would, in an environment with `changes`: the config and the environment it leaves. */
function loadConfig(file: string, changes: Record<string, string | undefined> = {}): { config: JestConfig; env: NodeJS.ProcessEnv } {
  const path = require.resolve(join(ROOT, file));
  return withEnv(changes, () => {
    delete require.cache[path];
    return { config: require(path) as JestConfig, env: { ...process.env } };
  });
}

/** Every test file under __tests__, relative to the project root. */
function testFiles(dir = join(ROOT, '__tests__')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? testFiles(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [relative(ROOT, join(dir, entry.name))] : [],
  );
}

const ignoredBy = (config: JestConfig) => (file: string) => (config.testPathIgnorePatterns ?? []).some((pattern) => new RegExp(pattern).test(`/${file}`));

describe('the test tiers', () => {
  const full = loadConfig('jest.config.js').config;
  const unit = loadConfig('jest.unit.config.js').config;
  const files = testFiles();

  it('npm test runs every test file', () => {
    expect(files.filter(ignoredBy(full))).toEqual([]);
  });

  it('npm run test:unit leaves out exactly the end-to-end files', () => {
    const e2e = files.filter((file) => file.endsWith('.e2e.test.ts'));
    expect(e2e.length).toBeGreaterThanOrEqual(4);
    expect(files.filter(ignoredBy(unit)).sort()).toEqual(e2e.sort());
  });

  it('npm run test:unit is the full configuration otherwise: same runner, workers and files', () => {
    const { testPathIgnorePatterns: _unitIgnores, ...unitRest } = unit;
    const { testPathIgnorePatterns: _fullIgnores, ...fullRest } = full;
    expect(unitRest).toEqual(fullRest);
  });

  it('npm run test:unit skips the Terraform stage and marks its workers as the unit tier', () => {
    const { env } = loadConfig('jest.unit.config.js', { SKIP_TERRAFORM: undefined, [TEST_TIER_VARIABLE]: undefined });
    expect({ skip: env.SKIP_TERRAFORM, tier: env[TEST_TIER_VARIABLE] }).toEqual({ skip: '1', tier: 'unit' });
  });

  describe('in the unit tier', () => {
    const inUnitTier = (run: () => void) => withEnv({ [TEST_TIER_VARIABLE]: 'unit' }, run);

    it('a test that starts cdktf synth fails, saying to move it to an e2e file, before starting anything', () => {
      inUnitTier(() => expect(() => cdktfSynth({})).toThrow(/cdktf synth runs as a child process.*\*\.e2e\.test\.ts/));
    });

    it('the guard names what was started', () => {
      inUnitTier(() => expect(() => refuseInUnitTier('the launcher')).toThrow(/^the launcher runs as a child process/));
    });
  });

  it('outside the unit tier the guard lets commands run', () => {
    withEnv({ [TEST_TIER_VARIABLE]: undefined }, () => expect(() => refuseInUnitTier('cdktf synth')).not.toThrow());
  });
});
