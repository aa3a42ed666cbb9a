/**
 * Terminal output: colours (only on a TTY, never with NO_COLOR), the progress indicator of the waits, the
 * yes/no prompt and the error format. Data (status, --json, --dry-run commands) goes to stdout; messages,
 * progress and errors to stderr, so stdout stays pipeable.
 */
import { createInterface } from 'node:readline';
import { type CliError, interruptedError } from './errors';
import { formatDuration } from './clock';

export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const sgr = (enabled: boolean, open: number, close: number) => (text: string) =>
  enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: sgr(enabled, 1, 22),
    dim: sgr(enabled, 2, 22),
    red: sgr(enabled, 31, 39),
    green: sgr(enabled, 32, 39),
    yellow: sgr(enabled, 33, 39),
    cyan: sgr(enabled, 36, 39),
  };
}

/** Colours on a TTY only; NO_COLOR or --no-color turn them off, FORCE_COLOR on. */
export function colorEnabled(stream: OutStream, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false || env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function formatError(error: CliError, style: Style): string {
  const lines = [`${style.red(style.bold('error:'))} ${error.message}`];
  if (error.hint) lines.push(...error.hint.split('\n').map((line) => `  ${style.dim(line)}`));
  return `${lines.join('\n')}\n`;
}

/** The progress indicator of a wait: a spinner on a TTY, one line per change of state otherwise. */
export interface Progress {
  update(status: string, elapsedMs: number): void;
  /** Ends the indicator; `message` is printed as the final line. */
  stop(message?: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createProgress(stream: OutStream, style: Style, animate: boolean): Progress {
  let last = '';
  if (!animate) {
    return {
      update: (status, elapsedMs) => {
        if (status !== last) stream.write(`… ${status} (${formatDuration(elapsedMs)})\n`);
        last = status;
      },
      stop: (message) => {
        if (message) stream.write(`${message}\n`);
      },
    };
  }
  let frame = 0;
  let line = '';
  const draw = () => stream.write(`\r\u001b[2K${style.cyan(FRAMES[frame++ % FRAMES.length]!)} ${line}`);
  let timer: NodeJS.Timeout | undefined;
  return {
    update: (status, elapsedMs) => {
      line = `${status} ${style.dim(`(${formatDuration(elapsedMs)})`)}`;
      if (!timer) {
        timer = setInterval(draw, 120);
        timer.unref();
      }
      draw();
    },
    stop: (message) => {
      if (timer) {
        clearInterval(timer);
        timer = undefined;
        stream.write('\r\u001b[2K');
      }
      if (message) stream.write(`${message}\n`);
    },
  };
}

/** Asks a yes/no question on the terminal; Enter means yes. */
export type Confirm = (question: string) => Promise<boolean>;

export const terminalConfirm: Confirm = (question) =>
  new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let settled = false;
    rl.question(`${question} [Y/n] `, (answer) => {
      settled = true;
      rl.close();
      resolve(/^(y|yes)?$/i.test(answer.trim()));
    });
    // readline owns Ctrl-C while it reads a line: without this listener it would only pause the input.
    rl.once('SIGINT', () => {
      settled = true;
      rl.close();
      process.stderr.write('\n');
      reject(interruptedError('SIGINT'));
    });
    rl.once('close', () => {
      if (!settled) resolve(false);
    });
  });
