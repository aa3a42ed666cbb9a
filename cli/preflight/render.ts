/**
 * The two outputs of `bastion preflight`: for a terminal, the findings grouped by check, a summary and the
 * settings block to paste; with --json, one document holding the same.
 */
import type { Style } from '../output';
import { CHECKS, countOf, type Finding, type FindingLevel } from './findings';
import { listText, type PreflightPlan } from './plan';
import type { PreflightReport } from './report';

/** Where the checks ran, for the title and the JSON document. */
export interface PreflightScope {
  readonly region: string;
  readonly namePrefix: string;
  readonly profile?: string;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function title(plan: PreflightPlan): string {
  const network = plan.config.network;
  const where = network.mode === 'existing' ? network.vpcId : `a new VPC (${network.cidr})`;
  return `Preflight of ${listText([...plan.stacks])} into ${where}, ${plan.region}, namePrefix ${plan.config.namePrefix}`;
}

function levelText(level: FindingLevel, style: Style): string {
  if (level === 'blocker') return style.red(style.bold('✗ blocker'));
  if (level === 'warning') return style.yellow('! warning');
  return style.green('✓ ok     ');
}

function findingLines(finding: Finding, style: Style): string[] {
  const lines = [`  ${levelText(finding.level, style)}  ${finding.message}`];
  // Under the message: two spaces, the 9-character level, two spaces.
  const indent = ' '.repeat(13);
  finding.fix?.split('\n').forEach((line, i) => lines.push(`${indent}${style.dim(i === 0 ? `fix: ${line}` : `     ${line}`)}`));
  return lines;
}

function summary(findings: readonly Finding[], style: Style): string {
  const blockers = countOf(findings, 'blocker');
  const warnings = plural(countOf(findings, 'warning'), 'warning');
  if (blockers > 0) return style.red(`${plural(blockers, 'blocker')}, ${warnings}: the deploy would fail or not work; fix the blockers first.`);
  return style.green(`No blockers, ${warnings}.`);
}

/** The terminal report: findings by check, the summary, then the JSON block. */
export function renderPreflight(plan: PreflightPlan, report: PreflightReport, style: Style): string {
  const lines = [style.bold(title(plan)), ''];
  for (const check of CHECKS) {
    const findings = report.findings.filter((f) => f.check === check);
    if (findings.length === 0) continue;
    lines.push(style.bold(check), ...findings.flatMap((f) => findingLines(f, style)));
  }
  const what = plan.config.network.mode === 'existing' ? 'this VPC' : 'this region';
  lines.push('', summary(report.findings, style), '', `Settings that fit ${what} (paste into bastion.config.json):`, JSON.stringify(report.suggested, null, 2));
  return `${lines.join('\n')}\n`;
}

/** The --json document. */
export function preflightDocument(plan: PreflightPlan, report: PreflightReport, scope: PreflightScope): Record<string, unknown> {
  return {
    region: scope.region,
    namePrefix: scope.namePrefix,
    ...(scope.profile ? { profile: scope.profile } : {}),
    stacks: plan.stacks,
    networkMode: plan.config.network.mode,
    ...(plan.config.network.mode === 'existing' ? { vpcId: plan.config.network.vpcId } : {}),
    blockers: countOf(report.findings, 'blocker'),
    warnings: countOf(report.findings, 'warning'),
    findings: report.findings,
    suggested: report.suggested,
  };
}
