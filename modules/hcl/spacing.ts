import { isDeepStrictEqual } from 'node:util';
import { parseHcl } from './parse';

/**
 * Blank lines between top-level blocks, none doubled, none before a closing brace, one newline at the end —
 * cdktf's renderer leaves them uneven and `terraform fmt` does not touch blank lines. Only whitespace between
 * lines changes; that is safe because the HCL written here never has a string spanning lines (no heredocs: every
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
  if (spaced === text) return text; // nothing moved, nothing to check
  if (!isDeepStrictEqual(await parseHcl(text), await parseHcl(spaced))) {
    throw new Error('Spacing the HCL changed what it means (a string spanning lines?): refusing to write it.');
  }
  return spaced;
}
