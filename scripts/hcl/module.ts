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
  /** Its value as hcl2json gives it: a literal (`null`, `{}`), or an expression as `${...}`. */
  readonly value: unknown;
  readonly description?: string;
  readonly sensitive?: boolean;
}

/** A resource or data source block. */
export interface ModuleBlock {
  readonly type: string;
  readonly name: string;
  /** How an expression refers to it: `aws_vpc.main`, `data.aws_vpc.main`. */
  readonly address: string;
  /** Its `count` expression (`var.bastion_enabled ? 1 : 0`), when it has one. */
  readonly count?: string;
  /** Its `for_each` expression, when it has one. */
  readonly forEach?: string;
  /** Its arguments and nested blocks, as hcl2json gives them. */
  readonly body: Record<string, unknown>;
}

export interface ParsedModule {
  readonly variables: ModuleVariable[];
  readonly outputs: ModuleOutput[];
  /** The backend block: type and settings (undefined when there is none). */
  readonly backend?: { readonly type: string; readonly settings: Record<string, unknown> };
  /** Resource addresses (`type.name`). */
  readonly resources: string[];
  /** The resource blocks. */
  readonly managed: ModuleBlock[];
  /** The data source blocks. */
  readonly data: ModuleBlock[];
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
    value: body.value,
    description: body.description as string | undefined,
    sensitive: body.sensitive as boolean | undefined,
  }));
  const terraform = ((raw.terraform ?? []) as { backend?: Blocks }[])[0];
  const backendEntry = Object.entries(terraform?.backend ?? {})[0];
  const managed = blocks(raw.resource, '');
  return {
    variables,
    outputs,
    backend: backendEntry ? { type: backendEntry[0], settings: backendEntry[1][0] ?? {} } : undefined,
    resources: managed.map((block) => block.address),
    managed,
    data: blocks(raw.data, 'data.'),
    raw,
  };
}

/** The blocks of a `resource` or `data` section of the parse (`{ type: { name: [body] } }`). */
function blocks(section: unknown, prefix: string): ModuleBlock[] {
  return Object.entries((section ?? {}) as Record<string, Blocks>).flatMap(([type, named]) =>
    Object.entries(named).map(([name, [body]]): ModuleBlock => ({
      type,
      name,
      address: `${prefix}${type}.${name}`,
      count: expression(body.count),
      forEach: expression(body.for_each),
      body,
    })),
  );
}

/** A meta-argument as an expression: `${var.x ? 1 : 0}` → `var.x ? 1 : 0`, a literal as written in JSON. */
function expression(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? unwrapExpression(value) : JSON.stringify(value);
}

/** `${bool}` → `bool`. */
export function unwrapExpression(text: string): string {
  return text.startsWith('${') && text.endsWith('}') ? text.slice(2, -1) : text;
}
