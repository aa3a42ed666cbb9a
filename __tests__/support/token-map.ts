/**
 * cdktf keeps every token it creates in one map for the whole process (`TokenMap`, on
 * `globalThis.__cdktfTokenMap`), so that a string such as `${TfToken[TOKEN.42]}` can be turned back into its
 * token; it never removes one. A test worker runs file after file (runner/worker.js), so that map kept the
 * construct tree of every stack of every file reachable: measured with a garbage collection forced after each
 * file, the live heap of a unit-suite worker grew from about 50 to 270 MiB, every major collection walked all
 * of it, and the workers peaked near 500 MiB each.
 *
 * Once a file has run, its stacks are unreachable, and so are the strings naming their tokens: the worker
 * empties the map. The counter is kept, so a later token never gets the key of an earlier one: a stale token
 * string (one a shared module kept from an earlier file) fails loudly ("Unrecognized Token Key") instead of
 * resolving to another file's token.
 */

interface CdktfTokenMap {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

/** The process's token map, once cdktf has made one (`TokenMap.instance()` makes it on first use). */
function tokenMap(): CdktfTokenMap | undefined {
  return (globalThis as { __cdktfTokenMap?: CdktfTokenMap }).__cdktfTokenMap;
}

/** Forgets every token cdktf has registered in this process; returns how many there were. */
export function releaseCdktfTokens(): number {
  const map = tokenMap();
  if (!map) return 0;
  const released = map.stringTokenMap.size + map.numberTokenMap.size;
  map.stringTokenMap.clear();
  map.numberTokenMap.clear();
  return released;
}
