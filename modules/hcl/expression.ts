import { HclStringError, hclLiteralContent, hclTemplateContent, splitTemplate } from './strings';

/**
 * How a JSON string value is read by Terraform: `template` where the JSON syntax evaluates templates (resource,
 * data source, provider and output arguments), `literal` where it does not (variable defaults and descriptions,
 * output descriptions, backend settings).
 */
export type StringMode = 'template' | 'literal';

/** The content of a quoted HCL string (without the quotes) with the meaning `value` has in the JSON syntax. */
export function hclStringContent(value: string, mode: StringMode): string {
  return mode === 'template' ? hclTemplateContent(value) : hclLiteralContent(value);
}

/** A quoted HCL string with the meaning `value` has in the JSON syntax. */
export function hclString(value: string, mode: StringMode): string {
  return `"${hclStringContent(value, mode)}"`;
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(['true', 'false', 'null']);

/**
 * The HCL expression for a resolved JSON value: strings per `mode`, lists and objects recursively. With
 * `multiline`, non-empty objects and lists of several items put one item per line (terraform fmt indents and
 * aligns them); without, everything stays on one line (needed inside a quoted `${...}`).
 */
export function hclExpression(value: unknown, mode: StringMode, multiline = true): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string': {
      // "${expr}" means expr itself (no conversion to string), in both syntaxes; written bare, as terraform fmt
      // would, it also keeps lists and maps of references free of interpolations (so multi-line, readable).
      const bare = mode === 'template' ? interpolationOnly(value) : undefined;
      return bare ?? hclString(value, mode);
    }
    case 'number':
      if (!Number.isFinite(value)) throw new HclStringError(`${value} has no HCL literal.`);
      return String(value);
    case 'boolean':
      return String(value);
    case 'object': {
      const separator = multiline ? '\n' : ' ';
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        const items = value.map((item) => hclExpression(item, mode, multiline));
        // One item per line, unless there is a single one-line item.
        const oneLine = !multiline || (items.length === 1 && !items[0].includes('\n'));
        return oneLine ? `[${items.join(', ')}]` : `[\n${items.map((item) => `${item},`).join('\n')}\n]`;
      }
      const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
      if (entries.length === 0) return '{}';
      const items = entries.map(([key, item]) => `${objectKey(key, mode)} = ${hclExpression(item, mode, multiline)}`);
      return multiline ? `{\n${items.join(separator)}\n}` : `{ ${items.join(', ')} }`;
    }
    default:
      throw new HclStringError(`A ${typeof value} cannot be written as HCL (unresolved token or function?): ${String(value)}`);
  }
}

/** The expression of a template that is exactly one `${...}` interpolation (without strip markers). */
function interpolationOnly(template: string): string | undefined {
  const parts = splitTemplate(template);
  if (parts.length !== 1 || parts[0].kind !== 'sequence' || !parts[0].text.startsWith('${')) return undefined;
  const expression = parts[0].text.slice(2, -1);
  return expression.startsWith('~') || expression.endsWith('~') || !expression.trim() ? undefined : expression.trim();
}

/** An object key: bare when it is an identifier (read literally by HCL), else a quoted literal. */
function objectKey(key: string, mode: StringMode): string {
  if (BARE_KEY.test(key) && !KEYWORDS.has(key)) return key;
  // Whether the JSON syntax reads object keys as templates is a corner nobody should depend on: refuse it.
  if (mode === 'template' && /[$%]\{/.test(key)) throw new HclStringError(`Object key with a template sequence: ${key}`);
  return hclString(key, 'literal');
}
