/** The reconnect loop of `bastion connect`: which failures end it, backoff, giving up, Ctrl-C. */
import { CliError } from '../../cli/errors';
import { classifySessionFailure, defaultBackoffMs, sessionLoop } from '../../cli/reconnect';
import { SignalRelay } from '../../cli/signals';
import { runSession, type SessionResult } from '../../cli/spawn';
import { ctrlC, FakeClock, FakeSignals, fakeRuntime } from './fakes';

describe('classifySessionFailure', () => {
  test('AccessDenied from the AWS CLI names the action', () => {
    const error = classifySessionFailure(
      'An error occurred (AccessDeniedException) when calling the StartSession operation: User: arn:aws:sts::1:assumed-role/Dev/jane is not authorized to perform: ssm:StartSession on resource: arn:aws:ecs:eu-west-1:1:task/acme-ecs/abc\n',
    );
    expect(error).toMatchObject({ code: 'AccessDenied', hint: expect.stringContaining('ssm:StartSession') });
    expect(classifySessionFailure('An error occurred (AccessDeniedException) when calling the ExecuteCommand operation: denied')).toMatchObject({
      hint: expect.stringContaining('ecs:ExecuteCommand'),
    });
  });

  // A refusal worded without the exception name (an explicit deny, a service control policy) must still end the loop,
  // not be retried five times as a dropped session.
  test('"not authorized to perform" without AccessDenied in it is still a refusal', () => {
    const error = classifySessionFailure(
      'User: arn:aws:sts::1:assumed-role/Dev/jane is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:eu-west-1:1:instance/i-0abc with an explicit deny\n',
    );
    expect(error).toMatchObject({ code: 'AccessDenied', message: expect.stringContaining('arn:aws:sts::1:assumed-role/Dev/jane'), hint: expect.stringContaining('ssm:StartSession') });
  });

  test.each([
    ['Unable to locate credentials. You can configure credentials by running "aws configure".', 'NoCredentials'],
    ['An error occurred (ExpiredTokenException) when calling the StartSession operation: The security token included in the request is expired', 'ExpiredCredentials'],
    ['SessionManagerPlugin is not found. Please refer to SessionManager Documentation here', 'MissingTool'],
    ['An error occurred (InvalidParameterException) when calling the ExecuteCommand operation: The execute command failed because execute command was not enabled when the task was run', 'AgentNotRunning'],
  ])('%s → %s', (stderr, code) => {
    expect(classifySessionFailure(stderr)?.code).toBe(code);
  });

  test('dropped sessions and a reconnecting agent are worth another attempt', () => {
    expect(classifySessionFailure('')).toBeUndefined();
    expect(classifySessionFailure('An error occurred (TargetNotConnected) when calling the StartSession operation: acme is not connected.')).toBeUndefined();
  });
});

