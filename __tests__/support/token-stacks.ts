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

/** The frames themselves: V8 hands them to Error.prepareStackTrace, and whatever it returns becomes `stack`. */
const callSites = (_error: Error, frames: NodeJS.CallSite[]) => frames;

/**
 * cdktf's captureStackTrace (same result: one string per frame, as V8 prints it without `at `), minus the source
 * mapping, and formatted only when read: most tokens never fail to resolve, so most stacks are never read.
 */
export function captureUnmappedStackTrace(below?: StackBoundary): string[] {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  try {
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.prepareStackTrace = callSites;
    Error.captureStackTrace(holder, below ?? captureUnmappedStackTrace);
    // V8 calls prepareStackTrace on the first read: read it while ours is in place.
    return formattedWhenRead(Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : []);
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

/**
 * An array of the frames as text (`function (file:line:column)`), filled on its first use of any kind. The
 * proxy's target is the array itself, filled before any operation reaches it, so it behaves as that array.
 */
function formattedWhenRead(frames: readonly NodeJS.CallSite[]): string[] {
  const lines: string[] = [];
  let filled = false;
  const fill = () => {
    if (!filled) {
      filled = true;
      lines.push(...frames.map(String));
    }
    return lines;
  };
  return new Proxy(lines, {
    get: (_target, key, receiver) => Reflect.get(fill(), key, receiver),
    set: (_target, key, value, receiver) => Reflect.set(fill(), key, value, receiver),
    has: (_target, key) => Reflect.has(fill(), key),
    ownKeys: () => Reflect.ownKeys(fill()),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(fill(), key),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(fill(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(fill(), key),
  });
}

/**
 * Makes cdktf capture token creation stacks without source mapping, in this process. cdktf calls the function
 * through its module's exports object (`(0, stack_trace_1.captureStackTrace)()`), so replacing the export is
 * enough; it is not a public API, which is why a test checks that tokens still get a stack through it.
 */
export function useUnmappedTokenStacks(): void {
  stackTrace.captureStackTrace = captureUnmappedStackTrace;
}
