import { createHash } from 'node:crypto';
import { type PolicyStatementJson, policyStatements, resourcesOfType, type TerraformJson } from '../support/synth';

/**
 * The policies of a synthesized stack as IAM will hold them after apply: every `aws_iam_policy_document` turned
 * into policy JSON, with the references Terraform resolves (`${aws_s3_bucket.x.arn}`, `${aws_kms_key.k.arn}`)
 * replaced by the values it will write, and `$${aws:userid}` (Terraform's escape) by the IAM policy variable.
 * A reference this model cannot resolve is an error, so a new kind of reference cannot slip by unchecked.
 */

/** The key ARN the model gives the stack's audit key (KMS makes up the id at apply time). */
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

export interface IamPolicyJson {
  readonly Version: '2012-10-17';
  readonly Statement: Record<string, unknown>[];
}

export interface Where {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

function attributeValue(tf: TerraformJson, where: Where, type: string, name: string, attribute: string): string {
  const body = resourcesOfType(tf, type)[name];
  if (!body) throw new Error(`reference to a missing resource ${type}.${name}`);
  const literal = (value: unknown) => {
    if (typeof value !== 'string' || value.includes('${')) throw new Error(`${type}.${name}.${attribute} is not a literal the model can use: ${String(value)}`);
    return value;
  };
  const { partition, region, accountId } = where;
  switch (`${type}.${attribute}`) {
    case 'aws_kms_key.arn':
      return `arn:${partition}:kms:${region}:${accountId}:key/${KEY_ID}`;
    case 'aws_kms_key.key_id':
    case 'aws_kms_key.id':
      return KEY_ID;
    case 'aws_s3_bucket.arn':
      return `arn:${partition}:s3:::${literal(body.bucket)}`;
    case 'aws_s3_bucket.id':
    case 'aws_s3_bucket.bucket':
      return literal(body.bucket);
    case 'aws_cloudwatch_log_group.arn':
      // The provider's arn has no trailing ":*".
      return `arn:${partition}:logs:${region}:${accountId}:log-group:${literal(body.name)}`;
    case 'aws_ecs_cluster.arn':
      return `arn:${partition}:ecs:${region}:${accountId}:cluster/${literal(body.name)}`;
    case 'aws_ssm_document.arn':
      return `arn:${partition}:ssm:${region}:${accountId}:document/${literal(body.name)}`;
    case 'aws_iam_role.arn':
      return `arn:${partition}:iam::${accountId}:role/${literal(body.name)}`;
    case 'aws_ecr_repository.arn':
      return `arn:${partition}:ecr:${region}:${accountId}:repository/${literal(body.name)}`;
    case 'aws_subnet.id':
      // EC2 makes the id up at apply; one per subnet resource, the same wherever it is referenced.
      return `subnet-${createHash('sha256').update(name).digest('hex').slice(0, 17)}`;
    default:
      if (attribute in body) return literal(body[attribute]);
      throw new Error(`the IAM model cannot resolve ${type}.${name}.${attribute}`);
  }
}

const ESCAPED = '\u0000ESCAPED\u0000';

/** The instance id the model gives the EC2 bastion (EC2 makes it up at launch); the model's bastion is running. */
export const INSTANCE_ID = 'i-0123456789abcdef0';

/**
 * `Ec2Bastion.instanceArn`: the ARN of the counted instance, or a placeholder while parked. The model describes a
 * running bastion, so it is the instance's ARN; the parked form is checked by the Terraform stage's plan.
 */
const COUNTED_INSTANCE_ARN = /\$\{coalesce\(one\((aws_instance)\.([^.[]+)\[\*\]\.arn\), "[^"]+"\)\}/g;

/** A string of a policy document with every Terraform reference resolved and escapes turned into IAM variables. */
export function resolveText(tf: TerraformJson, where: Where, text: string): string {
  return text
    .split('$${')
    .join(ESCAPED)
    .replace(COUNTED_INSTANCE_ARN, (_all, type: string, name: string) => {
      if (!resourcesOfType(tf, type)[name]) throw new Error(`reference to a missing resource ${type}.${name}`);
      return `arn:${where.partition}:ec2:${where.region}:${where.accountId}:instance/${INSTANCE_ID}`;
    })
    .replace(/\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}/g, (_all, type: string, name: string, attribute: string) =>
      attributeValue(tf, where, type, name, attribute),
    )
    .replace(/\$\{[^}]*\}/g, (unresolved) => {
      throw new Error(`the IAM model cannot resolve ${unresolved}`);
    })
    .split(ESCAPED)
    .join('${');
}

/** One statement of an aws_iam_policy_document as IAM JSON. */
function statementJson(tf: TerraformJson, where: Where, statement: PolicyStatementJson): Record<string, unknown> {
  const resolve = (text: string) => resolveText(tf, where, text);
  const out: Record<string, unknown> = { Effect: statement.effect ?? 'Allow', Action: (statement.actions ?? []).map(resolve) };
  if (statement.sid) out.Sid = statement.sid;
  if (statement.resources) out.Resource = statement.resources.map(resolve);
  if (statement.principals) {
    const principal: Record<string, string[]> = {};
    for (const p of statement.principals) {
      if (p.type === '*') return { ...out, Principal: '*', ...(conditions(tf, statement, resolve) ?? {}) };
      principal[p.type] = [...(principal[p.type] ?? []), ...p.identifiers.map(resolve)];
    }
    out.Principal = principal;
  }
  return { ...out, ...(conditions(tf, statement, resolve) ?? {}) };
}

function conditions(tf: TerraformJson, statement: PolicyStatementJson, resolve: (text: string) => string): { Condition: Record<string, Record<string, string[]>> } | undefined {
  if (!statement.condition?.length) return undefined;
  const condition: Record<string, Record<string, string[]>> = {};
  for (const c of statement.condition) {
    const byKey = (condition[c.test] ??= {});
    if (byKey[c.variable]) throw new Error(`two ${c.test} conditions on ${c.variable} in ${statement.sid}: Terraform would merge them`);
    byKey[c.variable] = listValues(tf, c.values).map(resolve);
  }
  return { Condition: condition };
}

/**
 * A list argument: literal strings, or one `${var.x}` (a list variable, e.g. the subnets of an existing VPC),
 * which the model takes at its default: the value the configuration wrote.
 */
function listValues(tf: TerraformJson, values: string[] | string): string[] {
  if (Array.isArray(values)) return values;
  const variable = /^\$\{var\.([a-z0-9_]+)\}$/.exec(values)?.[1];
  const value = variable ? tf.variable?.[variable]?.default : undefined;
  if (!Array.isArray(value)) throw new Error(`the IAM model cannot resolve the list ${values}`);
  return value.map(String);
}

/** The aws_iam_policy_document a `${data.aws_iam_policy_document.X.json}` reference names, as IAM JSON. */
export function policyJson(tf: TerraformJson, where: Where, reference: unknown): IamPolicyJson {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(reference));
  if (!match) throw new Error(`not a policy document reference: ${String(reference)}`);
  const statements = policyStatements(tf)[match[1]];
  if (!statements) throw new Error(`no policy document ${match[1]}`);
  return { Version: '2012-10-17', Statement: statements.map((s) => statementJson(tf, where, s)) };
}

