import type { BastionConfigInput } from '../../modules/config';
import { type PolicyStatementJson, resourcesOfType, type SynthesizedStack, synthStack, type TerraformJson } from '../support/synth';

export * from '../support/resources';

/** Helpers shared by the ec2-bastion, patching and session-manager tests. */

/** Targets of the ec2-bastion tests: one with a host (gets a port-forward command), one range without. */
export const TARGETS: BastionConfigInput['targets'] = [
  { name: 'aurora', port: 5432, securityGroupId: 'sg-0123456789abcdef0', host: 'db.cluster-abc.eu-west-1.rds.amazonaws.com' },
  { name: 'cache', port: 6379, cidr: '10.42.200.0/24' },
];

const cache = new Map<string, SynthesizedStack>();

/** Synthesizes the ec2-bastion stack alone (memoized per input: a synth takes about half a second). */
export function synthEc2(input: BastionConfigInput = {}): SynthesizedStack {
  const key = JSON.stringify(input);
  let stack = cache.get(key);
  if (!stack) {
    stack = synthStack('ec2-bastion', { stacks: ['ec2-bastion'], ...input });
    cache.set(key, stack);
  }
  return stack;
}

/** Every (action, resource, conditions) an Allow statement grants, flattened for "is X allowed on Y" questions. */
export function grants(statements: PolicyStatementJson[]): { action: string; resource: string; conditioned: boolean }[] {
  return statements
    .filter((s) => (s.effect ?? 'Allow') === 'Allow')
    .flatMap((s) =>
      (s.actions ?? []).flatMap((action) => (s.resources ?? []).map((resource) => ({ action, resource, conditioned: (s.condition ?? []).length > 0 }))),
    );
}

/**
 * Follows a `${type.name.attribute}` reference to the literal value of that attribute in the synthesized stack
 * (e.g. the PatchGroup tag that points at the patch group registration); other values are returned as they are.
 */
export function resolved(tf: TerraformJson, value: unknown): unknown {
  const match = /^\$\{([a-z0-9_]+)\.([^.]+)\.([a-z0-9_]+)\}$/.exec(String(value));
  if (!match) return value;
  const [, type, name, attribute] = match;
  const body = resourcesOfType(tf, type)[name];
  return body && attribute in body ? resolved(tf, body[attribute]) : value;
}
