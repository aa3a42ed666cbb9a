import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withProviderServer } from './provider-server';
import { runOncePerJestRun } from './shared-run';
import { init, requireTerraform, stageEnv } from './terraform';
import { PROVIDER_ONLY_CONFIG } from './terraform-provider';

/**
 * The AWS provider's schema as `terraform providers schema -json` prints it through a provider server behind
 * its schema proxy, printed once per jest run for the files that read it: each print makes Terraform decode
 * the whole schema (about 2 CPU-s, and the init of its folder another 0.8, most of it hashing the provider).
 * provider-server.test reads a cut print and the whole one; hcl/provider-schema.test the whole one.
 */

/** A provider's entry in `terraform providers schema -json`. */
export interface PrintedProviderSchema {
  readonly provider: unknown;
  readonly resource_schemas: Record<string, unknown>;
  readonly data_source_schemas: Record<string, unknown>;
  readonly functions?: unknown;
}

/** The types the cut print asks for: a resource that is also a data source, a data source only, and no type. */
export const CUT_TYPES: ReadonlySet<string> = new Set(['aws_vpc', 'aws_iam_policy_document', 'aws_no_such_type']);

export interface SharedProviderSchemas {
  /** Printed with the proxy told the command may read CUT_TYPES only. */
  readonly cut: PrintedProviderSchema;
  /** Printed next, by the same server, with the proxy told the command may read any type. */
  readonly whole: PrintedProviderSchema;
}

const FILES = { cut: 'cut.json', whole: 'whole.json' } as const;

/** Both prints, made by the first file to ask in this jest run (in a folder of the run) and read by every file. */
export async function sharedProviderSchemas(): Promise<SharedProviderSchemas> {
  const { status, output, dir } = await runOncePerJestRun('aws-provider-schemas', async (folder) => {
    const { provider } = requireTerraform();
    writeFileSync(join(folder, 'main.tf'), PROVIDER_ONLY_CONFIG);
    init(folder, provider);
    // Cut first: the whole schema asked for after a cut answer proves the proxy keeps the provider's answer,
    // not a cut one. Both go to the same server: a process takes back the server it gave back last.
    writeFileSync(join(folder, FILES.cut), printSchema(folder, CUT_TYPES));
    writeFileSync(join(folder, FILES.whole), printSchema(folder, undefined));
    return { status: 0, output: '' };
  });
  if (status !== 0) throw new Error(`Printing the AWS provider's schema failed: ${output}`);
  const read = (file: string) => {
    const printed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { provider_schemas: Record<string, PrintedProviderSchema> };
    return printed.provider_schemas['registry.terraform.io/hashicorp/aws']!;
  };
  return { cut: read(FILES.cut), whole: read(FILES.whole) };
}

function printSchema(dir: string, types: ReadonlySet<string> | undefined): string {
  return withProviderServer(stageEnv(), types, (extra) =>
    execFileSync('terraform', ['providers', 'schema', '-json'], { cwd: dir, env: { ...stageEnv(), ...extra }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }),
  );
}
