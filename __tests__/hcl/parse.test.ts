import { parseHcl } from '../../modules/hcl';

/**
 * parseHcl keeps its last parses (a module is parsed more than once while it is written): each caller must still
 * get a result of its own, and a text that does not parse must fail every time.
 */
describe('parseHcl', () => {
  const text = 'variable "a" {\n  default = ["x", "y"]\n}\n\nlocals {\n  b = { c = 1 }\n}\n';

  it('gives every caller its own result: one changed by its caller leaves the next parse of the same text as it was', async () => {
    const first = await parseHcl(text);
    const pristine = structuredClone(first);
    (first.variable as Record<string, { default: string[] }[]>).a[0]!.default.push('changed');
    delete first.locals;
    const second = await parseHcl(text);
    expect(second).toEqual(pristine);
    expect(second).not.toBe(first);
    expect(second.variable).not.toBe(first.variable);
    // And changing the second leaves a third as parsed.
    second.added = true;
    expect(await parseHcl(text)).toEqual(pristine);
  });

  it('parses the same text under another file name on its own, and a bad text fails each time, naming its file', async () => {
    const bad = 'variable "a" {\n';
    await expect(parseHcl(bad, 'one.tf')).rejects.toThrow(/one\.tf/);
    await expect(parseHcl(bad, 'one.tf')).rejects.toThrow(/one\.tf/);
    await expect(parseHcl(bad, 'two.tf')).rejects.toThrow(/two\.tf/);
    expect(await parseHcl(text, 'other.tf')).toEqual(await parseHcl(text));
  });

  it('still parses what it parsed before, after more texts than it keeps', async () => {
    const texts = Array.from({ length: 12 }, (_, index) => `locals {\n  n = ${index}\n}\n`);
    for (const each of texts) expect(await parseHcl(each)).toEqual({ locals: [{ n: texts.indexOf(each) }] });
    expect(await parseHcl(texts[0]!)).toEqual({ locals: [{ n: 0 }] });
  });
});
