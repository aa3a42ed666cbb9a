import { isDeepStrictEqual } from 'node:util';
import { parse } from '@cdktf/hcl2json';

/**
 * A hand-off module as Terraform reads it, from a real HCL parser (@cdktf/hcl2json: HashiCorp's hcl/v2 compiled
 * to WebAssembly). The README and the checks are derived from this, never from the TypeScript that wrote it.
 *
 * hcl2json gives blocks as arrays, literal values as JSON values and expressions in the JSON syntax's
 * `${...}` form (a literal `${` comes back as `$${`).
 */

export interface ModuleVariable {
  readonly name: string;
  /** Type constraint as written (`bool`, `list(string)`), if any. */
  readonly type?: string;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly description?: string;
  readonly nullable?: boolean;
  readonly sensitive?: boolean;
  /** Error messages of its validation rules. */
  readonly validations: string[];
}

export interface ModuleOutput {
  readonly name: string;
  readonly description?: string;
  readonly sensitive?: boolean;
}

export interface ParsedModule {
  readonly variables: ModuleVariable[];
  readonly outputs: ModuleOutput[];
  /** The backend block: type and settings (undefined when there is none). */
  readonly backend?: { readonly type: string; readonly settings: Record<string, unknown> };
  /** Resource addresses (`type.name`). */
  readonly resources: string[];
  /** The whole parse, for deeper checks. */
  readonly raw: HclJson;
}

export type HclJson = Record<string, unknown>;

type Blocks = Record<string, Record<string, unknown>[]>;

/** Parses one HCL file with the real parser; throws with the parser's diagnostics when it is not valid HCL. */
export async function parseHcl(text: string, filename = 'main.tf'): Promise<HclJson> {
  return (await parse(filename, text)) as HclJson;
}

export async function parseModule(text: string, filename = 'main.tf'): Promise<ParsedModule> {
  const raw = await parseHcl(text, filename);
  const variables = Object.entries((raw.variable ?? {}) as Blocks).map(([name, [body]]): ModuleVariable => ({
    name,
    type: typeof body.type === 'string' ? unwrapExpression(body.type) : undefined,
    hasDefault: 'default' in body,
    default: body.default,
    description: body.description as string | undefined,
    nullable: body.nullable as boolean | undefined,
    sensitive: body.sensitive as boolean | undefined,
    validations: ((body.validation ?? []) as { error_message?: string }[]).map((rule) => String(rule.error_message ?? '')),
  }));
  const outputs = Object.entries((raw.output ?? {}) as Blocks).map(([name, [body]]): ModuleOutput => ({
    name,
    description: body.description as string | undefined,
    sensitive: body.sensitive as boolean | undefined,
  }));
  const terraform = ((raw.terraform ?? []) as { backend?: Blocks }[])[0];
  const backendEntry = Object.entries(terraform?.backend ?? {})[0];
  const resources = Object.entries((raw.resource ?? {}) as Record<string, Record<string, unknown>>).flatMap(([type, named]) =>
    Object.keys(named).map((name) => `${type}.${name}`),
  );
  return {
    variables,
    outputs,
    backend: backendEntry ? { type: backendEntry[0], settings: backendEntry[1][0] ?? {} } : undefined,
    resources,
    raw,
  };
}

/** `${bool}` → `bool`. */
export function unwrapExpression(text: string): string {
  return text.startsWith('${') && text.endsWith('}') ? text.slice(2, -1) : text;
}

/**
 * Blank lines between top-level blocks, none doubled, none before a closing brace, one newline at the end —
 * cdktf's renderer leaves them uneven and `terraform fmt` does not touch blank lines. Only whitespace between
 * lines changes; that is safe because the hand-off HCL never has a string spanning lines (no heredocs: every
 * string is written quoted, with `\n` escapes), and it is checked: the result must parse to exactly the same
 * configuration, or this throws.
 */
export async function spaceBlocks(text: string): Promise<string> {
  const lines = text.split('\n').map((line) => line.trimEnd());
  const out: string[] = [];
  for (const line of lines) {
    const previous = out[out.length - 1];
    if (line === '') {
      if (out.length > 0 && previous !== '' && !previous.endsWith('{')) out.push('');
      continue;
    }
    if (previous === '' && /^\s*[}\]]/.test(line)) out.pop(); // no blank line before a closing brace
    if (previous === '}' && line !== '}') out.push(''); // a top-level block ended (fmt leaves it at column 0)
    out.push(line);
  }
  while (out[out.length - 1] === '') out.pop();
  const spaced = `${out.join('\n')}\n`;
  if (!isDeepStrictEqual(await parseHcl(text), await parseHcl(spaced))) {
    throw new Error('Spacing the HCL changed what it means (a string spanning lines?): refusing to write it.');
  }
  return spaced;
}
