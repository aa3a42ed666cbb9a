import type { IamRequest } from '../../cli/permissions';
import { iamMatches } from '../ecs-bastion/support';
import { type PolicyStatementJson, resourcesOfType, type TerraformJson } from '../support/synth';

/**
 * The statements with the ARNs Terraform will write where the synthesized policy references a resource whose
 * name is literal (a log group's name, a bucket's ARN); other references (the key ARN) stay as they are, and
 * requests name them the same way.
 */
export function withLiteralArns(tf: TerraformJson, statements: readonly PolicyStatementJson[]): PolicyStatementJson[] {
  const literal = (text: string) =>
    text.replace(/\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}/g, (reference, type: string, name: string, attribute: string) => {
      const body = resourcesOfType(tf, type)[name];
      if (typeof body?.[attribute] === 'string') return body[attribute] as string;
      if (type === 'aws_s3_bucket' && attribute === 'arn' && typeof body?.bucket === 'string') return `arn:aws:s3:::${body.bucket}`;
      return reference;
    });
  return statements.map((s) => ({
    ...s,
    resources: s.resources?.map(literal),
    condition: s.condition?.map((c) => ({ ...c, values: c.values.map(literal) })),
  }));
}

function conditionHolds(condition: { test: string; variable: string; values: string[] }, context: IamRequest['context'] = {}): boolean {
  const ifExists = condition.test.endsWith('IfExists');
  const operator = condition.test.replace(/IfExists$/, '');
  const present = context[condition.variable];
  if (present === undefined) return ifExists;
  const values = typeof present === 'string' ? [present] : present;
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
    case 'Bool':
      return values.some((value) => condition.values.includes(value));
    case 'StringLike':
    case 'ArnLike':
      return values.some((value) => condition.values.some((pattern) => iamMatches(pattern, value)));
    default:
      throw new Error(`this evaluator does not know the condition operator ${condition.test}`);
  }
}

/**
 * Whether an identity policy allows a request: an Allow statement whose action, resource and every condition
 * (evaluated against the request's context; a missing key fails unless the operator ends in IfExists) match.
 * Enough for the auditor policy, which has no Deny and no NotAction; the authorization simulation of the whole
 * deployment (identity, key and bucket policies) is `__tests__/authorization`.
 */
export function allowedBy(statements: readonly PolicyStatementJson[], request: IamRequest): boolean {
  return statements.some(
    (s) =>
      (s.effect ?? 'Allow') === 'Allow' &&
      (s.actions ?? []).some((action) => iamMatches(action.toLowerCase(), request.action.toLowerCase())) &&
      (s.resources ?? []).some((resource) => iamMatches(resource, request.resource)) &&
      (s.condition ?? []).every((condition) => conditionHolds(condition, request.context)),
  );
}
