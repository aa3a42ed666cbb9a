import { type StringMode, hclExpression, hclStringContent } from './expression';
import { HclStringError } from './strings';

/**
 * Rewrites the resolved HCL fragment of one Terraform element (what `toHclTerraform()` returns, after token
 * resolution) so cdktf 0.21's renderer (`cdktf/lib/hcl/render.js`) writes what the JSON synthesis means.
 *
 * The renderer's block skeleton is sound; its value printing is not (see docs/hcl-handoff.md): strings holding
 * `${` are put in quotes unescaped, multi-line strings become heredocs with an extra trailing newline, strings
 * that look like numbers or start with `[`/`{` are written bare, `null` in a list crashes it, falsy locals are
 * dropped, references in `depends_on` are quoted. So every *value* is printed here, by {@link hclExpression},
 * and handed to the renderer as an already-rendered attribute; the renderer only lays out blocks.
 */
export function hclSafeFragment(fragment: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [kind, body] of Object.entries(fragment)) {
    if (body === undefined) continue;
    switch (kind) {
      case 'resource':
      case 'data':
        out[kind] = mapEntries(body, (type, named) =>
          mapEntries(named, (_name, attributes) => blockBody(asRecord(attributes), { type, path: '', meta: true })),
        );
        break;
      case 'provider':
        out[kind] = mapEntries(body, (type, instances) =>
          (instances as Record<string, unknown>[]).map((attributes) => blockBody(attributes, { type: `provider ${type}`, path: '', meta: false })),
        );
        break;
      case 'output':
        out[kind] = mapEntries(body, (_name, attributes) => outputBody(asRecord(attributes)));
        break;
      case 'locals':
        out[kind] = mapEntries(body, (_name, local) => localValue(asRecord(local)));
        break;
      case 'terraform':
        out[kind] = terraformBlock(asRecord(body));
        break;
      case 'variable':
        // Variables render themselves (StackVariable); the hand-off aspect refuses any other kind.
        out[kind] = body;
        break;
      default:
        throw new HclStringError(`The HCL hand-off does not support "${kind}" blocks (cdktf 0.21's HCL renderer is not trusted with them).`);
    }
  }
  return out;
}

/** An attribute the renderer writes as `name = <value>`; see {@link renderedAttribute}. */
export interface RenderedAttribute {
  readonly value: string;
  readonly type: 'reference';
}

/**
 * `value` as an attribute the renderer writes verbatim. Its `reference` attributes are written raw, except
 * that any string holding `${` is routed to its string printer, which wraps it in quotes unchanged: such a
 * value is therefore handed over as quoted-string *content* (a string) or as one `${...}` interpolation of the
 * whole expression (lists, objects), which `terraform fmt` then unwraps.
 */
export function renderedAttribute(value: unknown, mode: StringMode): RenderedAttribute {
  const text = hclExpression(value, mode, true);
  if (!text.includes('${')) return { value: text, type: 'reference' };
  if (typeof value === 'string') return { value: hclStringContent(value, mode), type: 'reference' };
  return { value: `\${${hclExpression(value, mode, false)}}`, type: 'reference' };
}

/** Raw HCL the renderer writes as `name = <text>` (references, types). Must not contain `${`. */
export function rawAttribute(text: string): RenderedAttribute {
  if (text.includes('${')) throw new HclStringError(`Raw HCL must not contain \${: ${text}`);
  return { value: text, type: 'reference' };
}

/**
 * Attributes whose type is a list or set of objects that the AWS provider (5.100.0) lets configurations write
 * as blocks ("attributes as blocks") or as a list. cdktf marks them as blocks; an *empty* list is then written
 * as no block at all, which for these means "not configured" instead of "none" (a default security group would
 * keep its rules). They are written `name = []`. Generated from `terraform providers schema -json`; a test of
 * the Terraform stage keeps it in step with the provider.
 */