/** The policies of one synthesized stack, by what they are attached to. */
export class IamModel {
  constructor(
    readonly tf: TerraformJson,
    readonly where: Where,
  ) {}

  private byName(type: string, attribute: string, value: string): Record<string, unknown> {
    const found = Object.values(resourcesOfType(this.tf, type)).filter((body) => body[attribute] === value);
    if (found.length !== 1) throw new Error(`expected one ${type} with ${attribute}=${value}, found ${found.length}`);
    return found[0];
  }

  private roleKey(roleName: string): string {
    const [key] = Object.entries(resourcesOfType(this.tf, 'aws_iam_role')).find(([, body]) => body.name === roleName) ?? [];
    if (!key) throw new Error(`no role ${roleName}; roles: ${Object.values(resourcesOfType(this.tf, 'aws_iam_role')).map((r) => r.name).join(', ')}`);
    return key;
  }

  /** The names of the stack's roles. */
  roleNames(): string[] {
    return Object.values(resourcesOfType(this.tf, 'aws_iam_role')).map((role) => String(role.name));
  }

  /** The names of the stack's managed policies. */
  managedPolicyNames(): string[] {
    return Object.values(resourcesOfType(this.tf, 'aws_iam_policy')).map((policy) => String(policy.name));
  }

  /** The inline policies of a role (and managed policies attached to it: the stacks attach none). */
  rolePolicies(roleName: string): IamPolicyJson[] {
    const key = this.roleKey(roleName);
    const inline = Object.values(resourcesOfType(this.tf, 'aws_iam_role_policy')).filter((p) => p.role === `\${aws_iam_role.${key}.id}`);
    const attached = Object.values(resourcesOfType(this.tf, 'aws_iam_role_policy_attachment')).filter((p) => p.role === `\${aws_iam_role.${key}.name}`);
    if (attached.length > 0) throw new Error(`role ${roleName} has managed policies attached; the model does not resolve them`);
    return inline.map((p) => policyJson(this.tf, this.where, p.policy));
  }

