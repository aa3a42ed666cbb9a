import { Lazy, TerraformOutput, TerraformStack, Testing, Tokenization } from 'cdktf';
import { releaseCdktfTokens } from '../support/token-map';

/** The keys of the tokens a string names. */
const keysIn = (text: string) => [...text.matchAll(/TfToken\[([^\]]+)\]/g)].map((match) => match[1]);

describe("emptying cdktf's token map between test files (support/token-map.ts)", () => {
  it('forgets every token made before, so a stale token string fails loudly', () => {
    const before = Lazy.stringValue({ produce: () => 'before' });
    const number = Lazy.numberValue({ produce: () => 1 });
    expect(Tokenization.reverseString(before).firstToken).toBeDefined();
    expect(releaseCdktfTokens()).toBeGreaterThanOrEqual(2);
    expect(() => Tokenization.reverseString(before)).toThrow(/Unrecognized token key/i);
    expect(() => Tokenization.reverseNumber(number)).toThrow();
    expect(releaseCdktfTokens()).toBe(0);
  });

  it('never gives a later token the key of an earlier one', () => {
    const [earlier] = keysIn(Lazy.stringValue({ produce: () => 'earlier' }));
    releaseCdktfTokens();
    const [later] = keysIn(Lazy.stringValue({ produce: () => 'later' }));
    expect(earlier).toBeDefined();
    expect(later).not.toBe(earlier);
  });

  it('leaves cdktf working: a stack made after the release synthesizes its tokens', () => {
    releaseCdktfTokens();
    const stack = new TerraformStack(Testing.app(), 'after-release');
    new TerraformOutput(stack, 'lazy', { value: Lazy.stringValue({ produce: () => 'resolved' }) });
    expect(JSON.parse(Testing.synth(stack)).output.lazy.value).toBe('resolved');
  });
});
