/**
 * Architecture of an EC2 instance type from its family name. AWS Graviton families carry a "g" right after
 * the generation digit (t4g, m7g, c7gn, r8gd, im4gn, is4gen, x2gd, hpc7g, g5g); a1 is the first Graviton.
 * Everything else (t3, m7i, c7a, g4dn, inf2, …) is x86_64. Apple-silicon mac types are not supported.
 */
export function architectureOfInstanceType(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0];
  return family === 'a1' || /^[a-z]+\d+g/.test(family) ? 'arm64' : 'x86_64';
}

const CRON_FIELD = /^[A-Za-z0-9*?,/#L\-W]+$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/**
 * Checks a maintenance window schedule: `cron(min hour day-of-month month day-of-week year)` with exactly one of
 * the two day fields set to "?", or `rate(N unit)`. Returns undefined when valid, else the reason.
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
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return 'must be a cron(...) or rate(...) expression, e.g. "cron(0 3 ? * SUN *)" or "rate(7 days)"';
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  if (!fields.every((f) => CRON_FIELD.test(f))) return 'a cron field holds characters other than digits, letters and * ? , - / # L W';
  const [minutes, hours, dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
  if (/^\d+$/.test(minutes) && Number(minutes) > 59) return 'minutes must be 0 to 59';
  if (/^\d+$/.test(hours) && Number(hours) > 23) return 'hours must be 0 to 23';
  return undefined;
}

/** True for an IANA time zone name the runtime knows (e.g. "Europe/Berlin", "UTC"); abbreviations are refused. */
export function isIanaTimeZone(name: string): boolean {
  if (!/^(UTC|[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+){1,2})$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
