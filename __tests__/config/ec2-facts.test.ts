import type { BastionConfigInput } from '../../modules/config';
import { _InstanceType } from '@aws-sdk/client-ec2';
import { architectureOfInstanceType, instanceTypeShapeProblem, isMacInstanceType, scheduleProblem, timeZoneProblem } from '../../modules/config/ec2-facts';
import { synthStack } from '../support/synth';
import { problemPaths } from './support';

/**
 * The tables behind the EC2 settings, exhaustively: every cron field at and beyond its bounds, every Graviton
 * family, and the configuration's checks against the validations of the Terraform variables a Terraform-only
 * team changes instead (ec2_instance_type, patch_schedule, patch_timezone): what the configuration accepts, the
 * variable must accept too, with the same architecture verdict.
 */

// Systems Manager's cron (EventBridge): minutes hours day-of-month month day-of-week year; names as AWS documents.
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const CRON_FIELDS = [
  { position: 0, name: 'minutes', min: 0, max: 59 },
  { position: 1, name: 'hours', min: 0, max: 23 },
  { position: 2, name: 'day-of-month', min: 1, max: 31 },
  { position: 3, name: 'month', min: 1, max: 12, names: MONTHS },
  { position: 4, name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS },
  { position: 5, name: 'year', min: 1970, max: 2199 },
] as const;

/** A valid schedule with one field replaced; the other day field is "?" so exactly one of the two is. */
function cronWith(position: number, value: string): string {
  const fields = ['0', '3', '?', '*', 'SUN', '*'];
  fields[position] = value;
  if (position === 2) fields[4] = '?';
  return `cron(${fields.join(' ')})`;
}

const range = (min: number, max: number) => Array.from({ length: max - min + 1 }, (_, i) => min + i);

