import { type BastionConfigInput, ConfigError, type ConfigProblem, parseConfig } from '../../modules/config';
import { architectureOfInstanceType, rateHours, scheduleProblem, timeZoneProblem } from '../../modules/config/ec2-facts';

const EC2_ONLY: BastionConfigInput = { stacks: ['ec2-bastion'] };

function problems(input: BastionConfigInput): ConfigProblem[] {
  try {
    parseConfig({ ...EC2_ONLY, ...input });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

function problemAt(input: BastionConfigInput, path: string): ConfigProblem {
  const found = problems(input).filter((p) => p.path === path);
  if (found.length !== 1) throw new Error(`expected one problem at ${path}, got ${JSON.stringify(problems(input))}`);
  return found[0];
}

const patching = (settings: NonNullable<NonNullable<BastionConfigInput['ec2']>['patching']>): BastionConfigInput => ({ ec2: { patching: settings } });

describe('the ec2 configuration', () => {
  it('accepts the defaults: a t4g.nano on arm64, patched Sundays at 03:00 UTC, patch group = namePrefix', () => {
    const config = parseConfig({ ...EC2_ONLY, namePrefix: 'ops-bastion' });
    expect(config.ec2).toMatchObject({ instanceType: 't4g.nano', architecture: 'arm64', createAccountSessionDocument: false });
    expect(config.ec2.patching).toMatchObject({
      schedule: 'cron(0 3 ? * SUN *)',
      timezone: 'UTC',
      rebootOption: 'RebootIfNeeded',
      approveAfterDays: 7,
      patchGroup: 'ops-bastion',
    });
  });

  describe('instance type and architecture', () => {
    it.each([
      ['t3.nano', 'arm64'],
      ['m7i.large', 'arm64'],
      ['t4g.small', 'x86_64'],
      ['c7gn.medium', 'x86_64'],
    ])('refuses %s with architecture %s, at ec2.instanceType', (instanceType, architecture) => {
      const problem = problemAt({ ec2: { instanceType, architecture: architecture as 'arm64' | 'x86_64' } }, 'ec2.instanceType');
      expect(problem.value).toBe(instanceType);
      expect(problem.message).toContain(`ec2.architecture is ${architecture}`);
    });

    it('accepts a matching pair in either architecture', () => {
      expect(problems({ ec2: { instanceType: 't3.micro', architecture: 'x86_64' } })).toEqual([]);
      expect(problems({ ec2: { instanceType: 'm7g.large', architecture: 'arm64' } })).toEqual([]);
    });

    it('refuses EC2 Mac types, which cannot run Amazon Linux 2023', () => {
      expect(problemAt({ ec2: { instanceType: 'mac2.metal', architecture: 'x86_64' } }, 'ec2.instanceType').message).toMatch(/macOS/);
    });

    it('refuses an architecture other than arm64 and x86_64, at ec2.architecture', () => {
      expect(problemAt({ ec2: { architecture: 'aarch64' as 'arm64' } }, 'ec2.architecture').message).toBe('must be "arm64" or "x86_64"');
    });

    it.each([
      ['t4g.nano', 'arm64'],
      ['a1.medium', 'arm64'],
      ['im4gn.large', 'arm64'],
      ['g5g.xlarge', 'arm64'],
      ['g4dn.xlarge', 'x86_64'],
      ['g4ad.xlarge', 'x86_64'],
      ['u-6tb1.metal', 'x86_64'],
    ])('knows %s is %s', (instanceType, architecture) => {
      expect(architectureOfInstanceType(instanceType)).toBe(architecture);
    });
  });

  describe('patching schedule', () => {
    it.each([
      ['cron(0 3 ? * SUN *)'],
      ['cron(30 23 ? * TUE#3 *)'],
      ['cron(0 2 L * ? *)'],
      ['cron(15 10 ? * 6L *)'],
      ['cron(0 4 ? * MON-FRI *)'],
      ['cron(24 30 09 ? * * *)'],
      ['rate(7 days)'],
      ['rate(1 day)'],
    ])('accepts %s', (schedule) => {
      expect(problems(patching({ schedule }))).toEqual([]);
    });

    it.each([
      ['0 3 * * 0', /cron\(\.\.\.\) or rate\(\.\.\.\)/],
      ['cron(0 3 * * 0)', /6 fields/],
      ['cron(0 3 * * SUN *)', /exactly one of day-of-month and day-of-week/],
      ['cron(0 3 ? * ? *)', /exactly one of day-of-month and day-of-week/],
      ['cron(61 3 ? * SUN *)', /minutes must be 0 to 59/],
      ['cron(0 24 ? * SUN *)', /hours must be 0 to 23/],
      ['cron(0 3 ? 13 SUN *)', /month must be 1 to 12/],
      ['cron(0 3 ? * FUNDAY *)', /day-of-week/],
      ['cron(0 3 32 * ? *)', /day-of-month must be 1 to 31/],
      ['cron(0 0 3 ? * SUN *)', /seconds field/],
      ['rate(1 days)', /use "day" with 1/],
      ['rate(2 day)', /use "days" with 2/],
      ['rate(0 days)', /at least 1/],
      ['rate(2 weeks)', /cron\(\.\.\.\) or rate\(\.\.\.\)/],
      ['at(2026-12-24T03:00:00)', /runs once/],
    ])('refuses %s at ec2.patching.schedule', (schedule, message) => {
      const problem = problemAt(patching({ schedule }), 'ec2.patching.schedule');
      expect(problem.value).toBe(schedule);
      expect(problem.message).toMatch(message);
    });

    it('refuses a rate that starts a window before the previous one ended', () => {
      const problem = problemAt(patching({ schedule: 'rate(2 hours)', durationHours: 3, cutoffHours: 1 }), 'ec2.patching.schedule');
      expect(problem.message).toMatch(/every 2 hours.*durationHours \(3 hours\)/);
      expect(problems(patching({ schedule: 'rate(3 hours)', durationHours: 3, cutoffHours: 1 }))).toEqual([]);
    });

    it('computes rate intervals in hours and leaves cron alone', () => {
      expect(rateHours('rate(30 minutes)')).toBe(0.5);
      expect(rateHours('rate(2 days)')).toBe(48);
      expect(rateHours('cron(0 3 ? * SUN *)')).toBeUndefined();
      expect(scheduleProblem('cron(0/15 * ? * MON-FRI *)')).toBeUndefined();
    });
  });

  describe('patching time zone', () => {
    it.each([['UTC'], ['Europe/Berlin'], ['America/Argentina/Buenos_Aires'], ['Asia/Kolkata'], ['Etc/GMT+5']])('accepts %s', (timezone) => {
      expect(problems(patching({ timezone }))).toEqual([]);
    });

    it.each([
      ['Mars/Olympus', /IANA time zone name/],
      ['CET', /abbreviations/],
      ['EST', /abbreviations/],
      ['Berlin', /IANA time zone name/],
      ['europe/berlin', /case-sensitive: use "Europe\/Berlin"/],
      ['Europe/BERLIN', /case-sensitive: use "Europe\/Berlin"/],
    ])('refuses %s at ec2.patching.timezone', (timezone, message) => {
      const problem = problemAt(patching({ timezone }), 'ec2.patching.timezone');
      expect(problem.value).toBe(timezone);
      expect(problem.message).toMatch(message);
    });

    it('knows UTC without asking Intl', () => {
      expect(timeZoneProblem('UTC')).toBeUndefined();
    });
  });

  describe('patching window and baseline settings', () => {
    it('refuses a cutoff that leaves no time to start a task, at ec2.patching.cutoffHours', () => {
      expect(problemAt(patching({ durationHours: 2, cutoffHours: 2 }), 'ec2.patching.cutoffHours').message).toMatch(
        /less than ec2.patching.durationHours \(2\)/,
      );
    });

    it('refuses an unknown reboot option, naming the two allowed values', () => {
      const problem = problemAt(patching({ rebootOption: 'RebootAlways' as 'NoReboot' }), 'ec2.patching.rebootOption');
      expect(problem.value).toBe('RebootAlways');
      expect(problem.message).toBe('must be "RebootIfNeeded" or "NoReboot"');
    });

    it('refuses approval delays Patch Manager does not accept', () => {
      expect(problems(patching({ approveAfterDays: 361 })).map((p) => p.path)).toEqual(['ec2.patching.approveAfterDays']);
      expect(problems(patching({ approveAfterDays: -1 })).map((p) => p.path)).toEqual(['ec2.patching.approveAfterDays']);
    });

    it('refuses a patch group with characters Systems Manager does not accept', () => {
      expect(problemAt(patching({ patchGroup: 'bastion#1' }), 'ec2.patching.patchGroup').message).toMatch(/letters, digits/);
    });

    it('refuses an unknown key in ec2.patching (a typo)', () => {
      expect(problems(patching({ schedul: 'rate(7 days)' } as never)).map((p) => p.path)).toEqual(['ec2.patching.schedul']);
    });

    it('reports every problem at once', () => {
      const found = problems({
        ec2: { instanceType: 't3.nano', patching: { schedule: 'weekly', timezone: 'CET', durationHours: 1, cutoffHours: 1 } },
      }).map((p) => p.path);
      expect(found).toEqual(expect.arrayContaining(['ec2.instanceType', 'ec2.patching.schedule', 'ec2.patching.timezone', 'ec2.patching.cutoffHours']));
    });
  });

  describe('tags on an instance with tags in instance metadata', () => {
    it.each([['Cost Center'], ['team/owner']])('refuses the tag key %j, at its path under tags', (key) => {
      const problem = problemAt({ tags: { [key]: 'x' } }, `tags[${JSON.stringify(key)}]`);
      expect(problem.message).toMatch(/instance metadata/);
    });

    it('accepts keys made of letters, digits and + - = . _ : @', () => {
      expect(problems({ tags: { CostCenter: 'x', 'team:owner': 'ops', 'a.b_c-d=e+f@g': 'y' } })).toEqual([]);
    });

    it('leaves such tags alone when only the ecs-bastion stack is synthesized', () => {
      expect(problems({ stacks: ['ecs-bastion'], tags: { 'Cost Center': 'x' }, ec2: { instanceType: 't3.nano' } })).toEqual([]);
    });
  });
});
