import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ParseError, parse as parseJsonc, printParseErrorCode, visit } from 'jsonc-parser';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem, formatPath } from './errors';
import { type BastionConfig, crossFieldProblems, resolveConfig, type ValidationOptions } from './resolve';
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
export function parseConfig(raw: unknown, source = 'inline configuration', options: ValidationOptions = {}): BastionConfig {
  const unsafe = prototypeKeys(raw);
  if (unsafe.length > 0) throw new ConfigError(source, unsafe);
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, problemsFromZod(raw, result.error.issues));
  const config = resolveConfig(result.data);
  const problems = crossFieldProblems(config, options);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return config;
}

/**
 * `__proto__` (JSON.parse keeps it as an own key) is skipped by the schema's records instead of refused: a tag
 * or endpoint under that name would vanish without a word. No setting has that name anywhere.
 */
function prototypeKeys(value: unknown, path: PropertyKey[] = []): ConfigProblem[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = [...path, Array.isArray(value) ? Number(key) : key];
    if (key === '__proto__') return [{ path: formatPath(here), value: child, message: 'is not a setting of this configuration (a reserved JavaScript name); remove it' }];
    return prototypeKeys(child, here);
  });
}

/**
 * Keys written twice in one object: JSON.parse keeps the last without a word, so `"region"` twice deploys
 * wherever the second one says.
 */
function duplicateKeys(text: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => void seen.push(new Set()),
    onObjectEnd: () => void seen.pop(),
    onObjectProperty: (property, _offset, _length, startLine, _startCharacter, pathSupplier) => {
      const keys = seen.at(-1)!;
      if (keys.has(property)) {
        problems.push({ path: formatPath([...pathSupplier(), property]), value: undefined, message: `is written twice (the second at line ${startLine + 1}); keep one` });
      }
      keys.add(property);
    },
  });
  return problems;
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

export interface LoadConfigOptions extends ValidationOptions {
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
    return parseConfig({}, 'embedded default', options);
  }
  // Editors on Windows may start a UTF-8 file with a byte order mark, which JSON.parse refuses.
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(file, [
      { path: '(root)', value: undefined, message: `is not valid JSON${describeJsonError(text)}: ${message}` },
    ]);
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) throw new ConfigError(file, duplicates);
  return parseConfig(raw, file, options);
}
