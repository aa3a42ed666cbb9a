import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
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
  const tooDeep = nestingProblems(raw);
  if (tooDeep.length > 0) throw new ConfigError(source, tooDeep);
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

/** A configuration takes a few kilobytes: anything larger is another file (and a device such as /dev/zero never ends). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The first `limit` bytes of a file or pipe, without reading the rest of a larger one. */
function readAtMost(file: string, limit: number): Buffer {
  const buffer = Buffer.alloc(limit);
  const fd = openSync(file, 'r');
  try {
    let length = 0;
    for (let read = -1; read !== 0 && length < limit; length += read) read = readSync(fd, buffer, length, limit - length, null);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The text of the configuration file, or a ConfigError saying why there is none: a directory, a file too large
 * or unreadable, or text that is not UTF-8 (JSON.parse would only report an unexpected "\uFFFD" in whatever the
 * decoder made of it). A pipe (`BASTION_CONFIG=<(jq … base.json)`) is read like a file, to the same bound, so a
 * device that never ends (/dev/zero) is refused as too large.
 */
function readConfigText(file: string): string {
  const refuse = (message: string): never => {
    throw new ConfigError(file, [{ path: '(root)', value: undefined, message }]);
  };
  let bytes: Buffer = Buffer.alloc(0);
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) refuse('is a directory, not a configuration file: name a JSON file');
    bytes = readAtMost(file, MAX_CONFIG_BYTES + 1);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check the path and its permissions`);
  }
  if (bytes.length > MAX_CONFIG_BYTES) refuse(`is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB, far more than a configuration takes: is it the right file?`);
  if (bytes.subarray(0, 2).equals(Buffer.from([0xff, 0xfe])) || bytes.subarray(0, 2).equals(Buffer.from([0xfe, 0xff]))) {
    refuse('is UTF-16 text (as Windows PowerShell 5 writes with ">" or Out-File): save it as UTF-8');
  }
  try {
    // The decoder drops a UTF-8 byte order mark, which editors on Windows may write and JSON.parse refuses.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const line = lenient.slice(0, lenient.indexOf('\uFFFD')).split('\n').length;
    return refuse(`is not UTF-8 text (line ${line} has a byte that is not UTF-8, e.g. Latin-1 or Windows-1252 text): save it as UTF-8`);
  }
}

// No setting is nested deeper than ecs.image.pullThrough; the recursive checks below (and the duplicate-key
// scan) would run out of stack long before a document nested a hundred thousand levels deep was refused.
const MAX_NESTING = 32;

/** The first object or array nested deeper than MAX_NESTING, found without recursion. */
function nestingProblems(root: unknown): ConfigProblem[] {
  const pending: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_NESTING) {
      return [{ path: formatPath(path), value: undefined, message: `nests objects or arrays more than ${MAX_NESTING} levels deep; no setting is nested deeper than 4 levels` }];
    }
    for (const [key, child] of Object.entries(value)) pending.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
  }
  return [];
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
  const text = readConfigText(file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(file, [
      { path: '(root)', value: undefined, message: `is not valid JSON${describeJsonError(text)}: ${message}` },
    ]);
  }
  const tooDeep = nestingProblems(raw);
  if (tooDeep.length > 0) throw new ConfigError(file, tooDeep);
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) throw new ConfigError(file, duplicates);
  return parseConfig(raw, file, options);
}
