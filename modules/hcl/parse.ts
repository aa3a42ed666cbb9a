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

/** Parses one HCL file with the real parser; throws with the parser's diagnostics when it is not valid HCL. */
export async function parseHcl(text: string, filename = 'main.tf'): Promise<HclJson> {
  // Loaded on first use: a JSON synthesis (`cdktf synth`) never parses HCL and need not load the parser.
  const { parse } = await import('@cdktf/hcl2json');
  return (await parse(filename, text)) as HclJson;
}
