import type { BastionConfigInput } from '../../modules/config';
import { type PolicyStatementJson, type SynthesizedStack, synthStack, type TerraformJson } from '../support/synth';

import { onlyResource, readJsonencode } from '../support/resources';

export * from '../support/resources';

/** Targets used across the ecs-bastion tests: one with a host, one /32 range, one with neither. */
export const TARGETS: BastionConfigInput['targets'] = [
  { name: 'aurora', port: 5432, securityGroupId: 'sg-0123456789abcdef0', host: 'db.cluster-abc.eu-west-1.rds.amazonaws.com' },
  { name: 'cache', port: 6379, cidr: '10.42.200.7/32' },
  { name: 'search', port: 443, cidr: '10.42.128.0/24' },
];

export function synthEcs(input: BastionConfigInput = {}): SynthesizedStack {
  return synthStack('ecs-bastion', { stacks: ['ecs-bastion'], ...input });
}

/** IAM's wildcard match (`*` any run, `?` one character) of a policy pattern against a requested resource. */
export function iamMatches(pattern: string, resource: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(resource);
}

/**
 * Whether an Allow statement grants `action` on `resource`, the way `iam simulate-principal-policy` (which
 * amazon-ecs-exec-checker calls) would decide it with no context keys: statements with conditions don't count.
 */
export function allows(statements: readonly PolicyStatementJson[], action: string, resource = '*'): boolean {
  return statements.some(
    (s) =>
      (s.effect ?? 'Allow') === 'Allow' &&
      (s.condition ?? []).length === 0 &&
      (s.actions ?? []).some((a) => iamMatches(a, action)) &&
      (s.resources ?? []).some((r) => iamMatches(r, resource)),
  );
}

/** The container definitions of the only task definition, as ECS will receive them. */
export function containerDefinitions(tf: TerraformJson): Record<string, unknown>[] {
  return readJsonencode(onlyResource(tf, 'aws_ecs_task_definition').body.container_definitions) as Record<string, unknown>[];
}
