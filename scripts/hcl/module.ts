import { type HclJson, parseHcl } from '../../modules/hcl';

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

type Blocks = Record<string, Record<string, unknown>[]>;

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
