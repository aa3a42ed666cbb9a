import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BastionConfigInput, StackName } from '../../modules/config';
import type { Ec2BastionStack, EcsBastionStack } from '../../modules/stacks';
import { SYNTH_CACHE_VARIABLE, writeWhole } from './synth-cache';

/** A fixed account, so ARNs are literal and no aws_caller_identity lookup appears. */
export const TEST_ACCOUNT = '123456789012';

/** Settings that let the real provider plan with no network and dummy credentials. */
export const OFFLINE_PROVIDER = {
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: true,
  skipRegionValidation: true,
} as const;

export interface SynthesizedStack {
  /** cdk.tf.json as a string (what the cdktf matchers take). */
  readonly json: string;
  /** cdk.tf.json parsed. */
  readonly tf: TerraformJson;
  /** The stack construct, for Testing.synthScope-style assertions on its attributes. */
  readonly stack: EcsBastionStack | Ec2BastionStack;
}

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  variable?: Record<string, Record<string, unknown>>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
}

/** Synthesizes the stack construct itself (what a cache hit defers until a test asks for `stack`). */
function constructStack(stackName: StackName, configInput: BastionConfigInput): { json: string; stack: EcsBastionStack | Ec2BastionStack } {
  // Loaded here, not at the top: a test file whose stacks all come from the cache never loads the modules.
  const { Testing } = require('cdktf') as typeof import('cdktf');
  const { parseConfig } = require('../../modules/config') as typeof import('../../modules/config');
  const { Ec2BastionStack: Ec2, EcsBastionStack: Ecs } = require('../../modules/stacks') as typeof import('../../modules/stacks');
  const config = parseConfig(configInput);
  const app = Testing.app();
  const stack = stackName === 'ecs-bastion' ? new Ecs(app, config) : new Ec2(app, config);
  return { json: Testing.synth(stack), stack };
}

/** JSON with the keys of every object sorted: one key per configuration however its fields are ordered. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** cdk.tf.json of each configuration synthesized in this process, by its canonical key. */
const synthesized = new Map<string, string>();

/**
 * cdk.tf.json of a configuration: from this process, else from the run's cache folder (another test file
 * synthesized it), else synthesized and written there. A jest run's folder is new (global-setup.ts), so
 * the source cannot change under it; without one (a single file run by hand) only this process remembers.
 */
function cachedJson(stackName: StackName, configInput: BastionConfigInput): { json: string; stack?: EcsBastionStack | Ec2BastionStack } {
  const key = canonical({ stackName, configInput });
  const known = synthesized.get(key);
  if (known !== undefined) return { json: known };
  const folder = process.env[SYNTH_CACHE_VARIABLE];
  const file = folder ? join(folder, `${createHash('sha256').update(key).digest('hex')}.json`) : undefined;
  if (file) {
    try {
      const json = readFileSync(file, 'utf8');
      synthesized.set(key, json);
      return { json };
    } catch {
      // not synthesized yet in this run
    }
  }
  const made = constructStack(stackName, configInput);
  synthesized.set(key, made.json);
  if (file && folder) {
    mkdirSync(folder, { recursive: true });
    writeWhole(file, made.json);
  }
  return made;
}

/**
 * Synthesizes one stack from a configuration (as written in bastion.config.json). Each configuration is
 * synthesized once per test run and shared by the test files; `tf` is parsed anew for each caller, so a test
 * that changes it changes no other test's copy.
 */
export function synthStack(stackName: StackName, input: BastionConfigInput = {}): SynthesizedStack {
  // One stack per synth, as a deployment into an existing VPC must be (see the shared-VPC check).
  const configInput: BastionConfigInput = { accountId: TEST_ACCOUNT, stacks: [stackName], ...input };
  const { json, stack } = cachedJson(stackName, configInput);
  let construct = stack;
  return {
    json,
    tf: JSON.parse(json) as TerraformJson,
    get stack() {
      construct ??= constructStack(stackName, configInput).stack;
      return construct;
    },
  };
}

/** All resources of a type in a synthesized stack, by their Terraform name. */
export function resourcesOfType(tf: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return tf.resource?.[type] ?? {};
}

/** The statements of every aws_iam_policy_document, keyed by the data source name. */
export function policyStatements(tf: TerraformJson): Record<string, PolicyStatementJson[]> {
  const documents = tf.data?.aws_iam_policy_document ?? {};
  return Object.fromEntries(Object.entries(documents).map(([name, doc]) => [name, (doc.statement ?? []) as PolicyStatementJson[]]));
}

export interface PolicyStatementJson {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] | string }[];
}