describe('sessionLoop', () => {
  function loop(results: (SessionResult | Error | ((signals: FakeSignals) => SessionResult))[], reconnect = true) {
    const clock = new FakeClock();
    const signals = new FakeSignals();
    const relay = new SignalRelay(signals).attach();
    const log: string[] = [];
    const attempts: number[] = [];
    const run = sessionLoop(
      async (n) => {
        attempts.push(n);
        const next = results.shift();
        if (!next) throw new Error('test: no more sessions scripted');
        if (next instanceof Error) throw next;
        return typeof next === 'function' ? next(signals) : next;
      },
      { reconnect, clock, relay, log: (m) => log.push(m) },
    ).finally(() => relay.detach());
    return { run, clock, log, attempts };
  }
  const ended = (code: number, durationMs: number, stderr = ''): SessionResult => ({ code, signal: null, durationMs, stderr });
  const interrupted = (signals: FakeSignals): SessionResult => {
    signals.send('SIGINT');
    return { code: 0, signal: null, durationMs: 10_000, stderr: '' };
  };

  test('reconnects after an idle timeout (exit 0) and a drop (non-zero), until Ctrl-C ends it with 130', async () => {
    const { run, attempts, log, clock } = loop([ended(0, 20 * 60_000), ended(255, 5000), interrupted]);
    await expect(run).resolves.toBe(130);
    expect(attempts).toEqual([1, 2, 3]);
    // after a healthy session: a short pause; after a failed one: backoff
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(log[0]).toMatch(/Session ended \(exit code 0 after 20m00s\); reconnecting in 500ms/);
    expect(log[1]).toMatch(/exit code 255 .*reconnecting in 1s \(attempt 2 of 5\)/);
  });

  test('gives up after 5 failed attempts in a row, with exponential backoff', async () => {
    const { run, attempts, clock } = loop(Array.from({ length: 5 }, () => ended(255, 2000)));
    await expect(run).rejects.toMatchObject({ code: 'SessionFailed', message: 'The session failed 5 times in a row; giving up.' });
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  test('a healthy session resets the failure count', async () => {
    const script = [ended(1, 1000), ended(1, 1000), ended(1, 1000), ended(1, 1000), ended(0, 120_000), ended(1, 1000), interrupted];
    const { run, attempts } = loop(script);
    await expect(run).resolves.toBe(130);
    expect(attempts).toHaveLength(7);
  });

  test('--no-reconnect: one session; exit 0 is success, anything else a SessionFailed error', async () => {
    const ok = loop([ended(0, 5000)], false);
    await expect(ok.run).resolves.toBe(0);
    expect(ok.attempts).toEqual([1]);
    const failed = loop([ended(255, 5000)], false);
    await expect(failed.run).rejects.toMatchObject({ code: 'SessionFailed', message: expect.stringContaining('exit code 255') });
    expect(failed.attempts).toEqual([1]);
  });

  test('a failure reconnecting cannot fix stops the loop at once', async () => {
    const { run, attempts } = loop([ended(254, 800, 'An error occurred (AccessDeniedException) when calling the StartSession operation: User: u is not authorized to perform: ssm:StartSession on resource: r')]);
    await expect(run).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(attempts).toEqual([1]);
  });

  test('on reconnect, a transient resolution error is retried and a permanent one ends the loop', async () => {
    const network = new CliError('Network', 'Could not reach the AWS API');
    const denied = new CliError('AccessDenied', 'no');
    const { run, attempts, log } = loop([ended(0, 600_000), network, denied]);
    await expect(run).rejects.toBe(denied);
    expect(attempts).toEqual([1, 2, 3]);
    expect(log).toContain('Could not reconnect: Could not reach the AWS API');
  });

  test.each(['Network', 'NoTask', 'AgentNotRunning', 'Timeout', 'Aws'] as const)('on reconnect, %s (e.g. the task being replaced) is ridden out', async (code) => {
    const { run, attempts } = loop([ended(0, 600_000), new CliError(code, 'transient'), interrupted]);
    await expect(run).resolves.toBe(130);
    expect(attempts).toEqual([1, 2, 3]);
  });

  test('the backoff doubles from 1s and stops growing at 30s', () => {
    expect([0, 1, 2, 5, 6, 7, 20].map(defaultBackoffMs)).toEqual([500, 1000, 2000, 16_000, 30_000, 30_000, 30_000]);
  });

  test('the first attempt reports its error as is', async () => {
    const network = new CliError('Network', 'down');
    await expect(loop([network]).run).rejects.toBe(network);
  });

  test('Ctrl-C during the backoff ends with 130 without another session', async () => {
    const clock = new FakeClock();
    const signals = new FakeSignals();
    const relay = new SignalRelay(signals).attach();
    let attempts = 0;
    const run = sessionLoop(
      async () => {
        attempts++;
        return ended(255, 1000);
      },
      {
        reconnect: true,
        relay,
        log: () => undefined,
        clock: { now: clock.now, sleep: () => new Promise<void>(() => undefined) },
      },
    );
    setImmediate(() => signals.send('SIGINT'));
    await expect(run).resolves.toBe(130);
    expect(attempts).toBe(1);
    relay.detach();
  });

  test('a child killed by SIGINT (Ctrl-C reached its process group only) ends with 130', async () => {
    const { run } = loop([{ code: null, signal: 'SIGINT', durationMs: 1000, stderr: '' }]);
    await expect(run).resolves.toBe(130);
  });

  test('with a real (fake) session: SIGINT is passed to the plugin and no reconnect follows', async () => {
    const runtime = fakeRuntime();
    runtime.behaviours = [ctrlC()];
    const relay = new SignalRelay(runtime.signals).attach();
    const code = await sessionLoop(() => runSession(['ssm'], { spawn: runtime.spawn, relay, clock: runtime.clock }), {
      reconnect: true,
      relay,
      clock: runtime.clock,
      log: () => undefined,
    });
    relay.detach();
    expect(code).toBe(130);
    expect(runtime.spawned).toHaveLength(1);
    expect(runtime.spawned[0]!.child.killed).toEqual(['SIGINT']);
  });
});
