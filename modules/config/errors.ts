/** One problem in the configuration: where it is, what was there, and what is allowed. */
export interface ConfigProblem {
  /** JSON path of the field, e.g. `targets[0].port` (`(root)` for the document itself). */
  readonly path: string;
  /** The value found there (undefined when the field is missing). */
  readonly value: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment))) out += out ? `.${String(segment)}` : String(segment);
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(root)';
}

function describeValue(value: unknown): string {
  if (value === undefined) return '';
  // JSON has no Infinity or NaN (JSON.stringify writes null): a number too large to read becomes Infinity.
  const text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return `${text.length > 80 ? `${text.slice(0, 77)}...` : text}: `;
}

/** Thrown when the configuration cannot be used; lists every problem at once. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      [
        `Invalid bastion configuration (${source}): ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
        ...problems.map((p) => `  - ${p.path}: ${describeValue(p.value)}${p.message}`),
        'Nothing was synthesized. The allowed keys and values are described in bastion.config.schema.json and the README.',
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }
}
