/**
 * Architecture of an EC2 instance type from its family name. AWS Graviton families carry a "g" right after
 * the generation digit (t4g, m7g, c7gn, r8gd, im4gn, is4gen, x2gd, hpc7g, g5g); a1 is the first Graviton.
 * Everything else (t3, m7i, c7a, g4dn, inf2, …) is x86_64. Apple-silicon mac types are not supported.
 */
export function architectureOfInstanceType(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0];
  return family === 'a1' || /^[a-z]+\d+g/.test(family) ? 'arm64' : 'x86_64';
}

/** True for EC2 Mac families (mac1, mac2, mac2-m2pro, mac-m4, …): dedicated hosts with macOS AMIs, not Amazon Linux. */
export function isMacInstanceType(instanceType: string): boolean {
  return /^mac(\d|-)/.test(instanceType.split('.')[0]);
}

/**
 * The shape of an instance type, `<family>.<size>`, as AWS names them: a family is a series, a generation and
 * options (t4g, m7i-flex, u7i-12tb, mac-m4), a size one of a fixed list. No backslashes: the Terraform variable
 * validation uses the same patterns. https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html
 */
export const INSTANCE_FAMILY_PATTERN = '[a-z]+[0-9]+[a-z]*(-[a-z0-9]+)?|[a-z]+-[a-z]*[0-9][a-z0-9]*';
export const INSTANCE_SIZE_PATTERN = 'nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal|metal-[1-9][0-9]*xl';
export const INSTANCE_TYPE_PATTERN = `^(${INSTANCE_FAMILY_PATTERN})[.](${INSTANCE_SIZE_PATTERN})$`;
/**
 * Families that cannot be EBS-optimized, which the launch template and instance ask for: RunInstances refuses them
 * ("EBS-optimized instances are not supported for your requested configuration").
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-optimized.html
 */
export const NOT_EBS_OPTIMIZABLE_PATTERN = '^t[12][.]';

/** Why EC2 would refuse to launch the bastion as `instanceType` whatever the architecture, or undefined. */
export function instanceTypeShapeProblem(instanceType: string): string | undefined {
  if (!new RegExp(INSTANCE_TYPE_PATTERN).test(instanceType)) {
    return 'is not an EC2 instance type: a family (t4g, m7g, t3, c7i-flex …) and a size (nano, micro, small, medium, large, xlarge, 2xlarge …, metal, metal-24xl)';
  }
  if (new RegExp(NOT_EBS_OPTIMIZABLE_PATTERN).test(instanceType)) {
    return 'cannot be EBS-optimized, and the bastion is launched EBS-optimized (EC2 would refuse the launch): pick a current type, e.g. t3.micro (x86_64) or t4g.micro (arm64)';
  }
  return undefined;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted in place of numbers (JAN-DEC, SUN-SAT). */
  readonly names?: readonly string[];
  /** Extra single-token forms the field accepts besides numbers, ranges, lists and increments. */
  readonly special?: RegExp;
}

// Systems Manager's cron (the EventBridge dialect): minutes hours day-of-month month day-of-week year.
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|L-\d{1,2}|\d{1,2}W|LW)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, special: /^(\?|L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/ },
  { name: 'year', min: 1970, max: 2199 },
];

function valueOf(token: string, field: CronField): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
  return index >= 0 ? index + field.min : undefined;
}

