import { type PolicyStatementJson, policyStatements, resourcesOfType, type TerraformJson } from './synth';

/**
 * Exact grants: a policy document flattened into one readable line per (sid, effect, action, resource, principal),
 * each with the statement's conditions, so two documents compare equal only when they grant exactly the same.
 * An added action, resource, principal, statement or condition shows up in a test failure as the line it adds.
 *
 * Why this flattening is exact: actions, resources, principals and condition values are each alternatives (any of
 * them matches), and the conditions of a statement all apply; so the cross product of the alternatives, each line
 * carrying every condition, is what the statement grants. Sids are kept on every line, and a repeated or missing
 * sid is a line of its own, so a statement cannot hide inside another. Order is not meaningful anywhere in this
 * (statements, actions, resources, principals, conditions, values), so the lines are sorted.
 */

/** The keys a statement of the `aws_iam_policy_document` data source may have in the synthesized JSON. */
const KNOWN_KEYS = new Set(['sid', 'effect', 'actions', 'resources', 'principals', 'condition']);

function conditionText(condition: { test: string; variable: string; values: string[] | string }): string {
  // One string is a list expression (`${var.subnet_ids}`): Terraform renders the list it holds.
  const values = typeof condition.values === 'string' ? [condition.values] : [...condition.values].sort();
  return `${condition.test} ${condition.variable}=${values.join('|')}`;
}

/**
 * The grant lines of a document (synthesized, or an expected table in the same shape), sorted:
 * `Sid: Allow ecs:ExecuteCommand on <resource> if StringEquals ecs:container-name=bastion`, with
 * `by <principal type> <id>` for resource policies and trust policies (which name no resource).
 */
export function grantLines(statements: readonly PolicyStatementJson[]): string[] {
  const lines: string[] = [];
  const sids = statements.map((s) => s.sid ?? '(no sid)');
  for (const sid of new Set(sids.filter((s, i) => sids.indexOf(s) !== i))) lines.push(`${sid}: the sid of ${sids.filter((s) => s === sid).length} statements`);
  for (const [index, s] of statements.entries()) {
    const sid = sids[index];
    for (const key of Object.keys(s).filter((k) => !KNOWN_KEYS.has(k)).sort()) {
      lines.push(`${sid}: unexpected ${key} ${JSON.stringify((s as Record<string, unknown>)[key])}`);
    }
    const effect = s.effect ?? 'Allow';
    const conditions = (s.condition ?? []).map(conditionText).sort();
    const suffix = conditions.length > 0 ? ` if ${conditions.join(' and ')}` : '';
    const principals = (s.principals ?? []).flatMap((p) => p.identifiers.map((id) => ` by ${p.type} ${id}`));
    const actions = s.actions ?? [];
    if (actions.length === 0) lines.push(`${sid}: ${effect} no action`);
    for (const action of actions) {
      for (const resource of s.resources === undefined ? [''] : s.resources.length > 0 ? s.resources.map((r) => ` on ${r}`) : [' on no resource']) {
        for (const principal of principals.length > 0 ? principals : ['']) lines.push(`${sid}: ${effect} ${action}${resource}${principal}${suffix}`);
      }
    }
  }
  return lines.sort();
}

/** A policy document of a synthesized stack, with what carries it. */
export interface AttachedPolicy {
  /**
   * What the document is, as the expected tables name it: `role <name>: trust`, `role <name>: <inline policy>`,
   * `managed policy <name>`, `key <alias>`, `bucket <name>`, `endpoint <service>`; anything else that holds a
   * policy is named `unexpected …`, so no table can expect it and the meta-test fails.
   */
  readonly label: string;
  /** Terraform address and attribute of the resource that holds the document. */
  readonly holder: string;
  /** The document's statements (none for a policy that is not an aws_iam_policy_document). */
  readonly statements: PolicyStatementJson[];
}

const DOCUMENT_REF = /\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}/g;

/** The bucket name a `${aws_s3_bucket.<name>.id}` reference points to (a literal, or a template with the account). */
function bucketName(tf: TerraformJson, value: unknown): string {
  const match = /^\$\{aws_s3_bucket\.([^.]+)\.(id|bucket)\}$/.exec(String(value));
  const body = match ? resourcesOfType(tf, 'aws_s3_bucket')[match[1]] : undefined;
  return body ? String(body.bucket) : String(value);
}

