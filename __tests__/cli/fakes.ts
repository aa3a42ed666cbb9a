/**
 * Fakes for the operator CLI tests that need no AWS SDK: a runtime with a virtual clock, scripted child
 * processes, a fake signal source, the test configuration. Kept apart from support.ts (the SDK shapes and
 * mocks) so the tests of command lines, tools, signals, spawning and reconnecting load in a fraction of a
 * second; the runtime's SDK clients are created, and the SDK loaded, only when a command asks for them.
 */
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AwsTarget } from '../../cli/aws';
import type { Clock } from '../../cli/clock';
import type { Runtime } from '../../cli/context';
import { CliError } from '../../cli/errors';
import type { PortProbe } from '../../cli/ports';
import type { SignalSource } from '../../cli/signals';
import type { ChildLike, SpawnFn } from '../../cli/spawn';
import type { Which } from '../../cli/tools';
import { tempDir as sharedTempDir } from '../support/temp-dir';

// As bin/bastion.js does: the SDK's Node-version notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const REGION = 'eu-west-1';
export const PREFIX = 'acme';
export const CLUSTER = 'acme-ecs';
export const SERVICE = 'acme-ecs-bastion';
export const AURORA_HOST = 'mydb.cluster-abc123.eu-west-1.rds.amazonaws.com';

export const CONFIG = {
  namePrefix: PREFIX,
  region: REGION,
  targets: [
    { name: 'aurora', port: 5432, host: AURORA_HOST, securityGroupId: 'sg-0123456789abcdef0' },
    { name: 'redis', port: 6379, cidr: '10.42.8.0/24' },
  ],
};

/** A temporary folder for the CLI tests, removed when the test process ends. */
export function tempDir(prefix = 'bastion-cli-'): string {
  return sharedTempDir(prefix);
}

let defaultConfigDir: string | undefined;

/** A folder holding bastion.config.json (the cwd of the runtime); CONFIG's folder is shared by the files of a worker. */
export function configDir(config?: object): string {
  if (!config && defaultConfigDir) return defaultConfigDir;
  const dir = tempDir();
  writeFileSync(join(dir, 'bastion.config.json'), JSON.stringify(config ?? CONFIG));
  if (!config) defaultConfigDir = dir;
  return dir;
}

/** A clock whose sleeps only move time forward. */
export class FakeClock implements Clock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  now = (): number => this.time;
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.time += ms;
  };
}

export class FakeStream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export class FakeSignals extends EventEmitter implements SignalSource {
  send(signal: NodeJS.Signals): void {
    this.emit(signal);
  }
}

export class FakeChild extends EventEmitter implements ChildLike {
  readonly stderr = new PassThrough();
  readonly killed: NodeJS.Signals[] = [];
  private exited = false;
  /** What the child does when signalled: by default it exits as the plugin does on Ctrl-C. */
  onKill: (signal: NodeJS.Signals) => void = (signal) => this.exit(null, signal);

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.killed.push(signal);
    setImmediate(() => this.onKill(signal));
    return true;
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code, signal);
  }
}

export interface SpawnCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly stdio: unknown;
  readonly child: FakeChild;
}

/** What a scripted session does once spawned (runs on the next tick, after the CLI attached its listeners). */
export type Behaviour = (child: FakeChild, env: { clock: FakeClock; signals: FakeSignals }) => void;

/** The session lasts `ms` of virtual time, writes `stderr`, then exits with `code`. */
export const endsAfter =
  (ms: number, code: number, stderr = ''): Behaviour =>
  (child, { clock }) => {
    if (stderr) child.stderr.write(stderr);
    clock.time += ms;
    setImmediate(() => child.exit(code));
  };

/** The operator presses Ctrl-C during the session (the relay passes SIGINT to the child, which exits). */
export const ctrlC =
  (afterMs = 5_000): Behaviour =>
  (_child, { clock, signals }) => {
    clock.time += afterMs;
    signals.send('SIGINT');
  };

export interface FakeRuntime extends Runtime {
  readonly clock: FakeClock;
  readonly signals: FakeSignals;
  readonly stdout: FakeStream;
  readonly stderr: FakeStream;
  readonly spawned: SpawnCall[];
  readonly confirmations: string[];
  readonly awsTargets: AwsTarget[];
  /** Behaviours of the next spawns, in order (the last one repeats). */
  behaviours: Behaviour[];
  tools: Set<string>;
  busyPorts: Set<number>;
  answer: boolean;
}

export function fakeRuntime(overrides: Partial<Pick<Runtime, 'cwd' | 'stdinIsTTY' | 'env'>> & { stderrIsTTY?: boolean } = {}): FakeRuntime {
  const clock = new FakeClock();
  const signals = new FakeSignals();
  const spawned: SpawnCall[] = [];
  const confirmations: string[] = [];
  const awsTargets: AwsTarget[] = [];
  const runtime: FakeRuntime = {
    env: overrides.env ?? {},
    cwd: overrides.cwd ?? configDir(),
    stdout: new FakeStream(),
    stderr: new FakeStream(overrides.stderrIsTTY ?? false),
    stdinIsTTY: overrides.stdinIsTTY ?? false,
    createClients: (target) => {
      awsTargets.push(target);
      return (require('../../cli/aws') as typeof import('../../cli/aws')).createAwsClients(target);
    },
    which: ((command) => (runtime.tools.has(command) ? `/usr/local/bin/${command}` : undefined)) satisfies Which,
    spawn: ((command, args, options) => {
      const child = new FakeChild();
      spawned.push({ command, args: [...args], stdio: options.stdio, child });
      const behaviour = runtime.behaviours.length > 1 ? runtime.behaviours.shift()! : runtime.behaviours[0];
      if (!behaviour) throw new Error('test: no behaviour scripted for this spawn');
      setImmediate(() => behaviour(child, { clock, signals }));
      return child;
    }) satisfies SpawnFn,
    signals,
    clock,
    confirm: async (question) => {
      confirmations.push(question);
      return runtime.answer;
    },
    ports: {
      isFree: async (port) => !runtime.busyPorts.has(port),
      anyFree: async () => 49152,
    } satisfies PortProbe,
    spawned,
    confirmations,
    awsTargets,
    behaviours: [ctrlC()],
    tools: new Set(['aws', 'session-manager-plugin']),
    busyPorts: new Set(),
    answer: true,
  };
  return runtime;
}

/** The CliError `fn` throws (fails the test when it throws nothing or something else). */
export function thrown(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}
