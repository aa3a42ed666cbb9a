/**
 * Fakes for the operator CLI tests: a runtime with a virtual clock, scripted child processes, a fake
 * signal source, and builders for the SDK responses of a deployed bastion. No real AWS, no real sleeps.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, type Instance, type State, type VpcEndpoint } from '@aws-sdk/client-ec2';
import { ECSClient, type Service, type Task } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { type AwsTarget, createAwsClients } from '../../cli/aws';
import { CliError } from '../../cli/errors';
import type { Runtime } from '../../cli/context';
import type { PortProbe } from '../../cli/ports';
import type { SignalSource } from '../../cli/signals';
import type { ChildLike, SpawnFn } from '../../cli/spawn';
import type { Which } from '../../cli/tools';
import type { Clock } from '../../cli/wait';

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

const tempDirs: string[] = [];

/** A temporary folder, removed after the test file. */
export function tempDir(prefix = 'bastion-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let defaultConfigDir: string | undefined;

/** A folder holding bastion.config.json (the cwd of the runtime); CONFIG's folder is shared within a file. */
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
      return createAwsClients(target);
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

// ---------------------------------------------------------------------------------------------- SDK shapes

export const taskArn = (id: string) => `arn:aws:ecs:${REGION}:123456789012:task/${CLUSTER}/${id}`;

export interface TaskShape {
  readonly id: string;
  readonly lastStatus?: string;
  readonly agent?: string | null;
  readonly runtimeId?: string | null;
  readonly exec?: boolean;
}

/** A DescribeTasks task: the `bastion` container with its ECS Exec agent, plus a sidecar to be ignored. */
export function task({ id, lastStatus = 'RUNNING', agent = 'RUNNING', runtimeId, exec = true }: TaskShape): Task {
  return {
    taskArn: taskArn(id),
    lastStatus,
    desiredStatus: 'RUNNING',
    enableExecuteCommand: exec,
    availabilityZone: `${REGION}a`,
    containers: [
      { name: 'log-router', runtimeId: `${id}-9999999999`, managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] },
      {
        name: 'bastion',
        runtimeId: runtimeId === null ? undefined : (runtimeId ?? `${id}-1234567890`),
        managedAgents: agent === null ? undefined : [{ name: 'ExecuteCommandAgent', lastStatus: agent }],
      },
    ],
  };
}

export function service(desiredCount: number, extra: Partial<Service> = {}): Service {
  return { serviceName: SERVICE, status: 'ACTIVE', desiredCount, runningCount: desiredCount, pendingCount: 0, ...extra };
}

export function instance(id: string, state: string): Instance {
  return {
    InstanceId: id,
    State: { Name: state as never },
    InstanceType: 't4g.nano',
    Tags: [
      { Key: 'Name', Value: `${PREFIX}-ec2-bastion` },
      { Key: 'PatchGroup', Value: PREFIX },
    ],
  };
}

// The SDK types the state as "Available"; the API answers "available". The CLI accepts both.
export const INTERFACE_ENDPOINTS: VpcEndpoint[] = ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'].map((service, i) => ({
  VpcEndpointId: `vpce-0000000000000000${i}`,
  ServiceName: `com.amazonaws.${REGION}.${service}`,
  VpcEndpointType: 'Interface',
  State: i % 2 === 0 ? 'Available' : ('available' as State),
}));

/**
 * SDK clients for the region of the tests with aws-sdk-client-mock behind them, reset before each test of the
 * file that calls this.
 */
export function mockedAwsClients() {
  const ecsMock = mockClient(ECSClient);
  const ec2Mock = mockClient(EC2Client);
  const ssmMock = mockClient(SSMClient);
  // The auditor's clients (`bastion sessions`, `bastion transcript`).
  const logsMock = mockClient(CloudWatchLogsClient);
  const s3Mock = mockClient(S3Client);
  const cloudtrailMock = mockClient(CloudTrailClient);
  const stsMock = mockClient(STSClient);
  const mocks = [ecsMock, ec2Mock, ssmMock, logsMock, s3Mock, cloudtrailMock, stsMock];
  beforeEach(() => {
    for (const mock of mocks) mock.reset();
  });
  return {
    ecsMock,
    ec2Mock,
    ssmMock,
    logsMock,
    s3Mock,
    cloudtrailMock,
    stsMock,
    /** Every mock, for the permission-table check of what a run sent (calls.ts). */
    mocks,
    ecs: new ECSClient({ region: REGION }),
    ec2: new EC2Client({ region: REGION }),
    ssm: new SSMClient({ region: REGION }),
  };
}
