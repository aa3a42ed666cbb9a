/**
 * HCL as Terraform reads it, from a real HCL parser (@cdktf/hcl2json: HashiCorp's hcl/v2 compiled to WebAssembly).
 *
 * hcl2json gives blocks as arrays, literal values as JSON values and expressions in the JSON syntax's `${...}`
 * form (a literal `${` comes back as `$${`).
 */

export type HclJson = Record<string, unknown>;

/** Parses one HCL file with the real parser; throws with the parser's diagnostics when it is not valid HCL. */
export async function parseHcl(text: string, filename = 'main.tf'): Promise<HclJson> {
  // Loaded on first use: a JSON synthesis (`cdktf synth`) never parses HCL and need not load the parser.
  const { parse } = await import('@cdktf/hcl2json');
  return (await parse(filename, text)) as HclJson;
}
