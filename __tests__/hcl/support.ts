import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { type BastionConfigInput, parseConfig, type StackName } from '../../modules/config';
import { splitTemplate, synthesizeHcl } from '../../modules/hcl';
import { addBastionStacks } from '../../modules/stacks';
import type { HclJson } from '../../modules/hcl';
import { offlineConfig, synthToDisk } from '../support/terraform';
import type { TerraformJson } from '../support/synth';

/** Synthesizes whatever `build` adds to an app as hand-off HCL (in-process, unformatted); returns it by stack. */
export function hclOf(build: (app: App) => void): Map<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'ssm-bastion-hcl-test-'));
  try {
    const app = new App({ outdir, hclOutput: true });
    build(app);
    return synthesizeHcl(app);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The JSON synthesis (cdk.tf.json, as `cdktf synth` writes it) and the hand-off HCL of one stack. */
export function jsonAndHcl(stackName: StackName, input: BastionConfigInput): { json: TerraformJson; hcl: string } {
  const { root, stackDir } = synthToDisk(stackName, input);
  try {
    const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    const config = parseConfig(offlineConfig({ ...input, stacks: [stackName] }));
    const hcl = hclOf((app) => addBastionStacks(app, config)).get(stackName)!;
    return { json, hcl };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A JSON configuration and the parse of an HCL one brought to one shape, so "same meaning" is deep equality:
 * every object becomes a one-element list (hcl2json gives blocks as lists, cdktf writes a single block as an
 * object; maps get the same treatment on both sides), empty lists and cdktf's "//" metadata disappear (JSON
 * `[]` is "no blocks", which HCL writes as nothing), references in depends_on get the `${}` hcl2json gives
 * them, and variable types lose theirs. The backend is left out: the hand-off replaces it on purpose.
 */
export function comparableJson(json: TerraformJson): unknown {
  const copy = structuredClone(json) as Record<string, Record<string, unknown>>;
  delete copy.terraform?.backend;
  for (const kind of ['resource', 'data'] as const) {
    for (const named of Object.values(copy[kind] ?? {}) as Record<string, Record<string, unknown>>[]) {
      for (const body of Object.values(named)) if (Array.isArray(body.depends_on)) body.depends_on = body.depends_on.map((ref: string) => `\${${ref}}`);
    }
  }
  for (const output of Object.values(copy.output ?? {}) as Record<string, unknown>[]) {
    if (Array.isArray(output.depends_on)) output.depends_on = output.depends_on.map((ref: string) => `\${${ref}}`);
  }
  return canonicalObject(copy);
}

export function comparableHcl(parsed: HclJson): unknown {
  const copy = structuredClone(parsed) as Record<string, unknown>;
  for (const block of (copy.terraform ?? []) as Record<string, unknown>[]) delete block.backend;
  for (const [variable] of Object.values((copy.variable ?? {}) as Record<string, Record<string, unknown>[]>)) {
    if (typeof variable.type === 'string') variable.type = variable.type.replace(/^\$\{(.*)\}$/s, '$1');
  }
  return canonicalObject(copy);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (isObject(item) ? canonicalObject(item) : canonical(item)));
  if (isObject(value)) return [canonicalObject(value)];
  return value;
}

function canonicalObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '//' || item === undefined) continue;
    const normalized = canonical(item);
    if (Array.isArray(normalized) && normalized.length === 0) continue;
    out[key] = normalized;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Strings of a JSON configuration that look like JSON built by `JSON.stringify` around tokens: a template that
 * interpolates, whose literal text (outside `${...}`) has JSON punctuation. Terraform builds such values with
 * `jsonencode(...)` or policy document data sources instead, which keep them valid whatever the tokens hold.
 * Returns the paths of the offending strings.
 */
export function jsonStringifiedTemplates(value: unknown, path = ''): string[] {
  if (typeof value === 'string') {
    const parts = splitTemplate(value);
    const literal = parts.filter((part) => part.kind === 'literal').map((part) => part.text).join('');
    const interpolates = parts.some((part) => part.kind === 'sequence');
    return interpolates && /[{[]\s*"|"\s*:/.test(literal) ? [path] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => jsonStringifiedTemplates(item, `${path}[${index}]`));
  if (isObject(value)) {
    return Object.entries(value).flatMap(([key, item]) => (key === '//' ? [] : jsonStringifiedTemplates(item, path ? `${path}.${key}` : key)));
  }
  return [];
}
