import { HclStringError, hclExpression, hclLiteralContent, hclTemplateContent, splitTemplate } from '../../modules/hcl';
import { parseHcl } from '../../modules/hcl';

/**
 * The string conversion every hand-off value goes through, checked with a real HCL parser: hcl2json reads a
 * quoted HCL string back in the JSON syntax's template form, so a correct conversion reads back as its input.
 */

async function readBack(content: string): Promise<unknown> {
  return (await parseHcl(`x = "${content}"\n`)).x;
}

// What cdktf and our stacks put in JSON strings, and the characters HCL's quoted strings treat specially.
const TEMPLATES: Record<string, string> = {
  'plain text': 'ssm-bastion-ecs',
  'double quotes': 'say "hi"',
  backslashes: 'C:\\temp\\ and a regex \\d+',
  'backslash before a quote': 'a\\"b',
  'a multi-line script with a trailing newline': '#!/bin/bash\nset -eu\necho "ready"\n',
  'a multi-line string without a trailing newline': 'line one\nline two',
  'CR, tab and a control character': 'a\r\nb\tc\u0001d',
  'unicode': 'café → ✓ 🚀',
  'an interpolation': 'arn:${aws_s3_bucket.archive.arn}/*',
  'only an interpolation': '${var.bastion_enabled ? 1 : 0}',
  'escaped interpolation ($${)': 'arn:aws:ssm:eu-west-1:123456789012:session/$${aws:userid}-*',
  'escaped directive (%%{)': 'printf %%{not a directive}',
  'a shell command with quotes and $${ (the ECS port-forward output)':
    'TASK=$(aws ecs list-tasks --query \'taskArns[0]\') && aws ssm start-session --target "ecs:c_$${TASK##*/}" --parameters \'{"host":["db"],"portNumber":["5432"]}\'',
  // An unbalanced escaped ${ inside a string inside an interpolation: not the start of a nested sequence.
  'an escaped interpolation in a string inside an interpolation': '${replace(var.x, "$${", "%%{")} done',
  'nested quotes and braces inside an interpolation': '${jsonencode({"k" = "v\\"}", "n" = "${var.x}-y"})} after',
  // Spaced as hcl2json prints directives back.
  'a directive': '%{if var.bastion_enabled}on%{else}off%{endif}',
  'dollar and percent signs that are not sequences': 'costs $5 or 10% { not } $ {',
  'looks like a number': '5432',
  'looks like a list': '["not", "a", "list"]',
  'looks like JSON, without tokens (JSON.stringify of constants)': '{"rules":[{"rulePriority":1}]}',
  'empty': '',
};

describe('hclTemplateContent: a JSON-syntax template as a quoted HCL template', () => {
  it.each(Object.entries(TEMPLATES))('reads back unchanged: %s', async (_name, template) => {
    const content = hclTemplateContent(template);
    expect(content).not.toMatch(/[\r\n]/); // never a heredoc
    await expect(readBack(content)).resolves.toBe(template);
  });

  it('keeps interpolations verbatim and escapes only literal text', () => {
    expect(hclTemplateContent('a "b" ${jsonencode({"c" = "d"})}')).toBe('a \\"b\\" ${jsonencode({"c" = "d"})}');
  });

  it.each(['${aws_s3_bucket.x.arn', 'x ${jsonencode({"a" = "b"}) y', '${"unterminated}'])('refuses an unterminated sequence: %s', (template) => {
    expect(() => hclTemplateContent(template)).toThrow(HclStringError);
  });

  it('refuses a sequence spanning lines, which a quoted HCL string cannot hold', () => {
    expect(() => hclTemplateContent('${var.a\n}')).toThrow(/spans lines/);
  });
});

describe('hclLiteralContent: a plain string (variable default, description) as a quoted HCL string', () => {
  it.each(Object.entries(TEMPLATES))('reads back as exactly that text: %s', async (_name, text) => {
    // hcl2json answers in the template form: a literal ${ or %{ comes back escaped.
    const asTemplate = text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
    await expect(readBack(hclLiteralContent(text))).resolves.toBe(asTemplate);
  });
});

describe('splitTemplate', () => {
  it('separates literal text from sequences, leaving escapes in the literal text', () => {
    expect(splitTemplate('a $${b} ${c} %{ if d }e%{ endif }')).toEqual([
      { kind: 'literal', text: 'a $${b} ' },
      { kind: 'sequence', text: '${c}' },
      { kind: 'literal', text: ' ' },
      { kind: 'sequence', text: '%{ if d }' },
      { kind: 'literal', text: 'e' },
      { kind: 'sequence', text: '%{ endif }' },
    ]);
  });

  it('reads an escape whose braces never close as literal text, %%{ as well as $${', () => {
    expect(splitTemplate('50%%{ off, 5$${ more')).toEqual([{ kind: 'literal', text: '50%%{ off, 5$${ more' }]);
    expect(hclTemplateContent('50%%{ off')).toBe('50%%{ off');
  });
});

describe('hclExpression', () => {
  it('writes lists, maps, null and numbers that parse back to the same value', async () => {
    const value = { list: ['a', 5432, true, null], map: { 'ssm-bastion:stack': 'ecs', Name: 'x', true: 'kw', '1st': 'digit', '-x': 'minus' }, empty: [], nothing: {} };
    await expect(parseHcl(`x = ${hclExpression(value, 'literal')}\n`).then((parsed) => parsed.x)).resolves.toEqual(value);
  });

  it('quotes map keys spelled like true, false or null: bare, Terraform reads them as those values, and a null key is an error', async () => {
    const value = { null: 'n', false: 'f', true: 't', nullable: 'x' };
    const text = hclExpression(value, 'literal', false);
    expect(text).toBe('{ "null" = "n", "false" = "f", "true" = "t", nullable = "x" }');
    await expect(parseHcl(`x = ${text}\n`).then((parsed) => parsed.x)).resolves.toEqual(value);
  });

  it('writes an interpolation-only template as its bare expression (same value), others as quoted templates', async () => {
    const value = { ids: ['${aws_subnet.a.id}', 'x-${var.y}'], count: '${var.on ? 1 : 0}' };
    const text = hclExpression(value, 'template');
    expect(text).toContain('aws_subnet.a.id,');
    expect(text).toContain('count = var.on ? 1 : 0');
    await expect(parseHcl(`x = ${text}\n`).then((parsed) => parsed.x)).resolves.toEqual({
      ids: ['${aws_subnet.a.id}', 'x-${var.y}'],
      count: '${var.on ? 1 : 0}',
    });
    // Strip markers only mean something inside a template: that one stays quoted.
    expect(hclExpression('${~ var.z ~}', 'template')).toBe('"${~ var.z ~}"');
  });

  it('quotes a key that is no identifier (bare, 1st or -x would not read back as that text) and refuses a template sequence in a key', () => {
    expect(hclExpression({ '1st': 1, '-x': 2 }, 'literal', false)).toBe('{ "1st" = 1, "-x" = 2 }');
    for (const key of ['${var.k}', '%{if true}k%{endif}']) expect(() => hclExpression({ [key]: 1 }, 'template')).toThrow(/Object key with a template sequence/);
  });

  it('refuses what has no HCL literal (an unresolved function, NaN)', () => {
    expect(() => hclExpression(() => 1, 'template')).toThrow(HclStringError);
    expect(() => hclExpression(Number.NaN, 'template')).toThrow(HclStringError);
  });
});
