import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem, formatPath } from './errors';
import { type BastionConfig, crossFieldProblems, resolveConfig } from './resolve';
import { configSchema } from './schema';

export const DEFAULT_CONFIG_FILE = 'bastion.config.json';
export const CONFIG_ENV_VAR = 'BASTION_CONFIG';

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key as string];
  }
  return current;
}

function problemsFromZod(raw: unknown, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      const parent = valueAt(raw, issue.path);
      const known = formatPath(issue.path);
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        value: (parent as Record<string, unknown>)[key],
        message: `unknown key (a typo?) in ${known === '(root)' ? 'the top level' : known}; see bastion.config.schema.json for the allowed keys`,
      }));
    }
    if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
      const options = (issue as { options?: unknown[] }).options;
      const allowed = options?.map((o) => JSON.stringify(o)).join(' or ');
      const path = issue.path.at(-1) === issue.discriminator ? issue.path : [...issue.path, issue.discriminator];
      return [{ path: formatPath(path), value: valueAt(raw, path), message: `must be ${allowed ?? 'one of the documented values'}` }];
    }
    if (issue.code === 'invalid_key') {
      return [{ path: formatPath(issue.path), value: issue.path.at(-1), message: issue.issues[0]?.message ?? issue.message }];
    }
    if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) {
      return [{ path: formatPath(issue.path), value: undefined, message: `is required (${issue.expected})` }];
    }
    return [{ path: formatPath(issue.path), value: valueAt(raw, issue.path), message: issue.message }];
  });
}

/**
 * Validates a configuration object (as parsed from JSON) and returns it with every default filled in.
 * Throws ConfigError listing every problem, each with its JSON path, the value and what is allowed.
 */
export function parseConfig(raw: unknown, source = 'inline configuration'): BastionConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, problemsFromZod(raw, result.error.issues));
  const config = resolveConfig(result.data);
  const problems = crossFieldProblems(config);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return config;
}

/** Where JSON.parse failed, as "line L, column C: <what>" (Node's own message has no position for many errors). */
function describeJsonError(text: string): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return '';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column} (${printParseErrorCode(first.error)})`;
}

export interface LoadConfigOptions {
  /** Environment to read BASTION_CONFIG from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Folder the default bastion.config.json is looked up in. @default process.cwd() */
  readonly cwd?: string;
}

/**
 * Loads the configuration: the file named by BASTION_CONFIG, else bastion.config.json in the project root,
 * else the embedded default (a new VPC, both stacks).
 */
export function loadConfig(options: LoadConfigOptions = {}): BastionConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = env[CONFIG_ENV_VAR];
  const file = resolve(cwd, explicit || DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (explicit) {
      throw new ConfigError(file, [
        { path: '(root)', value: undefined, message: `${CONFIG_ENV_VAR} names a file that does not exist; fix the path or unset ${CONFIG_ENV_VAR}` },
      ]);
    }
    return parseConfig({}, 'embedded default');
  }
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(file, [
      { path: '(root)', value: undefined, message: `is not valid JSON${describeJsonError(text)}: ${message}` },
    ]);
  }
  return parseConfig(raw, file);
}
