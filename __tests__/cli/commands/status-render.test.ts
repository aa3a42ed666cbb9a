/**
 * The text of `bastion status`, row by row, for every state each row can show. A style that marks each colour
 * in words makes the colour part of the expected text.
 */
import { STATUS_STATES, type StatusState, type VariantStatus } from '../../../cli/commands/status';
import {
  endpointsText,
  execAgentText,
  instanceText,
  patchText,
  renderStatus,
  sessionDocumentText,
  ssmAgentText,
  stateText,
} from '../../../cli/commands/status-render';
import type { EndpointInfo } from '../../../cli/lookup/endpoints';
import type { PatchStateInfo } from '../../../cli/lookup/ssm';
import { createStyle, type Style } from '../../../cli/output';
import { BASTION_STATES } from '../../../cli/variants';

const mark = (colour: string) => (text: string) => `<${colour}>${text}</${colour}>`;
const MARKED: Style = { enabled: true, bold: mark('bold'), dim: mark('dim'), red: mark('red'), green: mark('green'), yellow: mark('yellow'), cyan: mark('cyan') };
const PLAIN = createStyle(false);

describe('the state row, for every state', () => {
  // Typed by StatusState: a new state fails to compile here until it has its expected rendering.
  const EXPECTED: Record<StatusState, string> = {
    absent: '<red>not deployed</red>',
    parked: '<yellow>parked (compute stopped; `bastion up` starts it)</yellow>',
    starting: '<cyan>starting</cyan>',
    running: '<green>running</green>',
    stopping: '<yellow>stopping</yellow>',
    disabled: '<yellow>disabled (bastion_enabled=false: no compute, no endpoints)</yellow>',
    unreachable:
      '<red>unreachable (compute up, but the VPC endpoints are gone: no session can start until the stack is applied with bastion_enabled=true)</red>',
  };

  test('every state has an expected rendering: the compute states plus disabled and unreachable', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...STATUS_STATES].sort());
    expect([...STATUS_STATES].sort()).toEqual([...BASTION_STATES, 'disabled', 'unreachable'].sort());
  });

  test.each(STATUS_STATES)('%s', (state) => {
    expect(stateText(state, MARKED)).toBe(EXPECTED[state]);
  });
});

describe('the endpoints row, for every combination of configuration and endpoints found', () => {
  const endpoint = (service: string, state: string): EndpointInfo => ({ id: `vpce-${service}`, service, type: 'Interface', state });
  const FOUND: Record<string, EndpointInfo[]> = {
    none: [],
    'all available': [endpoint('logs', 'available'), endpoint('ssm', 'Available')],
    'one pending': [endpoint('logs', 'available'), endpoint('ssm', 'pending')],
    'none available yet': [endpoint('logs', 'pendingAcceptance'), endpoint('ssm', 'pending')],
  };

  // [endpoints found, interface endpoints configured, row]
  test.each<[keyof typeof FOUND, boolean, string]>([
    ['none', true, '<yellow>none (parked with bastion_enabled=false)</yellow>'],
    ['none', false, 'none (not configured: the VPC reaches AWS through a NAT)'],
    ['all available', true, '2 present: logs, ssm'],
    ['all available', false, '2 present: logs, ssm'],
    ['one pending', true, '2 present: logs, ssm<yellow> (not yet available: ssm pending)</yellow>'],
    ['one pending', false, '2 present: logs, ssm<yellow> (not yet available: ssm pending)</yellow>'],
    ['none available yet', true, '2 present: logs, ssm<yellow> (not yet available: logs pendingAcceptance, ssm pending)</yellow>'],
    ['none available yet', false, '2 present: logs, ssm<yellow> (not yet available: logs pendingAcceptance, ssm pending)</yellow>'],
  ])('found %s, configured %s', (found, expected, row) => {
    expect(endpointsText({ expected, found: FOUND[found]! }, MARKED)).toBe(row);
  });
});

