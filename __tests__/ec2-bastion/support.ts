import type { BastionConfigInput } from '../../modules/config';
import { type PolicyStatementJson, policyStatements, resourcesOfType, type SynthesizedStack, synthStack, type TerraformJson } from '../support/synth';

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

export interface Found {
  readonly name: string;
  readonly body: Record<string, unknown>;
}

/** The one resource of a type (fails the test if there are none or several). */
export function onlyResource(tf: TerraformJson, type: string): Found {
  const entries = Object.entries(resourcesOfType(tf, type));
  if (entries.length !== 1) throw new Error(`expected exactly one ${type}, found ${entries.length}`);
  return { name: entries[0][0], body: entries[0][1] };
}

/** The resource of a type whose attribute has a value. */
export function resourceWhere(tf: TerraformJson, type: string, attribute: string, value: unknown): Found {
  const found = Object.entries(resourcesOfType(tf, type)).filter(([, body]) => body[attribute] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${attribute}=${JSON.stringify(value)}, found ${found.length}`);
  return { name: found[0][0], body: found[0][1] };
}

/** `${<type>.<name>.<attribute>}`: how cdktf writes a reference to another resource's attribute. */
export function ref(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}

function documentName(reference: unknown): string {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(reference));
  if (!match) throw new Error(`not a policy document reference: ${String(reference)}`);
  return match[1];
}

/** The statements of the policy document a `${data.aws_iam_policy_document.X.json}` reference points to. */
export function statementsOf(tf: TerraformJson, reference: unknown): PolicyStatementJson[] {
  return policyStatements(tf)[documentName(reference)];
}

/** The statements of the inline policy of the IAM role with this name. */
export function roleStatements(tf: TerraformJson, roleName: string): PolicyStatementJson[] {
  const role = resourceWhere(tf, 'aws_iam_role', 'name', roleName);
  const policy = resourceWhere(tf, 'aws_iam_role_policy', 'role', ref('aws_iam_role', role.name, 'id'));
  return statementsOf(tf, policy.body.policy);
}

/** The trust statements of the IAM role with this name. */
export function trustStatements(tf: TerraformJson, roleName: string): PolicyStatementJson[] {
  return statementsOf(tf, resourceWhere(tf, 'aws_iam_role', 'name', roleName).body.assume_role_policy);
}

/** The statement with this sid (fails if absent). */
export function statement(statements: PolicyStatementJson[], sid: string): PolicyStatementJson {
  const found = statements.find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid} among ${statements.map((s) => s.sid).join(', ')}`);
  return found;
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
 * Parses the object inside a `${jsonencode({...})}` expression as cdktf writes it ("key" = value, references
 * bare): references become strings such as "aws_kms_key.audit_key_1234.key_id".
 */
export function jsonencoded(expression: unknown): Record<string, unknown> {
  const match = /^\$\{jsonencode\((.*)\)\}$/s.exec(String(expression));
  if (!match) throw new Error(`not a jsonencode expression: ${String(expression).slice(0, 80)}`);
  const json = match[1].replace(/("(?:[^"\\]|\\.)*")\s*=\s*/g, '$1: ').replace(/(:\s*)(?!true\b|false\b|null\b)([A-Za-z_][\w.[\]*-]*)(?=\s*[,}\]])/g, '$1"$2"');
  return JSON.parse(json) as Record<string, unknown>;
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
