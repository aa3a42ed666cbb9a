/**
 * Ctrl-C and its kin while a command runs: the signals are passed to the running AWS CLI (so the plugin ends
 * the session as on a terminal), remembered (so the reconnect loop stops and the CLI exits with 128 + the
 * signal), and they cut short any wait in progress.
 */
import type { Clock } from './clock';
import { interruptedError } from './errors';
import type { ChildLike } from './spawn';

/** Where process signals come from (process, or a fake in tests). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/** The signals a SignalRelay holds while attached. */
export const RELAYED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Holds SIGINT/SIGTERM/SIGHUP for as long as sessions run: passes each to the running child (so a
 * supervisor's `kill -INT` reaches the plugin as a terminal's Ctrl-C would) and remembers it, so the loop
 * ends instead of reconnecting and the CLI exits with 128 + the signal.
 */
export class SignalRelay {
  private signal?: NodeJS.Signals;
  private child?: ChildLike;
  private readonly listeners = new Map<NodeJS.Signals, () => void>();
  private readonly waiting: ((signal: NodeJS.Signals) => void)[] = [];

  constructor(private readonly source: SignalSource) {}

  /** The first signal received, if any. */
  get received(): NodeJS.Signals | undefined {
    return this.signal;
  }

  attach(): this {
    for (const signal of RELAYED_SIGNALS) {
      const listener = () => this.deliver(signal);
      this.listeners.set(signal, listener);
      this.source.on(signal, listener);
    }
    return this;
  }

  detach(): void {
    for (const [signal, listener] of this.listeners) this.source.off(signal, listener);
    this.listeners.clear();
  }

  setChild(child: ChildLike | undefined): void {
    this.child = child;
  }

  /** Resolves with the first signal (at once if one was already received). */
  whenSignalled(): Promise<NodeJS.Signals> {
    if (this.signal) return Promise.resolve(this.signal);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A clock whose sleep ends early with an Interrupted error when a signal arrives (waits stop on Ctrl-C). */
  interruptible(clock: Clock): Clock {
    return {
      now: () => clock.now(),
      sleep: async (ms) => {
        if (this.signal) throw interruptedError(this.signal);
        const signal = await Promise.race([clock.sleep(ms).then(() => undefined), this.whenSignalled()]);
        if (signal) throw interruptedError(signal);
      },
    };
  }

  private deliver(signal: NodeJS.Signals): void {
    this.signal ??= signal;
    this.child?.kill(signal);
    for (const resolve of this.waiting.splice(0)) resolve(this.signal);
  }
}