export const ATTRIBUTES_AS_BLOCKS: Readonly<Record<string, readonly string[]>> = {
  aws_appsync_source_api_association: ['source_api_association_config'],
  aws_auditmanager_assessment: ['roles'],
  aws_bedrockagent_agent: ['guardrail_configuration', 'memory_configuration', 'prompt_override_configuration'],
  aws_bedrockagent_agent_alias: ['routing_configuration'],
  aws_cloudwatch_log_delivery: ['s3_delivery_configuration'],
  aws_default_route_table: ['route'],
  aws_default_security_group: ['egress', 'ingress'],
  aws_emr_cluster: ['placement_group_config', 'step'],
  aws_guardduty_malware_protection_plan: ['actions'],
  aws_network_acl: ['egress', 'ingress'],
  aws_networkfirewall_tls_inspection_configuration: ['encryption_configuration'],
  aws_route53domains_domain: ['billing_contact', 'name_server'],
  aws_route_table: ['route'],
  aws_security_group: ['egress', 'ingress'],
  aws_securitylake_data_lake: ['configuration.encryption_configuration'],
};

const WRAPPER_KEYS = new Set(['value', 'type', 'isBlock', 'is_block', 'storageClassType', 'storage_class_type', 'dynamic']);
const WRAPPER_TYPES = new Set(['simple', 'list', 'set', 'map', 'any', 'reference', 'type']);

interface TypedValue {
  value?: unknown;
  type?: string;
  isBlock?: boolean;
  is_block?: boolean;
  storageClassType?: string;
  storage_class_type?: string;
  dynamic?: unknown;
}

/** cdktf's typed attribute wrapper ({ value, type, isBlock, storageClassType }), as opposed to a plain map. */
function isTypedValue(value: unknown): value is TypedValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if ('dynamic' in value) return true;
  return keys.includes('value') && keys.every((key) => WRAPPER_KEYS.has(key)) && (!('type' in value) || WRAPPER_TYPES.has(String((value as TypedValue).type)));
}

/** Plain data of a typed value (typed wrappers may nest inside lists of objects). */
function plain(value: unknown): unknown {
  if (isTypedValue(value)) return plain(value.value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

interface BlockContext {
  /** Resource or data source type (for the attributes-as-blocks table), or a label for messages. */
  readonly type: string;
  /** Dotted path of the block inside the resource ('' at the top). */
  readonly path: string;
  /** True at the top of a resource or data source, where meta-arguments live. */
  readonly meta: boolean;
}

function blockBody(attributes: Record<string, unknown>, context: BlockContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (name === '//') {
      out[name] = value; // construct metadata: the renderer skips it
      continue;
    }
    if (context.meta) {
      const meta = metaArgument(name, value);
      if (meta !== undefined) {
        out[name] = meta;
        continue;
      }
    }
    out[name] = attribute(name, value, context);
  }
  return out;
}

/** Meta-arguments whose JSON strings are references, not templates; undefined for the others. */
function metaArgument(name: string, value: unknown): unknown {
  switch (name) {
    case 'depends_on':
      return rawAttribute(referenceList(value));
    case 'provider':
      return rawAttribute(references([value])[0]);
    case 'lifecycle':
      return lifecycle(asRecord(value));
    case 'provisioner':
    case 'connection':
    case 'dynamic':
      throw new HclStringError(`The HCL hand-off does not support "${name}".`);
    default:
      return undefined;
  }
}

function lifecycle(value: Record<string, unknown>): TypedValue {
  const body: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (name === 'ignore_changes') body[name] = rawAttribute(item === 'all' ? 'all' : referenceList(item));
    else if (name === 'replace_triggered_by') body[name] = rawAttribute(referenceList(item));
    else if (name === 'create_before_destroy' || name === 'prevent_destroy') body[name] = renderedAttribute(item, 'template');
    else if (name === 'precondition' || name === 'postcondition') body[name] = conditionBlocks(item);
    else throw new HclStringError(`The HCL hand-off does not support lifecycle.${name}.`);
  }
  // A typed block, so the renderer lays it out with renderAttributes (its lifecycle shortcut prints values itself).
  return { value: body, isBlock: true, type: 'simple' };
}

/**
 * precondition / postcondition blocks: `condition` is an expression and `error_message` a template, as in the
 * JSON syntax (cdktf writes them there as `"${…}"` strings).
 */
function conditionBlocks(value: unknown): TypedValue {
  const rules = value as { condition: unknown; error_message: unknown }[];
  return {
    value: rules.map((rule) => ({ condition: renderedAttribute(rule.condition, 'template'), error_message: renderedAttribute(rule.error_message, 'template') })),
    isBlock: true,
    type: 'list',
    storageClassType: 'objectList',
  };
}

