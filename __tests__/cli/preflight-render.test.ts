/**
 * The report of `bastion preflight` for every finding level and every mix of blockers and warnings: the marker
 * of each level, the summary line and the counts of the JSON document. A style that marks each colour in words
 * makes the colour part of the expected text.
 */
import { type CheckName, FINDING_LEVELS, type Finding, type FindingLevel } from '../../cli/preflight/findings';
import { preflightPlan } from '../../cli/preflight/plan';
import { preflightDocument, renderPreflight } from '../../cli/preflight/render';
import type { PreflightReport } from '../../cli/preflight/report';
import type { Style } from '../../cli/output';
import { parseConfig } from '../../modules/config';

const mark = (colour: string) => (text: string) => `<${colour}>${text}</${colour}>`;
const MARKED: Style = { enabled: true, bold: mark('bold'), dim: mark('dim'), red: mark('red'), green: mark('green'), yellow: mark('yellow'), cyan: mark('cyan') };

const plan = preflightPlan(parseConfig({ stacks: ['ecs-bastion'] }), 'eu-west-1', ['ecs-bastion']);
const finding = (level: FindingLevel, check: CheckName = 'vpc'): Finding => ({ level, check, message: `a ${level} finding`, ...(level === 'ok' ? {} : { fix: 'do this' }) });
const report = (findings: Finding[]): PreflightReport => ({
  findings,
  suggested: { network: { mode: 'create', cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a'] }, endpoints: { ssm: 'create', ecr: 'create', logs: 'create', kms: 'create', s3: 'create', singleAz: false } },
});

describe('every finding level has its marker', () => {
  // Typed by FindingLevel: a new level fails to compile here until it has its expected rendering.
  const EXPECTED: Record<FindingLevel, string> = {
    blocker: '  <red><bold>✗ blocker</bold></red>  a blocker finding',
    warning: '  <yellow>! warning</yellow>  a warning finding',
    ok: '  <green>✓ ok     </green>  a ok finding',
  };

  test('the table covers every level', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...FINDING_LEVELS].sort());
  });

  test.each(FINDING_LEVELS)('%s', (level) => {
    expect(renderPreflight(plan, report([finding(level)]), MARKED).split('\n')).toContain(EXPECTED[level]);
  });
});

describe('the summary and the counts for every mix of blockers and warnings', () => {
  // [blockers, warnings, summary line]
  test.each<[number, number, string]>([
    [0, 0, '<green>No blockers, 0 warnings.</green>'],
    [0, 1, '<green>No blockers, 1 warning.</green>'],
    [0, 2, '<green>No blockers, 2 warnings.</green>'],
    [1, 0, '<red>1 blocker, 0 warnings: the deploy would fail or not work; fix the blockers first.</red>'],
    [1, 1, '<red>1 blocker, 1 warning: the deploy would fail or not work; fix the blockers first.</red>'],
    [1, 2, '<red>1 blocker, 2 warnings: the deploy would fail or not work; fix the blockers first.</red>'],
    [2, 0, '<red>2 blockers, 0 warnings: the deploy would fail or not work; fix the blockers first.</red>'],
    [2, 1, '<red>2 blockers, 1 warning: the deploy would fail or not work; fix the blockers first.</red>'],
    [2, 2, '<red>2 blockers, 2 warnings: the deploy would fail or not work; fix the blockers first.</red>'],
  ])('%i blockers, %i warnings (and an ok)', (blockers, warnings, summary) => {
    const findings = [
      ...Array.from({ length: blockers }, () => finding('blocker')),
      ...Array.from({ length: warnings }, () => finding('warning', 'dns')),
      finding('ok', 'subnets'),
    ];
    expect(renderPreflight(plan, report(findings), MARKED).split('\n')).toContain(summary);
    expect(preflightDocument(plan, report(findings), { region: 'eu-west-1', namePrefix: 'bastion' })).toMatchObject({ blockers, warnings });
  });
});