describe('the agent parts, for every agent state', () => {
  test.each([
    [undefined, 'no ECS Exec agent'],
    ['PENDING', 'ExecuteCommandAgent <yellow>PENDING</yellow>'],
    ['RUNNING', 'ExecuteCommandAgent <green>RUNNING</green>'],
    ['STOPPED', 'ExecuteCommandAgent <yellow>STOPPED</yellow>'],
  ])('ECS Exec agent %s', (agent, text) => {
    expect(execAgentText(agent, MARKED)).toBe(text);
  });

  test.each([
    ['not registered', undefined, '<yellow>not registered</yellow>'],
    ['Online', { pingStatus: 'Online' }, '<green>Online</green>'],
    ['ConnectionLost', { pingStatus: 'ConnectionLost' }, '<yellow>ConnectionLost</yellow>'],
    ['Inactive', { pingStatus: 'Inactive' }, '<yellow>Inactive</yellow>'],
    ['Unknown', { pingStatus: 'Unknown' }, '<yellow>Unknown</yellow>'],
    ['Online, with version', { pingStatus: 'Online', agentVersion: '3.3.1' }, '<green>Online</green> (agent 3.3.1)'],
    [
      'ConnectionLost, with version and last ping',
      { pingStatus: 'ConnectionLost', agentVersion: '3.3.1', lastPingAt: new Date('2026-11-22T03:04:05.678Z') },
      '<yellow>ConnectionLost</yellow> (agent 3.3.1)<dim>  last ping 2026-11-22T03:04:05Z</dim>',
    ],
  ])('SSM agent %s', (_what, agent, text) => {
    expect(ssmAgentText(agent, MARKED)).toBe(text);
  });
});

describe('the patching row, for every compliance state', () => {
  const scan: PatchStateInfo = {
    operation: 'Scan',
    operationEndTime: new Date('2026-11-22T03:04:00Z'),
    compliant: true,
    installed: 311,
    missing: 0,
    failed: 0,
    pendingReboot: 0,
    installedRejected: 0,
    criticalNonCompliant: 0,
    securityNonCompliant: 0,
  };
  test.each<[string, PatchStateInfo | undefined, string]>([
    ['never scanned', undefined, '<yellow>no patch scan reported yet</yellow>'],
    ['compliant', scan, '<green>COMPLIANT</green>  last Scan 2026-11-22T03:04:00Z; 0 missing, 0 failed, 311 installed'],
    [
      'non-compliant',
      { ...scan, compliant: false, missing: 2, failed: 1, securityNonCompliant: 2 },
      '<red>NON_COMPLIANT</red>  last Scan 2026-11-22T03:04:00Z; 2 missing, 1 failed, 311 installed',
    ],
    [
      'waiting for a reboot',
      { ...scan, operation: 'Install', compliant: false, pendingReboot: 3 },
      '<red>NON_COMPLIANT</red>  last Install 2026-11-22T03:04:00Z; 0 missing, 0 failed, 311 installed, 3 pending reboot',
    ],
    [
      'a rejected patch installed',
      { ...scan, compliant: false, installedRejected: 1 },
      '<red>NON_COMPLIANT</red>  last Scan 2026-11-22T03:04:00Z; 0 missing, 0 failed, 311 installed, 1 installed but rejected',
    ],
    ['no operation or time reported', { ...scan, operation: undefined, operationEndTime: undefined }, '<green>COMPLIANT</green>  last operation ; 0 missing, 0 failed, 311 installed'],
  ])('%s', (_what, patch, text) => {
    expect(patchText(patch, MARKED)).toBe(text);
  });
});

describe('the instance and session document rows, present or not', () => {
  test.each([
    ['none', undefined, 'none'],
    ['every detail', { instanceId: 'i-0abc', state: 'running', instanceType: 't4g.nano', name: 'acme-ec2-bastion' }, 'i-0abc  running  t4g.nano<dim>  acme-ec2-bastion</dim>'],
    ['no type, no name', { instanceId: 'i-0abc', state: 'stopped' }, 'i-0abc  stopped'],
  ])('instance: %s', (_what, instance, text) => {
    expect(instanceText(instance, MARKED)).toBe(text);
  });

  test.each([
    ['present', { name: 'acme-session-preferences', present: true, status: 'Active' }, 'acme-session-preferences (Active)'],
    ['present, status unknown', { name: 'acme-session-preferences', present: true }, 'acme-session-preferences (unknown)'],
    ['missing', { name: 'acme-session-preferences', present: false }, '<yellow>acme-session-preferences not found</yellow>'],
  ])('session document: %s', (_what, document, text) => {
    expect(sessionDocumentText(document, MARKED)).toBe(text);
  });
});