/** How the expected tables name the resource of a given type that holds a policy. */
function labelOf(tf: TerraformJson, type: string, name: string, attribute: string, body: Record<string, unknown>): string {
  const address = `${type}.${name}`;
  if (type === 'aws_iam_role' && attribute === 'assume_role_policy') return `role ${String(body.name)}: trust`;
  if (type === 'aws_iam_role_policy' && attribute === 'policy') {
    const role = /^\$\{aws_iam_role\.([^.]+)\.(id|name)\}$/.exec(String(body.role));
    const roleName = role ? resourcesOfType(tf, 'aws_iam_role')[role[1]]?.name : undefined;
    return `role ${String(roleName ?? body.role)}: ${String(body.name)}`;
  }
  if (type === 'aws_iam_policy' && attribute === 'policy') return `managed policy ${String(body.name)}`;
  if (type === 'aws_kms_key' && attribute === 'policy') {
    const keyRef = new RegExp(`^\\$\\{aws_kms_key\\.${name}\\.(key_id|arn|id)\\}$`);
    const aliases = Object.values(resourcesOfType(tf, 'aws_kms_alias')).filter((alias) => keyRef.test(String(alias.target_key_id)));
    return `key ${aliases.map((alias) => String(alias.name)).join(', ') || address}`;
  }
  if (type === 'aws_s3_bucket_policy' && attribute === 'policy') return `bucket ${bucketName(tf, body.bucket)}`;
  if (type === 'aws_vpc_endpoint' && attribute === 'policy') return `endpoint ${String(body.service_name)}`;
  return `unexpected ${address}.${attribute}`;
}

/**
 * Every policy a synthesized stack holds, found by what it is, not by where the tests expect it: each resource
 * attribute that names an aws_iam_policy_document, each document no resource names, each IAM attachment of a
 * managed policy, and each attribute holding policy JSON written some other way. The meta-test compares these
 * labels with the expected tables, so a new role, policy, key, bucket policy or endpoint policy fails until its
 * exact grants are written down.
 */
export function attachedPolicies(tf: TerraformJson): AttachedPolicy[] {
  const documents = policyStatements(tf);
  const used = new Set<string>();
  const found: AttachedPolicy[] = [];
  for (const [type, resources] of Object.entries(tf.resource ?? {})) {
    for (const [name, body] of Object.entries(resources)) {
      const address = `${type}.${name}`;
      // Attaching a managed policy (an AWS one, or ours) to a role, user or group grants without a document here.
      if (/^aws_iam_(role|user|group)_policy_attachment$|^aws_iam_policy_attachment$|^aws_iam_role_policies_exclusive$/.test(type)) {
        found.push({ label: `unexpected ${address}`, holder: address, statements: [] });
        continue;
      }
      for (const [attribute, value] of Object.entries(body)) {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        const refs = [...text.matchAll(DOCUMENT_REF)].map((m) => m[1]);
        for (const document of refs) {
          used.add(document);
          const label = refs.length === 1 && text === `\${data.aws_iam_policy_document.${document}.json}` ? labelOf(tf, type, name, attribute, body) : `unexpected ${address}.${attribute}`;
          found.push({ label, holder: `${address}.${attribute}`, statements: documents[document] ?? [] });
        }
        // Policy JSON not built by the data source: jsonencode(...) or a literal string with IAM's keys.
        if (refs.length === 0 && /"?Statement"?\s*[:=]/.test(text) && /"?(Action|NotAction)"?\s*[:=]/.test(text)) {
          found.push({ label: `unexpected ${address}.${attribute}`, holder: `${address}.${attribute}`, statements: [] });
        }
        // Roles can carry policies of their own, outside aws_iam_role_policy.
        if (type === 'aws_iam_role' && ['inline_policy', 'managed_policy_arns'].includes(attribute)) {
          found.push({ label: `unexpected ${address}.${attribute}`, holder: `${address}.${attribute}`, statements: [] });
        }
      }
    }
  }
  for (const document of Object.keys(documents).filter((d) => !used.has(d))) {
    found.push({ label: `unexpected unused document ${document}`, holder: `data.aws_iam_policy_document.${document}`, statements: documents[document] });
  }
  return found.sort((a, b) => a.label.localeCompare(b.label));
}
