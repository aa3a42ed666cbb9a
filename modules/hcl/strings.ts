/**
 * Strings between Terraform's two syntaxes.
 *
 * In the JSON syntax (what `cdktf synth` writes) most string values are *templates*: `${...}` interpolates,
 * `%{...}` is a directive, `$${` and `%%{` are their escapes, and nothing else is special. A native (HCL)
 * quoted template has the same template sequences but also backslash escapes, and it cannot hold a raw newline.
 * cdktf 0.21's renderer copies JSON templates into HCL quotes without escaping them when they contain `${`
 * (so a `"` or `$${` inside breaks the file) and turns multi-line strings into heredocs (which add a trailing
 * newline). The functions here convert exactly: template sequences are kept verbatim (their content is
 * expression syntax, identical in both), literal text is escaped.
 */

export class HclStringError extends Error {}

/** A piece of a template: literal text (with `$${`/`%%{` escapes still in it), or a `${...}`/`%{...}` sequence. */
export interface TemplatePart {
  readonly kind: 'literal' | 'sequence';
  readonly text: string;
}

/** Splits a template into literal text and interpolation/directive sequences. Throws on an unterminated one. */
export function splitTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      literal += template.slice(i, i + 3);
      i += 3;
    } else if (template.startsWith('${', i) || template.startsWith('%{', i)) {
      if (literal) parts.push({ kind: 'literal', text: literal });
      literal = '';
      const end = scanSequence(template, i + 2);
      parts.push({ kind: 'sequence', text: template.slice(i, end) });
      i = end;
    } else {
      literal += template[i];
      i += 1;
    }
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  return parts;
}

/** True when the template interpolates or has directives (not only literal text and escapes). */
export function hasTemplateSequences(template: string): boolean {
  return splitTemplate(template).some((part) => part.kind === 'sequence');
}

/**
 * The content of a native quoted template (what goes between the quotes) with the same meaning as `template`
 * in the JSON syntax. Always a single line.
 */
export function hclTemplateContent(template: string): string {
  return splitTemplate(template)
    .map((part) => {
      if (part.kind === 'literal') return escapeText(part.text);
      // A raw line break inside an interpolation would end the quoted template; cdktf never renders one.
      if (/[\r\n]/.test(part.text)) throw new HclStringError(`A template sequence spans lines, which a quoted HCL string cannot hold: ${abbreviate(part.text)}`);
      return part.text;
    })
    .join('');
}

/** The content of a native quoted template whose value is exactly `text` (nothing interpolated). */
export function hclLiteralContent(text: string): string {
  // A function replacement: in a replacement string, `$$` would stand for one `$`.
  return escapeText(text)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

/** Escapes what a native quoted string cannot hold literally. */
function escapeText(text: string): string {
  let out = '';
  for (const char of text) {
    switch (char) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = char.codePointAt(0)!;
        out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : char;
      }
    }
  }
  return out;
}

/**
 * Index just after the `}` closing a sequence whose body starts at `start` (after `${` or `%{`). Braces of
 * object constructors nest; quoted strings inside the expression are skipped with their own escapes and
 * sequences.
 */
function scanSequence(text: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      i = scanQuoted(text, i + 1);
      continue;
    }
    if (char === '<' && text.startsWith('<<', i) && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) {
      throw new HclStringError(`A heredoc inside a template sequence is not supported: ${abbreviate(text.slice(start - 2))}`);
    }
    if (char === '{') depth += 1;
    if (char === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  throw new HclStringError(`Unterminated template sequence: ${abbreviate(text.slice(start - 2))}`);
}

/** Index just after the `"` closing a quoted template inside an expression, starting after its opening quote. */
function scanQuoted(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else if (text.startsWith('$${', i) || text.startsWith('%%{', i)) i += 3;
    else if (text.startsWith('${', i) || text.startsWith('%{', i)) i = scanSequence(text, i + 2);
    else i += 1;
  }
  throw new HclStringError(`Unterminated string inside a template sequence: ${abbreviate(text.slice(start - 1))}`);
}

function abbreviate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
