import { App, Testing } from 'cdktf';
import { type BastionConfigInput, parseConfig, type StackName } from '../../modules/config';
import { Ec2BastionStack, EcsBastionStack } from '../../modules/stacks';

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

/** Synthesizes one stack from a configuration (as written in bastion.config.json). */
export function synthStack(stackName: StackName, input: BastionConfigInput = {}): SynthesizedStack {
  // One stack per synth, as a deployment into an existing VPC must be (see the shared-VPC check).
  const config = parseConfig({ accountId: TEST_ACCOUNT, stacks: [stackName], ...input });
  const app: App = Testing.app();
  const stack = stackName === 'ecs-bastion' ? new EcsBastionStack(app, config) : new Ec2BastionStack(app, config);
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as TerraformJson, stack };
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
  condition?: { test: string; variable: string; values: string[] }[];
}
