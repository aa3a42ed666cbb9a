/**
 * HCL as Terraform reads it, from a real HCL parser (@cdktf/hcl2json: HashiCorp's hcl/v2 compiled to WebAssembly).
 *
 * hcl2json gives blocks as arrays, literal values as JSON values and expressions in the JSON syntax's `${...}`
 * form (a literal `${` comes back as `$${`).
 *
 * The processes that parse run node with `--liftoff-only` (cdktf.json's app, `npm run synth:hcl`, the test
 * workers): V8 then compiles the parser's WebAssembly (a whole Go runtime) with its baseline compiler only,
 * instead of also recompiling it with TurboFan in background threads. Measured: a process that parses a
 * stack's HCL five times used 1.05 CPU-s instead of 2.4, and its first parse took 0.49 s instead of 0.8;
 * `cdktf synth --hcl`'s app went from 6.5 to 4.5 CPU-s and 250 to 187 MB.
 */

export type HclJson = Record<string, unknown>;

/**
 * The last parses of this process, by file name and text. Writing a module parses the same text more than once
 * (the spacing check parses the formatted and the spaced file, then the module is read from the spaced one),
 * and a stack's main.tf takes about 0.12 s of CPU to parse; a test process writes the same modules again and
 * again. Each caller gets its own copy, so one that changes what it got changes nothing for the next.
 */
const recentParses = new Map<string, HclJson>();
const RECENT_PARSES = 8;

/** Parses one HCL file with the real parser; throws with the parser's diagnostics when it is not valid HCL. */
export async function parseHcl(text: string, filename = 'main.tf'): Promise<HclJson> {
  const key = `${filename}\0${text}`;
  let parsed = recentParses.get(key);
  if (parsed) {
    recentParses.delete(key); // most recently used last
  } else {
    // Loaded on first use: a JSON synthesis (`cdktf synth`) never parses HCL and need not load the parser.
    const { parse } = await import('@cdktf/hcl2json');
    parsed = (await parse(filename, text)) as HclJson;
    if (recentParses.size >= RECENT_PARSES) recentParses.delete(recentParses.keys().next().value!);
  }
  recentParses.set(key, parsed);
  return structuredClone(parsed);
}