/** A list of references, one per line when there are several. */
function referenceList(value: unknown): string {
  const list = references(value);
  return list.length > 1 ? `[\n${list.map((item) => `${item},`).join('\n')}\n]` : `[${list.join('')}]`;
}

/** References written as JSON strings (`aws_s3_bucket.x`, `${aws_s3_bucket.x}`) as bare HCL traversals. */
function references(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    const text = String(isTypedValue(item) ? item.value : item);
    const bare = text.startsWith('${') && text.endsWith('}') ? text.slice(2, -1) : text;
    if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\]|\["[^"]*"\])*$/.test(bare)) {
      throw new HclStringError(`Not a reference: ${text}`);
    }
    return bare;
  });
}

function attribute(name: string, value: unknown, context: BlockContext): unknown {
  if (!isTypedValue(value)) return renderedAttribute(value, 'template');
  if (value.dynamic !== undefined) throw new HclStringError(`The HCL hand-off does not support dynamic blocks (${context.type} ${name}).`);
  if (value.storageClassType === 'reference' || value.storage_class_type === 'reference' || value.type === 'reference' || value.type === 'type') {
    return value; // already HCL (references, variable types)
  }
  const block = value.isBlock || value.is_block;
  if (!block) return renderedAttribute(plain(value.value), 'template');
  if (typeof value.value === 'string') return renderedAttribute(value.value, 'template'); // an expression for the whole block list
  const path = context.path ? `${context.path}.${name}` : name;
  const nested: BlockContext = { type: context.type, path, meta: false };
  if (Array.isArray(value.value)) {
    if (value.value.length === 0) {
      // JSON `[]`: zero blocks, or, for an attribute written as blocks, an empty list (not the same thing).
      return ATTRIBUTES_AS_BLOCKS[context.type]?.includes(path) ? rawAttribute('[]') : undefined;
    }
    return { ...value, value: value.value.map((item) => blockBody(asRecord(item), nested)) };
  }
  return { ...value, value: blockBody(asRecord(value.value), nested) };
}

function outputBody(attributes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    const data = isTypedValue(value) ? plain(value.value) : value;
    if (data === undefined) continue;
    if (name === 'depends_on') out[name] = rawAttribute(referenceList(data));
    // An output description is a plain string in the JSON syntax, not a template.
    else out[name] = renderedAttribute(data, name === 'description' ? 'literal' : 'template');
  }
  return out;
}

/**
 * The renderer prints a local with its loose printer and drops it when the value is falsy (false, 0, "",
 * null). One `${...}` interpolation of the printed expression is always truthy, is printed verbatim inside
 * quotes, means the same value, and `terraform fmt` unwraps it.
 */
function localValue(local: Record<string, unknown>): Record<string, unknown> {
  return { ...local, value: `\${${hclExpression(plain(local.value), 'template', false)}}` };
}

function terraformBlock(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (name === 'required_providers') {
      // Printed by the loose printer: only plain names and version constraints are safe there.
      for (const requirement of Object.values(asRecord(value))) {
        for (const item of Object.values(asRecord(requirement))) {
          if (typeof item !== 'string' || !/^[A-Za-z0-9._~<>=!, /-]*$/.test(item)) {
            throw new HclStringError(`Unexpected provider requirement: ${JSON.stringify(requirement)}`);
          }
        }
      }
      out[name] = value;
    } else if (name === 'backend') {
      // Backend settings are plain values; the JSON syntax does not evaluate templates in them.
      out[name] = mapEntries(value, (_type, settings) =>
        Object.fromEntries(
          Object.entries(asRecord(settings))
            .filter(([, item]) => item !== undefined)
            .map(([key, item]) => [key, renderedAttribute(plain(item), 'literal')]),
        ),
      );
    } else {
      // cdktf 0.21 renders any other terraform-block argument as `0 = "<name>"` (it passes the key list).
      throw new HclStringError(`The HCL hand-off does not support terraform.${name} (cdktf 0.21 renders it wrongly).`);
    }
  }
  return out;
}

function mapEntries(value: unknown, fn: (key: string, item: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(asRecord(value)).map(([key, item]) => [key, fn(key, item)]));
}

function asRecord(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HclStringError(`Expected an object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}
