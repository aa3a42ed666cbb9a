import { colorEnabled, createProgress, createStyle } from '../../cli/output';
import { FakeStream } from './support';

describe('colorEnabled', () => {
  const tty = new FakeStream(true);
  const pipe = new FakeStream(false);

  test('only on a terminal', () => {
    expect(colorEnabled(tty, {}, true)).toBe(true);
    expect(colorEnabled(pipe, {}, true)).toBe(false);
    expect(colorEnabled(tty, { TERM: 'dumb' }, true)).toBe(false);
  });

  test('--no-color and NO_COLOR turn them off, FORCE_COLOR on', () => {
    expect(colorEnabled(tty, {}, false)).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' }, true)).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '0' }, true)).toBe(false);
  });
});

describe('createProgress', () => {
  test('without a terminal: one line per change of state', () => {
    const stream = new FakeStream();
    const progress = createProgress(stream, createStyle(false), false);
    progress.update('task PROVISIONING', 0);
    progress.update('task PROVISIONING', 3000);
    progress.update('task RUNNING, ExecuteCommandAgent is PENDING', 6000);
    progress.stop('ready');
    expect(stream.text).toBe('… task PROVISIONING (0ms)\n… task RUNNING, ExecuteCommandAgent is PENDING (6s)\nready\n');
  });

  test('on a terminal: a spinner line redrawn in place and cleared at the end', () => {
    const stream = new FakeStream(true);
    const progress = createProgress(stream, createStyle(false), true);
    progress.update('task PROVISIONING', 0);
    progress.update('task PENDING', 3000);
    progress.stop();
    expect(stream.text).toBe('\r\u001b[2K⠋ task PROVISIONING (0ms)\r\u001b[2K⠙ task PENDING (3s)\r\u001b[2K');
  });
});
