import { configJsonSchema } from './json-schema';

interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  additionalProperties?: SchemaNode | boolean;
}

function typeOf(node: SchemaNode): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const variants = node.anyOf ?? node.oneOf;
  if (variants) return variants.map(typeOf).join(' \\| ');
  if (node.type === 'array') return `${node.items ? typeOf(node.items) : 'any'}[]`;
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') {
    return `map of ${typeOf(node.additionalProperties)}`;
  }
  return String(node.type ?? 'any');
}

function constraints(node: SchemaNode): string {
  const parts: string[] = [];
  // zod writes Number.MIN/MAX_SAFE_INTEGER for unbounded integers: not a constraint worth printing.
  const bounded = (n?: number) => n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  if (bounded(node.minimum) && bounded(node.maximum)) parts.push(`${node.minimum}–${node.maximum}`);
  return parts.join(', ');
}

function rows(node: SchemaNode, path: string, out: string[]): void {
  const variants = node.anyOf ?? node.oneOf;
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) {
      if (key === '$schema') continue;
      const childPath = path ? `${path}.${key}` : key;
      const required = node.required?.includes(key) && child.default === undefined;
      const defaultText = child.default === undefined ? (required ? 'required' : '—') : `\`${JSON.stringify(child.default)}\``;
      const limits = constraints(child);
      const description = (child.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
      out.push(`| \`${childPath}\` | ${typeOf(child)}${limits ? ` (${limits})` : ''} | ${defaultText} | ${description} |`);
      rows(child, childPath, out);
    }
  } else if (variants) {
    for (const variant of variants) {
      const discriminator = Object.entries(variant.properties ?? {}).find(([, p]) => p.const !== undefined);
      rows(variant, discriminator ? `${path}{${discriminator[0]}=${JSON.stringify(discriminator[1].const)}}` : path, out);
    }
  } else if (node.type === 'array' && node.items) {
    rows(node.items, `${path}[]`, out);
  }
}

/** The configuration reference as a Markdown table, generated from the schema (kept in the README by a test). */
export function configReferenceMarkdown(): string {
  const out = ['| key | type | default | description |', '|---|---|---|---|'];
  rows(configJsonSchema() as SchemaNode, '', out);
  return out.join('\n');
}