describe('the cron fields of the patch schedule', () => {
  describe.each(CRON_FIELDS)('$name', (field) => {
    const names = 'names' in field ? field.names : undefined;
    const bounds = `${field.name} must be ${field.min} to ${field.max}${names ? ` or ${names[0]}-${names.at(-1)}` : ''}`;

    it(`accepts every value from ${field.min} to ${field.max}, alone, as a range, a list and with an increment`, () => {
      const accepted = range(field.min, field.max).flatMap((v) => [String(v), `${field.min}-${v}`, `${v},${field.max}`, `${v}/1`]);
      expect(accepted.filter((value) => scheduleProblem(cronWith(field.position, value)) !== undefined)).toEqual([]);
      expect(scheduleProblem(cronWith(field.position, '*'))).toBeUndefined();
      expect(scheduleProblem(cronWith(field.position, `*/${field.max - field.min + 1}`))).toBeUndefined();
    });

    it('refuses one below and one above its bounds, alone and inside ranges and lists, naming the bound', () => {
      for (const bad of [field.min - 1, field.max + 1]) {
        if (bad < 0) continue;
        for (const value of [String(bad), `${field.min}-${bad}`, `${bad}-${field.max}`, `${field.min},${bad}`, `${bad}/5`]) {
          expect({ value, problem: scheduleProblem(cronWith(field.position, value)) }).toEqual({ value, problem: `${bounds}, found "${bad}"` });
        }
      }
    });

    it('refuses malformed increments and ranges', () => {
      expect(scheduleProblem(cronWith(field.position, `${field.min}/0`))).toBe(`${field.name} increment "0" must be a positive number`);
      expect(scheduleProblem(cronWith(field.position, '*/x'))).toBe(`${field.name} increment "x" must be a positive number`);
      expect(scheduleProblem(cronWith(field.position, `${field.min}/1/2`))).toBe(`${field.name} "${field.min}/1/2" is malformed`);
      expect(scheduleProblem(cronWith(field.position, `${field.min}-${field.min}-${field.max}`))).toBe(`${field.name} "${field.min}-${field.min}-${field.max}" is malformed`);
    });

    if (names) {
      it(`accepts ${names[0]} to ${names.at(-1)} for ${field.min} to ${field.max}, in any case, and nothing else`, () => {
        const accepted = names.flatMap((name) => [name, name.toLowerCase(), `${names[0]}-${name}`]);
        expect(accepted.filter((value) => scheduleProblem(cronWith(field.position, value)) !== undefined)).toEqual([]);
        for (const bad of ['XYZ', `${names[0]}X`, names[0].slice(0, 2)]) {
          expect(scheduleProblem(cronWith(field.position, bad))).toBe(`${bounds}, found "${bad}"`);
        }
      });
    }
  });

  it('accepts the special forms of the day fields AWS documents, and refuses their out-of-range variants', () => {
    const dayOfMonth = ['L', 'L-3', '15W', 'LW', '1W', '31W'];
    const dayOfWeek = ['L', '1L', '7L', '2#1', '6#5', 'MONL', 'FRI#3', 'SAT#5'];
    expect(dayOfMonth.filter((value) => scheduleProblem(cronWith(2, value)) !== undefined)).toEqual([]);
    expect(dayOfWeek.filter((value) => scheduleProblem(cronWith(4, value)) !== undefined)).toEqual([]);
    for (const bad of ['8L', '0L', '2#6', '2#0', 'FUNL']) expect({ bad, problem: scheduleProblem(cronWith(4, bad)) }).toEqual({ bad, problem: expect.any(String) });
    for (const bad of ['L-', 'W', 'LL']) expect({ bad, problem: scheduleProblem(cronWith(2, bad)) }).toEqual({ bad, problem: expect.any(String) });
  });

  it('accepts a leading seconds field from 1 to 59 only', () => {
    expect(range(1, 59).filter((s) => scheduleProblem(`cron(${s} 0 3 ? * SUN *)`) !== undefined)).toEqual([]);
    for (const bad of ['0', '60', '*', 'x']) {
      expect(scheduleProblem(`cron(${bad} 0 3 ? * SUN *)`)).toBe('the optional seconds field of a maintenance window cron expression must be 1 to 59 (0 is not supported)');
    }
  });

  it('refuses any other number of fields', () => {
    for (const count of [1, 2, 3, 4, 5, 8]) {
      expect(scheduleProblem(`cron(${Array.from({ length: count }, () => '1').join(' ')})`)).toBe(
        `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), found ${count}`,
      );
    }
  });

  it('accepts every rate with its unit in the right number, and refuses the wrong number', () => {
    for (const unit of ['minute', 'hour', 'day']) {
      expect(scheduleProblem(`rate(1 ${unit})`)).toBeUndefined();
      expect(scheduleProblem(`rate(1 ${unit}s)`)).toBe(`use "${unit}" with 1`);
      for (const n of [2, 7, 30, 365]) {
        expect(scheduleProblem(`rate(${n} ${unit}s)`)).toBeUndefined();
        expect(scheduleProblem(`rate(${n} ${unit})`)).toBe(`use "${unit}s" with ${n}`);
      }
    }
  });
});