  /** Who may assume a role. */
  trustPolicy(roleName: string): IamPolicyJson {
    return policyJson(this.tf, this.where, resourcesOfType(this.tf, 'aws_iam_role')[this.roleKey(roleName)].assume_role_policy);
  }

  /** A customer-managed policy of the stack (operator_policy_arn, auditor_policy_arn). */
  managedPolicy(name: string): IamPolicyJson {
    return policyJson(this.tf, this.where, this.byName('aws_iam_policy', 'name', name).policy);
  }

  /** The policy of the stack's audit key. */
  keyPolicy(): IamPolicyJson {
    const [key] = Object.values(resourcesOfType(this.tf, 'aws_kms_key'));
    return policyJson(this.tf, this.where, key.policy);
  }

  /** ARN of the audit key, as the model resolves it. */
  keyArn(): string {
    return `arn:${this.where.partition}:kms:${this.where.region}:${this.where.accountId}:key/${KEY_ID}`;
  }

  /** The policy of a bucket of the stack, by bucket name (undefined when the stack has no such bucket). */
  bucketPolicy(bucketName: string): IamPolicyJson | undefined {
    const [bucketKey] = Object.entries(resourcesOfType(this.tf, 'aws_s3_bucket')).find(([, body]) => body.bucket === bucketName) ?? [];
    if (!bucketKey) return undefined;
    const policy = Object.values(resourcesOfType(this.tf, 'aws_s3_bucket_policy')).find((p) => p.bucket === `\${aws_s3_bucket.${bucketKey}.id}`);
    return policy ? policyJson(this.tf, this.where, policy.policy) : undefined;
  }

  /** The subnets of the ECS bastion's service, as the model resolves them. */
  ecsServiceSubnets(): string[] {
    const [service] = Object.values(resourcesOfType(this.tf, 'aws_ecs_service'));
    const subnets = (service?.network_configuration as { subnets?: string[] | string } | undefined)?.subnets;
    if (!subnets) throw new Error('the stack has no ECS service with subnets');
    return listValues(this.tf, subnets).map((subnet) => resolveText(this.tf, this.where, subnet));
  }

  /** The policy of the S3 gateway endpoint the stack creates (undefined: none, or AWS's full-access default). */
  s3EndpointPolicy(): IamPolicyJson | undefined {
    const gateway = Object.values(resourcesOfType(this.tf, 'aws_vpc_endpoint')).find((e) => e.vpc_endpoint_type === 'Gateway');
    return gateway?.policy ? policyJson(this.tf, this.where, gateway.policy) : undefined;
  }

  /** Whether the stack creates an S3 gateway endpoint (whatever its policy). */
  hasS3GatewayEndpoint(): boolean {
    return Object.values(resourcesOfType(this.tf, 'aws_vpc_endpoint')).some((e) => e.vpc_endpoint_type === 'Gateway');
  }
}
