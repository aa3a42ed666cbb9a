/**
 * The table of `bastion sessions`: one line per session, columns padded to their widest value, colours only on a
 * terminal (the padding is measured without them).
 */
import { DEFAULT_SHELL_DOCUMENT, formatSpan, isoSecond } from './audit';
import type { Style } from './output';
import type { AuditedSession } from './sessions';

const HEADERS = ['START', 'END', 'DURATION', 'STATUS', 'WHO', 'BASTION', 'KIND', 'SESSION ID'] as const;

/** What a session did: shell, ECS Exec, port-forward host:port (when CloudTrail said), or its document. */
export function kindLabel(s: Pick<AuditedSession, 'kind' | 'document' | 'forward'>, sessionDocument: string): string {
  switch (s.kind) {
    case 'shell':
      return s.document === sessionDocument ? 'shell' : `shell (${s.document ?? DEFAULT_SHELL_DOCUMENT})`;
    case 'ecs-exec':
      return 'ECS Exec';
    case 'port-forward': {
      if (s.document === 'AWS-StartSSHSession') return `ssh tunnel${s.forward?.port ? ` :${s.forward.port}` : ''}`;
      const port = s.forward?.port ?? '?';
      // AWS-StartPortForwardingSession forwards to a port of the bastion itself.
      const host = s.document === 'AWS-StartPortForwardingSession' ? 'bastion' : s.forward?.host;
      return host || s.forward?.port ? `port-forward ${host ?? '?'}:${port}` : 'port-forward (host:port not known)';
    }
    default:
      return `document ${s.document ?? '?'}`;
  }
}

function statusText(status: string, style: Style): (text: string) => string {
  if (status === 'Connected') return style.green;
  if (status === 'Failed') return style.red;
  if (status === 'Connecting' || status === 'Disconnected' || status === 'Terminating') return style.yellow;
  return (text) => text;
}

export function renderSessionTable(sessions: readonly AuditedSession[], now: Date, sessionDocument: string, style: Style): string {
  const rows = sessions.map((s) => {
    const end = s.end ?? (s.active ? now : undefined);
    return [
      s.start ? isoSecond(s.start) : '?',
      s.end ? isoSecond(s.end) : s.active ? '-' : '?',
      s.start && end ? formatSpan(end.getTime() - s.start.getTime()) : '?',
      s.status,
      s.who.label,
      `${s.variant} ${s.bastion}`,
      kindLabel(s, sessionDocument),
      s.sessionId,
    ];
  });
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[], paint: (text: string, column: number) => string) =>
    cells
      .map((cell, column) => paint(column === cells.length - 1 ? cell : cell.padEnd(widths[column]!), column))
      .join('  ')
      .trimEnd();
  return [
    line(HEADERS, (text) => style.bold(text)),
    ...rows.map((row, index) => line(row, (text, column) => (column === 3 ? statusText(sessions[index]!.status, style)(text) : text))),
  ]
    .map((text) => `${text}\n`)
    .join('');
}
