import { parseArgs } from 'node:util';

/** What `npm run synth:hcl -- --help` prints, and what a wrong option is answered with. */
export const SYNTH_HCL_USAGE = [
  'Usage: npm run synth:hcl [-- [--out <dir>] [--force]]',
  '',
  'Writes each stack of bastion.config.json as a Terraform root module: <dir>/<stack>/main.tf, README.md and tests/.',
  '  --out <dir>   where to write (default: dist/terraform)',
  '  --force       also replace a stack folder that holds Terraform state or .tfvars files',
  '  -h, --help    print this and exit',
].join('\n');

/** A command line synth:hcl does not take: the message says what was wrong, the usage what it takes. */
export class SynthHclUsageError extends Error {
  override readonly name = 'SynthHclUsageError';
}

export type SynthHclArgs = { readonly help: true } | { readonly help: false; readonly out: string; readonly force: boolean };

/** The options of `npm run synth:hcl`, or a SynthHclUsageError naming the one it does not take. */
export function parseSynthHclArgs(argv: readonly string[]): SynthHclArgs {
  let values: { out?: string; force?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (error) {
    // node:util's own message ("Unknown option '--fore'", "Option '--out <value>' argument missing"), not its stack.
    throw new SynthHclUsageError(`${(error as Error).message}\n\n${SYNTH_HCL_USAGE}`);
  }
  if (values.help) return { help: true };
  if (values.out !== undefined && values.out.trim() === '') throw new SynthHclUsageError(`--out needs a folder, not an empty string.\n\n${SYNTH_HCL_USAGE}`);
  return { help: false, out: values.out ?? 'dist/terraform', force: values.force ?? false };
}