/** Real instance types, by architecture (AWS's instance type pages); Graviton families carry a "g" after the generation. */
const ARM64_TYPES = [
  'a1.medium', 'a1.metal', 't4g.nano', 't4g.2xlarge', 'm6g.medium', 'm6g.metal', 'm6gd.large', 'm7g.large', 'm7gd.xlarge', 'm8g.large', 'm8gd.large',
  'c6g.large', 'c6gd.large', 'c6gn.large', 'c7g.large', 'c7gd.large', 'c7gn.large', 'c8g.large', 'r6g.large', 'r6gd.large', 'r7g.large',
  'r7gd.large', 'r8g.large', 'x2gd.large', 'x8g.large', 'im4gn.large', 'is4gen.large', 'i4g.large', 'i8g.large', 'g5g.xlarge', 'hpc7g.4xlarge',
];
const X86_64_TYPES = [
  't3.nano', 't3a.nano', 'm5.large', 'm5a.large', 'm5ad.large', 'm5d.large', 'm5dn.large', 'm5n.large', 'm5zn.large', 'm6i.large',
  'm6id.large', 'm6idn.large', 'm6in.large', 'm6a.large', 'm7i.large', 'm7i-flex.large', 'm7a.large', 'c5.large', 'c5a.large', 'c5n.large',
  'c6i.large', 'c6a.large', 'c6in.large', 'c7i.large', 'c7i-flex.large', 'c7a.large', 'r5.large', 'r5b.large', 'r6i.large', 'r7i.large',
  'r7iz.large', 'x1.16xlarge', 'x1e.xlarge', 'x2idn.16xlarge', 'x2iedn.xlarge', 'x2iezn.2xlarge', 'z1d.large', 'i3.large', 'i3en.large',
  'i4i.large', 'd2.xlarge', 'd3.xlarge', 'd3en.xlarge', 'h1.2xlarge', 'g4dn.xlarge', 'g4ad.xlarge', 'g5.xlarge', 'g6.xlarge', 'g6e.xlarge',
  'gr6.4xlarge', 'p3.2xlarge', 'p4d.24xlarge', 'p5.48xlarge', 'inf1.xlarge', 'inf2.xlarge', 'trn1.2xlarge', 'trn1n.32xlarge', 'dl1.24xlarge',
  'f1.2xlarge', 'vt1.3xlarge', 'hpc6a.48xlarge', 'hpc6id.32xlarge', 'hpc7a.12xlarge', 'u-6tb1.metal', 'u-12tb1.112xlarge', 'u7i-12tb.224xlarge',
];
const MAC_TYPES = ['mac1.metal', 'mac2.metal', 'mac2-m2.metal', 'mac2-m2pro.metal', 'mac-m4.metal', 'mac-m4pro.metal'];
// Real x86_64 types that cannot be EBS-optimized: EC2 refuses to launch them as the bastion is launched.
const NOT_EBS_OPTIMIZABLE = ['t2.micro', 't2.nano', 't2.2xlarge', 't1.micro'];
// Not instance types at all: the shape a configuration or variable used to accept, and EC2 refused at launch.
const MADE_UP = ['foo.bar', 't4g.bogus', 't3.nanoo', 'm7g.metal-xl', 'x.large', 't3.2xlarg', 'c7i.flex-large', 't4g.0xlarge'];
// Real sizes with a hyphen (the bare-metal sizes of newer families).
const HYPHENATED_ARM64 = ['m8g.metal-24xl', 'c8g.metal-48xl'];
const HYPHENATED_X86_64 = ['m7i.metal-24xl', 'c7i.metal-48xl', 'r7iz.metal-16xl'];

/** The paths the configuration refuses an EC2 bastion at, or undefined when it accepts it. */
function configRefusal(input: BastionConfigInput): string | undefined {
  return problemPaths({ stacks: ['ec2-bastion'], ...input }).join(', ') || undefined;
}