/** Why one cron field is invalid, or undefined. */
function cronFieldProblem(text: string, field: CronField): string | undefined {
  if (field.special?.test(text.toUpperCase())) return undefined;
  for (const part of text.split(',')) {
    const [range, step, ...rest] = part.split('/');
    if (rest.length > 0 || range === '') return `${field.name} "${text}" is malformed`;
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `${field.name} increment "${step}" must be a positive number`;
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} "${text}" is malformed`;
    for (const bound of bounds) {
      const value = valueOf(bound, field);
      if (value === undefined || value < field.min || value > field.max) {
        const names = field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : '';
        return `${field.name} must be ${field.min} to ${field.max}${names}, found "${bound}"`;
      }
    }
  }
  return undefined;
}

/**
 * Checks a maintenance window schedule: `cron(min hour day-of-month month day-of-week year)` (optionally with a
 * leading seconds field, 1 to 59) with exactly one of the two day fields set to "?", or `rate(N unit)`. Returns
 * undefined when valid, else the reason. One-time `at(...)` schedules are refused: patching has to recur.
 */
export function scheduleProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const singular = !rate[2].endsWith('s');
    if (value < 1) return 'a rate must be at least 1';
    if (singular !== (value === 1)) return `use "${value === 1 ? rate[2].replace(/s$/, '') : `${rate[2]}s`}" with ${value}`;
    return undefined;
  }
  if (/^at\(/.test(expression)) return 'an at(...) schedule runs once; patching must recur: use cron(...) or rate(...)';
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return 'must be a cron(...) or rate(...) expression, e.g. "cron(0 3 ? * SUN *)" or "rate(7 days)"';
  if (/[^\S ]/.test(cron[1])) return 'separate the cron fields with spaces (a tab or other white space is refused by the stack\'s patch_schedule variable)';
  let fields = cron[1].trim().split(/\s+/);
  if (fields.length === 7) {
    const seconds = fields[0];
    if (!/^\d+$/.test(seconds) || Number(seconds) < 1 || Number(seconds) > 59) {
      return 'the optional seconds field of a maintenance window cron expression must be 1 to 59 (0 is not supported)';
    }
    fields = fields.slice(1);
  }
  if (fields.length !== 6) return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  for (const [i, field] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(fields[i], field);
    if (problem) return problem;
  }
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
  return undefined;
}

/** Interval of a rate(...) expression in hours, or undefined for cron expressions. */
export function rateHours(expression: string): number | undefined {
  const rate = RATE.exec(expression);
  if (!rate) return undefined;
  const unit = rate[2].replace(/s$/, '');
  return Number(rate[1]) * (unit === 'minute' ? 1 / 60 : unit === 'hour' ? 1 : 24);
}

/**
 * Checks an IANA time zone name ("Europe/Berlin", "UTC"): returns undefined when valid, else the reason.
 * Abbreviations (CET, EST) are refused: they are not IANA zone names Systems Manager accepts, and several of
 * them are ambiguous. Intl matches names case-insensitively, Systems Manager does not, so the case must match.
 */
export function timeZoneProblem(name: string): string | undefined {
  if (name === 'UTC') return undefined;
  const shape = /^[A-Z][A-Za-z_-]+(\/[A-Z][A-Za-z0-9_+-]*){1,2}$/.test(name);
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  if (resolved && resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return `time zone names are case-sensitive: use "${resolved}"`;
  if (!shape || !resolved) return 'must be an IANA time zone name, e.g. "UTC" or "Europe/Berlin" (abbreviations such as CET or EST are not accepted)';
  return undefined;
}

/** True for an IANA time zone name the runtime knows (e.g. "Europe/Berlin", "UTC"); abbreviations are refused. */
export function isIanaTimeZone(name: string): boolean {
  return timeZoneProblem(name) === undefined;
}

/**
 * Why a tag key cannot be on an instance that exposes its tags in instance metadata, or undefined. With
 * metadata tags on, EC2 refuses to launch an instance carrying a key with a space or "/", or one that is only
 * "." / ".." / "_index" — and every configured tag reaches the instance through the provider's default tags.
 */
export function instanceMetadataTagKeyProblem(key: string): string | undefined {
  if (['.', '..', '_index'].includes(key)) return `"${key}" is a reserved name in the instance metadata tag tree`;
  if (!/^[A-Za-z0-9+\-=.,_:@]+$/.test(key)) {
    return 'instance metadata tags (on for the EC2 bastion, for the PatchGroup tag) allow only letters, digits and + - = . , _ : @ in tag keys: no spaces, no "/"';
  }
  return undefined;
}
