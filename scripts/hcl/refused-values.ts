import type { ModuleVariable } from './module';

/**
 * Values each validated variable must refuse, by variable name: tests/variables.tftest.hcl of the hand-off
 * plans once with each and expects the variable's validation to fail. Values are as Terraform takes them
 * (JSON-like: strings, numbers, lists, null); a function receives the variable as parsed from main.tf, for a
 * value that depends on the configuration.
 *
 * A validated variable missing here stops `npm run synth:hcl`, naming the entry to add.
 */
export const REFUSED_VALUES: Readonly<Record<string, RefusedValues>> = {
  log_retention_days: [100, 0],
  // Existing VPC mode: the module cannot be planned without real ids. null falls to the validation only for
  // vpc_id: for the lists, the conditions' length()/for fail to evaluate on null (also an error, without the message).
  vpc_id: [null, '', 'my-vpc', 'vpc-123'],
  // The first is malformed and one more than the 16 subnets ecs-bastion's service takes: the first run shows the
  // message of each of that variable's two rules.
  subnet_ids: [Array.from({ length: 17 }, () => 'subnet-1'), [], ['subnet-1'], ['subnet-0123456789abcdef0', 'private-a']],
  route_table_ids: [['rtb-1'], ['rtb-0123456789abcdef0', 'main']],
  ecs_desired_count: [11, -1, 1.5],
  // No size, and the other architecture than the configured (default) instance type's.
  ec2_instance_type: (variable) => ['t4g', GRAVITON.test(String(variable.default)) ? 't3.nano' : 't4g.nano'],
  // Both day fields set: Systems Manager refuses it at apply time, so the validation refuses it at plan time.
  patch_schedule: ['weekly', 'rate(0 days)', 'cron(0 3 * * SUN', 'cron(0 3 * * SUN *)', 'rate(2 day)'],
  patch_timezone: ['CET', 'Europe Berlin', ''],
};

export type RefusedValues = readonly unknown[] | ((variable: ModuleVariable) => readonly unknown[]);

/** Graviton (arm64) instance families: t4g, m7g, c7gn, a1. */
const GRAVITON = /^(a1|[a-z]+[0-9]+g[a-z0-9-]*)\./;

/** This file, as the error for a validated variable without refused values names it. */
const THIS_FILE = 'scripts/hcl/refused-values.ts';

/** The values `variable` must refuse; throws, naming the entry to add, for a validated variable without any. */
export function refusedValues(variable: ModuleVariable): readonly unknown[] {
  const entry = REFUSED_VALUES[variable.name];
  const values = typeof entry === 'function' ? entry(variable) : entry;
  if (!values || values.length === 0) {
    throw new Error(
      `add bad values for variable "${variable.name}" to REFUSED_VALUES in ${THIS_FILE}: it has a validation ` +
        `("${variable.validations.join('"; "')}"), and the tests shipped with the module check that it refuses bad values.`,
    );
  }
  return values;
}
