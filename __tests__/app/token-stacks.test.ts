import { Lazy, Token } from 'cdktf';
import { captureUnmappedStackTrace } from '../support/token-stacks';

// cdktf's own module, as the workers patched it (support/setup.ts → useUnmappedTokenStacks).
const cdktfStackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: typeof captureUnmappedStackTrace };

function makeLazyToken(): { creationStack: string[] } {
  return Token.asAny(Lazy.stringValue({ produce: () => 'x' })) as unknown as { creationStack: string[] };
}

describe('token creation stacks in the test workers', () => {
  it('are captured by our unmapped capture: cdktf calls it through its module exports', () => {
    expect(cdktfStackTrace.captureStackTrace).toBe(captureUnmappedStackTrace);
    const spy = jest.spyOn(cdktfStackTrace, 'captureStackTrace');
    try {
      makeLazyToken();
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('still name where the token was made, with every frame (no depth limit)', () => {
    const stack = makeLazyToken().creationStack;
    expect(stack.some((frame) => frame.startsWith('makeLazyToken ') && frame.includes('token-stacks.test.ts:'))).toBe(true);
    expect(stack.length).toBeGreaterThan(Error.stackTraceLimit);
    expect(stack.every((frame) => !frame.startsWith('at '))).toBe(true);
  });

  it('behave as the array of text frames they stand for, however they are read', () => {
    const stack = makeLazyToken().creationStack;
    const copy = [...stack];
    expect(Array.isArray(stack)).toBe(true);
    expect(copy.length).toBe(stack.length);
    expect(copy.every((frame) => typeof frame === 'string' && frame.length > 0)).toBe(true);
    expect(stack.join('\n')).toBe(copy.join('\n'));
    expect(JSON.parse(JSON.stringify(stack))).toEqual(copy);
    expect(Object.keys(stack)).toEqual(copy.map((_frame, index) => String(index)));
    // cdktf's own use: a resolution error lists the stack after "Object creation stack".
    expect(`  at ${stack.join('\n  at ')}`).toContain('makeLazyToken');
    // Read first through length, as cdktf does (`creationStack.length > 0`).
    const other = makeLazyToken().creationStack;
    expect(other.length).toBeGreaterThan(0);
    expect(other[0]).toEqual(expect.any(String));
  });

  it('leave the stack settings as they were, so test failures keep their source-mapped stacks', () => {
    const before = { limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace };
    captureUnmappedStackTrace();
    expect({ limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace }).toEqual(before);
  });

  it('leave the settings as they were when the capture throws', () => {
    const before = { limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace };
    const captureStackTrace = jest.spyOn(Error, 'captureStackTrace').mockImplementation(() => {
      throw new Error('capture failed');
    });
    try {
      expect(() => captureUnmappedStackTrace()).toThrow('capture failed');
    } finally {
      captureStackTrace.mockRestore();
    }
    expect({ limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace }).toEqual(before);
  });
});