describe('renderStatus', () => {
  const where = { region: 'eu-west-1', namePrefix: 'acme' };
  const endpoints = { expected: true, found: [{ id: 'vpce-1', service: 'ssm', type: 'Interface', state: 'available' }], parked: false };
  const ecs = (state: StatusState, extra: Partial<Extract<VariantStatus, { variant: 'ecs' }>> = {}): VariantStatus => ({
    variant: 'ecs',
    stack: 'ecs-bastion',
    state,
    cluster: 'acme-ecs',
    service: 'acme-ecs-bastion',
    deployed: true,
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    tasks: [{ taskId: 'a1b2', lastStatus: 'RUNNING', execAgent: 'RUNNING', startedAt: new Date('2026-11-22T03:00:00.123Z') }],
    latestEvent: '(service acme-ecs-bastion) has reached a steady state.',
    endpoints,
    ...extra,
  });

  test('a deployed ECS bastion, row by row', () => {
    expect(renderStatus([ecs('running')], where, PLAIN)).toBe(
      [
        'ECS bastion (stack ecs-bastion, acme, eu-west-1)',
        '  state        running',
        '  service      acme-ecs-bastion in cluster acme-ecs (desired 1, running 1, pending 0)',
        '  task         a1b2  RUNNING  ExecuteCommandAgent RUNNING  started 2026-11-22T03:00:00Z',
        '  endpoints    1 present: ssm',
        '',
      ].join('\n'),
    );
  });

  // The service's latest event explains a bastion that is not running; once it runs it is noise.
  const LAST_EVENT_SHOWN: Record<StatusState, boolean> = { absent: true, parked: true, starting: true, running: false, stopping: true, disabled: true, unreachable: true };
  test.each(STATUS_STATES)('the last event in state %s', (state) => {
    const text = renderStatus([ecs(state)], where, PLAIN);
    expect(text.includes('  last event   (service acme-ecs-bastion) has reached a steady state.\n')).toBe(LAST_EVENT_SHOWN[state]);
  });

  test('during a rollout, the task being replaced is marked', () => {
    const tasks = [
      { taskId: 'a1b2', lastStatus: 'RUNNING', execAgent: 'RUNNING', replaced: true },
      { taskId: 'c3d4', lastStatus: 'PENDING', execAgent: 'PENDING' },
    ];
    expect(renderStatus([ecs('running', { tasks })], where, PLAIN)).toContain(
      '  task         a1b2  RUNNING  ExecuteCommandAgent RUNNING  being replaced (rollout)\n  task         c3d4  PENDING  ExecuteCommandAgent PENDING\n',
    );
  });

  test('an ECS service without task, and one not deployed', () => {
    expect(renderStatus([ecs('starting', { tasks: [], latestEvent: undefined })], where, PLAIN)).toContain('  task         none\n');
    const absent = renderStatus([ecs('absent', { deployed: false, tasks: [], latestEvent: undefined })], where, PLAIN);
    expect(absent).toContain('  service      acme-ecs-bastion not found in cluster acme-ecs\n');
    expect(absent).not.toContain('task');
  });

  test('an EC2 bastion with and without instance: agent and patching rows only with one', () => {
    const ec2 = (instance?: { instanceId: string; state: string }): VariantStatus => ({
      variant: 'ec2',
      stack: 'ec2-bastion',
      state: instance ? 'running' : 'absent',
      instance,
      ssmAgent: instance ? { pingStatus: 'Online' } : undefined,
      sessionDocument: { name: 'acme-session-preferences', present: true, status: 'Active' },
      endpoints,
    });
    expect(renderStatus([ec2({ instanceId: 'i-0abc', state: 'running' })], where, PLAIN)).toBe(
      [
        'EC2 bastion (stack ec2-bastion, acme, eu-west-1)',
        '  state        running',
        '  instance     i-0abc  running',
        '  SSM agent    Online',
        '  patching     no patch scan reported yet',
        '  session doc  acme-session-preferences (Active)',
        '  endpoints    1 present: ssm',
        '',
      ].join('\n'),
    );
    expect(renderStatus([ec2()], where, PLAIN)).toBe(
      [
        'EC2 bastion (stack ec2-bastion, acme, eu-west-1)',
        '  state        not deployed',
        '  instance     none',
        '  session doc  acme-session-preferences (Active)',
        '  endpoints    1 present: ssm',
        '',
      ].join('\n'),
    );
  });

  test('a bastion that could not be read shows its error (and hint), blocks apart by a blank line', () => {
    const failed = (hint?: string): VariantStatus => ({ variant: 'ec2', stack: 'ec2-bastion', error: { code: 'AccessDenied', message: 'Not allowed.', hint } });
    expect(renderStatus([ecs('running'), failed('Ask for the operator policy.')], where, MARKED)).toContain(
      '\n\n<bold>EC2 bastion</bold><dim> (stack ec2-bastion, acme, eu-west-1)</dim>\n  error        <red>Not allowed.</red>\n               <dim>Ask for the operator policy.</dim>\n',
    );
    expect(renderStatus([failed()], where, PLAIN)).toBe('EC2 bastion (stack ec2-bastion, acme, eu-west-1)\n  error        Not allowed.\n');
  });
});
