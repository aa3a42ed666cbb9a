/** The pieces the auditor's commands share: principals, time, targets, session kinds, safe transcript text. */
import { ecsTarget, formatSpan, parseSince, principalOf, sessionKind, variantOfTarget } from '../../cli/audit';
import { createStyle } from '../../cli/output';
import { kindLabel, renderSessionTable } from '../../cli/sessions-table';
import type { AuditedSession } from '../../cli/sessions';
import { eventText, safeText } from '../../cli/transcript-text';

describe('principalOf: who a session owner ARN names', () => {
  test.each([
    ['arn:aws:iam::123456789012:user/ops/alice', { type: 'iam-user', name: 'alice', label: 'alice' }],
    [
      'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_TF4-Audit_Read_2b03e7d876722882/quang.tranminh',
      { type: 'identity-center', name: 'quang.tranminh', role: 'AWSReservedSSO_TF4-Audit_Read_2b03e7d876722882', permissionSet: 'TF4-Audit_Read', label: 'quang.tranminh (SSO TF4-Audit_Read)' },
    ],
    ['arn:aws:sts::123456789012:assumed-role/ci-deploy/run-42', { type: 'assumed-role', name: 'run-42', role: 'ci-deploy', label: 'ci-deploy/run-42' }],
    ['arn:aws-cn:sts::123456789012:federated-user/bob', { type: 'federated-user', name: 'bob', label: 'bob (federated)' }],
    ['arn:aws:iam::123456789012:root', { type: 'root', name: 'root', label: 'root' }],
    ['ssm.amazonaws.com', { type: 'unknown', name: 'ssm.amazonaws.com', label: 'ssm.amazonaws.com' }],
    [undefined, { type: 'unknown', name: '', label: '?' }],
  ])('%s', (arn, expected) => {
    expect(principalOf(arn)).toEqual(expected);
  });
});

