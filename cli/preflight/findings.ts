/**
 * What `bastion preflight` reports: one finding per fact it checked, at one of three levels. A blocker is
 * something that would fail the apply or leave the bastion unable to work (or break other workloads of the
 * VPC); a warning deserves a look but does not stop a deploy; ok records what was checked and found fine.
 */

/** The levels, most serious first. A list, not only a type, so the tests can check each has its rendering. */
export const FINDING_LEVELS = ['blocker', 'warning', 'ok'] as const;
/** One of FINDING_LEVELS. */
export type FindingLevel = (typeof FINDING_LEVELS)[number];

/** The checks, in the order they are printed. */
export const CHECKS = [
  'vpc',
  'vpc-sharing',
  'dns',
  'dhcp-options',
  'subnets',
  'zones',
  'route-tables',
  'nat',
  'endpoints.s3',
  'endpoints.ssm',
  'endpoints.ecr',
  'endpoints.logs',
  'endpoints.kms',
  'endpoint-security-groups',
  'workload-egress',
  'network-acls',
  'endpoint-services',
  'instance-type',
  'targets',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface Finding {
  readonly level: FindingLevel;
  readonly check: CheckName;
  /** What was found, in one sentence or two. */
  readonly message: string;
  /** What to do about it (every blocker has one). */
  readonly fix?: string;
}

export const ok = (check: CheckName, message: string): Finding => ({ level: 'ok', check, message });
export const warning = (check: CheckName, message: string, fix?: string): Finding => ({ level: 'warning', check, message, ...(fix ? { fix } : {}) });
export const blocker = (check: CheckName, message: string, fix: string): Finding => ({ level: 'blocker', check, message, fix });

/** Findings sorted by check (stable within a check), so the output reads top-down like the deploy. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check));
}

/** "1 blocker" / "2 warnings". */
export function countOf(findings: readonly Finding[], level: FindingLevel): number {
  return findings.filter((f) => f.level === level).length;
}
