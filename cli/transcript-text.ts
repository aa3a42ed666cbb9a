/**
 * Turning a recorded transcript into text: CloudWatch events in either of the agent's two formats, and a view
 * that is safe to print on the auditor's terminal.
 *
 * The SSM agent writes a session's stream named after the session id. With `cloudWatchStreamingEnabled` (the EC2
 * bastion's session document) each event is a JSON object whose `sessionData` holds the lines (control
 * characters already stripped by the agent); without streaming (ECS Exec) each event is a block of plain lines
 * of the `script` transcript, CR LF turned into LF.
 */

/** One CloudWatch Logs event as GetLogEvents returns it. */
export interface RecordedEvent {
  readonly timestamp?: number;
  readonly message?: string;
}

/** The text of one event, ending with a newline. */
export function eventText(message: string): string {
  if (message.startsWith('{')) {
    try {
      const parsed = JSON.parse(message) as { sessionData?: unknown };
      if (Array.isArray(parsed.sessionData)) return parsed.sessionData.map((line) => `${String(line)}\n`).join('');
    } catch {
      // Not the streaming format: a plain line that starts with "{".
    }
  }
  return message.endsWith('\n') ? message : `${message}\n`;
}

export function eventsText(events: readonly RecordedEvent[]): string {
  return events.map((event) => eventText(event.message ?? '')).join('');
}

// CSI (colours, cursor moves, erase), OSC (window title, clipboard, hyperlinks) and other two-character escapes.
const ESCAPE_SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;

/**
 * What a recorded session may contain must not act on the auditor's terminal: someone in the session can type
 * or print escape sequences that set the window title, write to the clipboard, or move the cursor to overwrite
 * what was shown. Escape sequences are dropped; other control characters are shown in caret notation (`^H` for
 * a backspace, `^M` for a lone carriage return), so an edited command line stays visible as typed. Tabs and
 * newlines stay; CR LF becomes LF. `--raw` prints the bytes as recorded instead.
 */
export function safeText(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCES, '')
    .replace(/\r\n/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => (c === '\u007f' ? '^?' : `^${String.fromCharCode(c.charCodeAt(0) + 64)}`))
    .replace(/[\u0080-\u009f]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}
