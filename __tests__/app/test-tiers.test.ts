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

/** Loads a Jest config file as Jest would, leaving this process's environment as it was. */
function loadConfig(file: string): JestConfig {
  const saved = { ...process.env };
  const path = require.resolve(join(ROOT, file));
  try {
    delete require.cache[path];
    return require(path) as JestConfig;
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** Every test file under __tests__, relative to the project root. */
function testFiles(dir = join(ROOT, '__tests__')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? testFiles(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [relative(ROOT, join(dir, entry.name))] : [],
  );
}

const ignoredBy = (config: JestConfig) => (file: string) => (config.testPathIgnorePatterns ?? []).some((pattern) => new RegExp(pattern).test(`/${file}`));

describe('the test tiers', () => {
  const full = loadConfig('jest.config.js');
  const unit = loadConfig('jest.unit.config.js');
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
    const saved = { SKIP_TERRAFORM: process.env.SKIP_TERRAFORM, tier: process.env[TEST_TIER_VARIABLE] };
    try {
      delete process.env.SKIP_TERRAFORM;
      delete process.env[TEST_TIER_VARIABLE];
      const path = require.resolve(join(ROOT, 'jest.unit.config.js'));
      delete require.cache[path];
      require(path);
      expect({ skip: process.env.SKIP_TERRAFORM, tier: process.env[TEST_TIER_VARIABLE] }).toEqual({ skip: '1', tier: 'unit' });
    } finally {
      for (const [key, value] of [['SKIP_TERRAFORM', saved.SKIP_TERRAFORM], [TEST_TIER_VARIABLE, saved.tier]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  describe('in the unit tier', () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env[TEST_TIER_VARIABLE];
      process.env[TEST_TIER_VARIABLE] = 'unit';
    });
    afterEach(() => {
      if (saved === undefined) delete process.env[TEST_TIER_VARIABLE];
      else process.env[TEST_TIER_VARIABLE] = saved;
    });

    it('a test that starts cdktf synth fails, saying to move it to an e2e file, before starting anything', () => {
      expect(() => cdktfSynth({})).toThrow(/cdktf synth runs as a child process.*\*\.e2e\.test\.ts/);
    });

    it('the guard names what was started', () => {
      expect(() => refuseInUnitTier('the launcher')).toThrow(/^the launcher runs as a child process/);
    });
  });

  it('outside the unit tier the guard lets commands run', () => {
    const saved = process.env[TEST_TIER_VARIABLE];
    delete process.env[TEST_TIER_VARIABLE];
    try {
      expect(() => refuseInUnitTier('cdktf synth')).not.toThrow();
    } finally {
      if (saved !== undefined) process.env[TEST_TIER_VARIABLE] = saved;
    }
  });
});
