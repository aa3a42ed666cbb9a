/** Signals while a command runs: passed to the child, remembered, and cutting waits short. */
import { SignalRelay } from '../../cli/signals';
import { FakeChild, FakeSignals } from './fakes';

describe('SignalRelay', () => {
  test('passes SIGINT, SIGTERM and SIGHUP to the running child and remembers the first', async () => {
    const signals = new FakeSignals();
    const relay = new SignalRelay(signals).attach();
    const child = new FakeChild();
    child.onKill = () => undefined;
    relay.setChild(child);
    signals.send('SIGTERM');
    signals.send('SIGINT');
    signals.send('SIGHUP');
    expect(child.killed).toEqual(['SIGTERM', 'SIGINT', 'SIGHUP']);
    expect(relay.received).toBe('SIGTERM');
    await expect(relay.whenSignalled()).resolves.toBe('SIGTERM');
    relay.detach();
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(signals.listenerCount('SIGHUP')).toBe(0);
  });

  test('an interruptible clock ends a sleep with an Interrupted error (exit 130)', async () => {
    const signals = new FakeSignals();
    const relay = new SignalRelay(signals).attach();
    const never = { now: () => 0, sleep: () => new Promise<void>(() => undefined) };
    const sleeping = relay.interruptible(never).sleep(60_000);
    signals.send('SIGINT');
    await expect(sleeping).rejects.toMatchObject({ code: 'Interrupted', exitCode: 130 });
    relay.detach();
  });
});