/** The regexes and verdict of the ec2_instance_type validation of a synthesized stack, evaluated as Terraform would. */
function instanceTypeValidation(architecture: 'arm64' | 'x86_64'): (type: string) => boolean {
  const { tf } = synthStack('ec2-bastion', { ec2: { architecture, instanceType: architecture === 'arm64' ? 't4g.nano' : 't3.nano' } });
  const [{ condition }] = tf.variable!.ec2_instance_type.validation as { condition: string }[];
  const regexes = [...condition.matchAll(/(!?)can\(regex\("([^"]+)", var\.ec2_instance_type\)\)/g)].map((m) => ({ negated: m[1] === '!', pattern: new RegExp(m[2]) }));
  const notMac = condition.includes('!startswith(var.ec2_instance_type, "mac")');
  const expected = architecture === 'arm64' ? /^\$\{can\(regex\("[^"]+", var\.ec2_instance_type\)\)\}$/ : /^\$\{can\(regex\(.*\)\) && !can\(regex\(.*\)\) && !startswith\(var\.ec2_instance_type, "mac"\)\}$/;
  expect(condition).toMatch(expected);
  return (type) => regexes.every(({ negated, pattern }) => pattern.test(type) !== negated) && (!notMac || !type.startsWith('mac'));
}

describe('instance types and architectures', () => {
  it.each([...ARM64_TYPES, ...HYPHENATED_ARM64])('%s is arm64 (Graviton)', (type) => {
    expect(architectureOfInstanceType(type)).toBe('arm64');
    expect(isMacInstanceType(type)).toBe(false);
  });

  it.each([...X86_64_TYPES, ...HYPHENATED_X86_64])('%s is x86_64', (type) => {
    expect(architectureOfInstanceType(type)).toBe('x86_64');
    expect(isMacInstanceType(type)).toBe(false);
  });

  it.each(MAC_TYPES)('%s is an EC2 Mac type, refused in either architecture', (type) => {
    expect(isMacInstanceType(type)).toBe(true);
    expect(configRefusal({ ec2: { instanceType: type, architecture: 'x86_64' } })).toBe('ec2.instanceType');
    expect(configRefusal({ ec2: { instanceType: type, architecture: 'arm64' } })).toBe('ec2.instanceType');
  });

  it.each(MADE_UP)('%s is no instance type: refused in either architecture', (type) => {
    expect(instanceTypeShapeProblem(type)).toMatch(/^is not an EC2 instance type/);
    expect(configRefusal({ ec2: { instanceType: type, architecture: 'x86_64' } })).toBe('ec2.instanceType');
    expect(configRefusal({ ec2: { instanceType: type, architecture: 'arm64' } })).toBe('ec2.instanceType');
  });

  it.each(NOT_EBS_OPTIMIZABLE)('%s cannot be EBS-optimized: refused', (type) => {
    expect(instanceTypeShapeProblem(type)).toMatch(/cannot be EBS-optimized/);
    expect(configRefusal({ ec2: { instanceType: type, architecture: 'x86_64' } })).toBe('ec2.instanceType');
  });

  it('knows the shape of every instance type the EC2 API lists (the SDK model), so none is refused for its name', () => {
    const all = Object.values(_InstanceType) as string[];
    expect(all.length).toBeGreaterThan(1000);
    expect(all.filter((type) => instanceTypeShapeProblem(type)?.startsWith('is not'))).toEqual([]);
  });

  describe.each(['arm64', 'x86_64'] as const)('the ec2_instance_type variable of an %s bastion', (architecture) => {
    const variableAccepts = instanceTypeValidation(architecture);

    it('refuses what the configuration refuses for its shape, and every type the EC2 API lists as the configuration does', () => {
      for (const type of [...MADE_UP, ...NOT_EBS_OPTIMIZABLE]) expect({ type, accepted: variableAccepts(type) }).toEqual({ type, accepted: false });
      const all = Object.values(_InstanceType) as string[];
      const differ = all.filter((type) => variableAccepts(type) !== (configRefusal({ ec2: { instanceType: type, architecture } }) === undefined));
      expect(differ).toEqual([]);
    });

    it('gives every real instance type the verdict of the configuration', () => {
      const verdicts = [...ARM64_TYPES, ...X86_64_TYPES, ...MAC_TYPES, ...HYPHENATED_ARM64, ...HYPHENATED_X86_64, ...NOT_EBS_OPTIMIZABLE].map((type) => ({
        type,
        configuration: configRefusal({ ec2: { instanceType: type, architecture } }) === undefined,
        variable: variableAccepts(type),
      }));
      expect(verdicts.filter((v) => v.configuration !== v.variable)).toEqual([]);
      const accepted = verdicts.filter((v) => v.variable).map((v) => v.type);
      expect(accepted).toEqual(architecture === 'arm64' ? [...ARM64_TYPES, ...HYPHENATED_ARM64] : [...X86_64_TYPES, ...HYPHENATED_X86_64]);
    });
  });
});

describe('the patch_schedule and patch_timezone variables', () => {
  const { tf } = synthStack('ec2-bastion');
  const regexOf = (name: string) => {
    const [{ condition }] = tf.variable![name].validation as { condition: string }[];
    const match = new RegExp(`^\\$\\{can\\(regex\\("([^"]+)", var\\.${name}\\)\\)\\}$`).exec(condition);
    expect(match).not.toBeNull();
    return new RegExp(match![1]);
  };

  // Forms beyond plain numbers, each accepted by the configuration (checked below): the special forms of the
  // day fields, lists, ranges, increments, a seven-field cron, spacing, and rates with leading zeros.
  const FORMS = [
    'cron(0/15 * ? * MON-FRI *)',
    'cron(30 23 ? * TUE#3 *)',
    'cron(24 30 09 ? * * *)',
    ...['L', 'LW', '15W', 'L-3', '1,15', '1-7', '*/2', '*'].map((day) => cronWith(2, day)),
    ...['5L', 'L', 'FRI#2', 'SATL', 'MON-FRI', 'MON,WED,FRI', '2-6', '*'].map((day) => cronWith(4, day)),
    'cron(0,30 1-5/2 ? JAN-JUN,DEC SUN 2027-2030)',
    'cron( 0 3 ? * SUN * )',
    'cron(0  3 ? *  SUN *)',
    ...['minute', 'hour', 'day'].flatMap((unit) => [`rate(1 ${unit})`, `rate(12 ${unit}s)`, `rate(01 ${unit})`, `rate(100 ${unit}s)`]),
  ];

  it('the configuration accepts every form the variable is checked with', () => {
    expect(FORMS.filter((expression) => scheduleProblem(expression) !== undefined)).toEqual([]);
  });

  it('accept every schedule the configuration accepts', () => {
    const schedule = regexOf('patch_schedule');
    const accepted = [
      ...CRON_FIELDS.flatMap((field) => range(field.min, field.max).map((v) => cronWith(field.position, String(v)))),
      ...FORMS,
    ].filter((expression) => scheduleProblem(expression) === undefined);
    expect(accepted.length).toBeGreaterThan(300);
    expect(accepted.filter((expression) => !schedule.test(expression))).toEqual([]);
  });

  it('refuse the schedules Systems Manager refuses for their shape, as the configuration does', () => {
    const schedule = regexOf('patch_schedule');
    const refused = [
      'cron(0 3 * * SUN *)', // both day fields set
      'cron(0 3 ? * ? *)', // neither
      'cron(0 3 * * * *)',
      'cron(0 3 ? * SUN)', // five fields
      'cron(0 0 3 ? * SUN * *)', // eight
      'cron(0 0 3 ? * SUN *)', // a seconds field of 0
      'rate(1 days)',
      'rate(2 day)',
      'rate(0 minutes)',
      'rate(7 weeks)',
      'at(2026-12-06T03:00:00)',
      'weekly',
      'cron(0\t3 ? * SUN *)', // white space other than spaces
      'cron(0 3\u00a0? * SUN *)',
    ];
    expect(refused.filter((expression) => scheduleProblem(expression) === undefined)).toEqual([]);
    expect(refused.filter((expression) => schedule.test(expression))).toEqual([]);
  });

  it('accept every time zone of the runtime’s IANA database that the configuration accepts', () => {
    const timezone = regexOf('patch_timezone');
    const accepted = ['UTC', ...Intl.supportedValuesOf('timeZone')].filter((zone) => timeZoneProblem(zone) === undefined);
    expect(accepted.length).toBeGreaterThan(300);
    expect(accepted.filter((zone) => !timezone.test(zone))).toEqual([]);
  });

  it('refuse abbreviations and bare regions, as the configuration does', () => {
    const timezone = regexOf('patch_timezone');
    const refused = ['CET', 'EST', 'Europe', 'GMT', 'Europe Berlin', 'europe/berlin', ''];
    expect(refused.filter((zone) => timeZoneProblem(zone) === undefined)).toEqual([]);
    expect(refused.filter((zone) => timezone.test(zone))).toEqual([]);
  });
});
