/**
 * cdktf records where every token was made (Lazy, Intrinsic, references, computed lists): it captures the
 * whole call stack, with no depth limit, for each one, so that a token that fails to resolve can say where it
 * came from. Under tsx, source maps are on, and Node maps every frame of every such stack back to TypeScript:
 * measured with a CPU profile of the unit suite, about a sixth of the test workers' CPU time went there.
 *
 * In the test workers the stack is captured as V8 gives it, without source mapping: the frames still name the
 * file and function, with the line and column in tsx's compiled output (which can be off the TypeScript source
 * by a line or more). Only token error messages read these stacks, and no test compares them. Test failures
 * keep their mapped stacks: Error.prepareStackTrace is ours only for the duration of one capture.
 */

/** The function whose frame and callers are left out of a captured stack (Error.captureStackTrace's). */
type StackBoundary = Parameters<typeof Error.captureStackTrace>[1];

/** cdktf's module (CommonJS): its exports object itself, which an ES namespace import would copy. */
const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: StackBoundary) => string[] };

/** Frames as V8 prints them (`at file:line:column`), without asking Node to map them. */
const unmapped = (_error: Error, frames: NodeJS.CallSite[]) => frames.map((frame) => `    at ${String(frame)}`).join('\n');

/** cdktf's captureStackTrace (same result shape: one string per frame, `at ` removed), minus the source mapping. */
export function captureUnmappedStackTrace(below?: StackBoundary): string[] {
  const holder = { stack: '' };
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.prepareStackTrace = unmapped;
    Error.captureStackTrace(holder, below ?? captureUnmappedStackTrace);
    // V8 formats the stack on first read: read it while the plain formatter is in place.
    void holder.stack;
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
  return holder.stack ? holder.stack.split('\n').map((line) => line.replace(/^\s*at\s+/, '')) : [];
}

/**
 * Makes cdktf capture token creation stacks without source mapping, in this process. cdktf calls the function
 * through its module's exports object (`(0, stack_trace_1.captureStackTrace)()`), so replacing the export is
 * enough; it is not a public API, which is why a test checks that tokens still get a stack through it.
 */
export function useUnmappedTokenStacks(): void {
  stackTrace.captureStackTrace = captureUnmappedStackTrace;
}