describe('parseSince and formatSpan', () => {
  const now = Date.parse('2026-03-08T12:00:00Z');
  test.each([
    ['30m', '2026-03-08T11:30:00.000Z'],
    ['24h', '2026-03-07T12:00:00.000Z'],
    ['7d', '2026-03-01T12:00:00.000Z'],
    ['2w', '2026-02-22T12:00:00.000Z'],
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T09:30', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00+02:00', '2026-03-01T07:30:00.000Z'],
  ])('--since %s is %s (times without a zone are UTC)', (value, iso) => {
    expect(parseSince(value, now).toISOString()).toBe(iso);
  });

  test('--since now is accepted; a second later is in the future', () => {
    expect(parseSince('2026-03-08T12:00:00Z', now).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(() => parseSince('2026-03-08T12:00:01Z', now)).toThrow('--since 2026-03-08T12:00:01Z: 2026-03-08T12:00:01Z is in the future.');
  });

  test('a time without a zone is UTC on a machine in another time zone too', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(parseSince('2026-03-01T09:30', now).toISOString()).toBe('2026-03-01T09:30:00.000Z');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  test.each(['7 days', '2026-13-01', '-1d', ''])('--since %j is refused', (value) => {
    expect(() => parseSince(value, now)).toThrow(/not an age or a date/);
  });

  test.each([
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h00m'],
    [86_399_000, '23h59m'],
    [90_000_000, '1d01h'],
    [-5, '0s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });
});

describe('targets and documents', () => {
  test('an ECS target splits from the right: task and runtime ids have no underscore, a cluster may', () => {
    expect(ecsTarget('ecs:team_a-ecs_0123abcd_0123abcd-99')).toEqual({ cluster: 'team_a-ecs', taskId: '0123abcd', runtimeId: '0123abcd-99' });
    expect(ecsTarget('ecs:nounderscores')).toBeUndefined();
    expect(ecsTarget('i-0123456789abcdef0')).toBeUndefined();
  });

  test('a target without a runtime id (cluster and task only) is no ECS Exec target', () => {
    expect(ecsTarget('ecs:acme-ecs_0123abcd')).toBeUndefined();
  });

  test.each([
    ['ecs:c_t_r', 'ecs'],
    ['i-0123456789abcdef0', 'ec2'],
    ['mi-0123456789abcdef0', 'ec2'],
    ['arn:aws:rds:eu-west-1:1:db:x', undefined],
    [undefined, undefined],
  ])('target %s is a %s bastion', (target, variant) => {
    expect(variantOfTarget(target)).toBe(variant);
  });

  test.each([
    ['acme-session-preferences', 'shell'],
    ['SSM-SessionManagerRunShell', 'shell'],
    ['AmazonECS-ExecuteInteractiveCommand', 'ecs-exec'],
    ['AWS-StartPortForwardingSessionToRemoteHost', 'port-forward'],
    ['AWS-StartPortForwardingSession', 'port-forward'],
    ['AWS-StartSSHSession', 'port-forward'],
    ['AWS-StartInteractiveCommand', 'other'],
    [undefined, 'other'],
  ])('document %s is a %s session', (document, kind) => {
    expect(sessionKind(document, 'acme-session-preferences')).toBe(kind);
  });
});

describe('transcript text', () => {
  test('streamed events give their sessionData lines; plain events their text, newline-terminated', () => {
    expect(eventText(JSON.stringify({ sessionId: 'a-1', sessionData: ['$ ls', 'a  b'] }))).toBe('$ ls\na  b\n');
    expect(eventText('$ ls\na  b\n')).toBe('$ ls\na  b\n');
    expect(eventText('$ ls')).toBe('$ ls\n');
    expect(eventText('{"not": "streamed"} typed at a prompt')).toBe('{"not": "streamed"} typed at a prompt\n');
  });

  test('nothing recorded can act on the auditor’s terminal: escapes dropped, controls shown in caret notation', () => {
    const clipboard = '\u001b]52;c;Y3VybCBldmlsLnNo\u0007';
    const title = '\u001b]0;innocent\u001b\\';
    expect(safeText(`${clipboard}${title}\u001b[2J\u001b[Hok\r\n`)).toBe('ok\n');
    expect(safeText('secret\rcover up\n')).toBe('secret^Mcover up\n');
    expect(safeText('a\tb\u0008\u007f\u0000\u009b31m\u001b')).toBe('a\tb^H^?^@<U+009B>31m^[');
  });

  test('the table pads by the visible text, so colours on a terminal keep the columns', () => {
    const session: AuditedSession = {
      sessionId: 'bob-1',
      variant: 'ec2',
      bastion: 'i-1',
      target: 'i-1',
      status: 'Connected',
      active: true,
      start: new Date('2026-03-08T11:00:00Z'),
      who: principalOf('arn:aws:iam::123456789012:user/bob'),
      document: 'AWS-StartPortForwardingSession',
      kind: 'port-forward',
      forward: { port: '5432' },
    };
    const now = new Date('2026-03-08T12:00:00Z');
    const plain = renderSessionTable([session], now, 'acme-session-preferences', createStyle(false));
    const coloured = renderSessionTable([session], now, 'acme-session-preferences', createStyle(true));
    expect(coloured).not.toBe(plain);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    expect(plain.split('\n')[1]).toBe('2026-03-08T11:00:00Z  -    1h00m     Connected  bob  ec2 i-1  port-forward bastion:5432  bob-1');
  });

  test('an SSH tunnel shows its port when CloudTrail gave it', () => {
    const tunnel = { kind: 'port-forward', document: 'AWS-StartSSHSession' } as const;
    expect(kindLabel({ ...tunnel, forward: { port: '22' } }, 'acme-session-preferences')).toBe('ssh tunnel :22');
    expect(kindLabel(tunnel, 'acme-session-preferences')).toBe('ssh tunnel');
  });
});
