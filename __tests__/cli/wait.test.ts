import { DescribeInstancesCommand, InstanceStateName } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeInstanceInformationCommand, PingStatus } from '@aws-sdk/client-ssm';
import { CliError, fromAwsError } from '../../cli/errors';
import type { EcsBastion, EcsTask } from '../../cli/lookup/ecs';
import { ec2Probe, ecsProbe, formatDuration, isTransient, type Probe, START_SETTLE_MS, waitFor, waitForEcsExec, waitForSsmAgent } from '../../cli/wait';
import { bastionNames } from '../../modules/naming';
import { FakeClock, instance, mockedAwsClients, PREFIX, service, task, taskArn } from './support';

const { ecsMock, ec2Mock, ssmMock, ecs, ec2, ssm } = mockedAwsClients();
const names = bastionNames(PREFIX);

describe('waitFor', () => {
  test('returns at once, without sleeping, when the first look is ready', async () => {
    const clock = new FakeClock();
    const onStatus = jest.fn();
    await expect(waitFor('x', async () => ({ ready: true, value: 42 }), { timeoutMs: 1000, clock, onStatus })).resolves.toBe(42);
    expect(clock.sleeps).toEqual([]);
    expect(onStatus).not.toHaveBeenCalled();
  });

  test('polls at the interval and reports every state with the elapsed time', async () => {
    const clock = new FakeClock();
    const looks: Probe<string>[] = [
      { ready: false, status: 'PROVISIONING' },
      { ready: false, status: 'PENDING' },
      { ready: true, value: 'done' },
    ];
    const statuses: [string, number][] = [];
    const value = await waitFor('x', async () => looks.shift()!, {
      timeoutMs: 60_000,
      intervalMs: 2000,
      clock,
      onStatus: (status, elapsed) => statuses.push([status, elapsed]),
    });
    expect(value).toBe('done');
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(statuses).toEqual([
      ['PROVISIONING', 0],
      ['PENDING', 2000],
    ]);
  });

  test('times out with the last state, its error code and hint; the last sleep is cut to the deadline', async () => {
    const clock = new FakeClock();
    const probe = async (): Promise<Probe<never>> => ({ ready: false, status: 'agent PENDING', timeoutCode: 'AgentNotRunning', timeoutHint: 'check ssmmessages' });
    const error = await waitFor('The bastion', probe, { timeoutMs: 7000, intervalMs: 3000, clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 'AgentNotRunning', message: 'The bastion was not ready after 7s: agent PENDING.', hint: 'check ssmmessages' });
    expect(clock.sleeps).toEqual([3000, 3000, 1000]);
  });

  // Errors as the SDK throws them, translated the way every awsCall translates them.
  const awsError = (name: string, extra: Record<string, unknown> = {}) =>
    fromAwsError(Object.assign(new Error(`${name} happened`), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } }, extra), 'ecs:DescribeServices');
  const TRANSIENT = {
    'no network (ECONNRESET)': fromAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ecs:DescribeServices'),
    'ECS throttling': awsError('ThrottlingException'),
    'EC2 throttling': awsError('RequestLimitExceeded', { $metadata: { httpStatusCode: 503 } }),
    'a server fault': awsError('ServerException', { $fault: 'server', $metadata: {} }),
    'an HTTP 503 without a fault': awsError('ServiceUnavailable', { $fault: undefined, $metadata: { httpStatusCode: 503 } }),
    'an HTTP 500 without a fault': awsError('InternalFailure', { $fault: undefined, $metadata: { httpStatusCode: 500 } }),
  };
  const FINAL = {
    'access denied': awsError('AccessDeniedException'),
    'expired credentials': awsError('ExpiredTokenException'),
    'a client fault': awsError('InvalidParameterException'),
    'the bastion parked': new CliError('Parked', 'The ecs bastion is parked.'),
    'a bug': new TypeError('x is undefined'),
  };

  test.each(Object.entries(TRANSIENT))('looks again after %s, and goes on to the ready answer', async (_, error) => {
    expect(isTransient(error)).toBe(true);
    const clock = new FakeClock();
    const looks: (() => Probe<string>)[] = [
      () => {
        throw error;
      },
      () => ({ ready: true, value: 'done' }),
    ];
    const statuses: string[] = [];
    await expect(waitFor('x', async () => looks.shift()!(), { timeoutMs: 60_000, clock, onStatus: (s) => statuses.push(s) })).resolves.toBe('done');
    expect(statuses).toEqual([`${error.message} (looking again)`]);
    expect(clock.sleeps).toEqual([3000]);
  });

  // The SDK's retry strategy tells throttling by the error's name, whatever its HTTP status or fault.
  test.each(['ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled'])(
    'throttling named %s is transient, even as a client fault with HTTP 400',
    (name) => {
      expect(isTransient(awsError(name))).toBe(true);
    },
  );

  test.each(Object.entries(FINAL))('ends the wait at once on %s', async (_, error) => {
    expect(isTransient(error)).toBe(false);
    const clock = new FakeClock();
    const probe = jest.fn(async (): Promise<Probe<string>> => {
      throw error;
    });
    await expect(waitFor('x', probe, { timeoutMs: 60_000, clock })).rejects.toBe(error);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('a transient error that lasts to the deadline ends the wait with its own code and hint', async () => {
    const clock = new FakeClock();
    const network = TRANSIENT['no network (ECONNRESET)'];
    const error = await waitFor('The bastion', async () => Promise.reject(network), { timeoutMs: 7000, intervalMs: 3000, clock }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'Network', message: `The bastion was not ready after 7s: ${network.message} (looking again).`, hint: network.hint });
    expect(clock.sleeps).toEqual([3000, 3000, 1000]);
  });

  test('formatDuration', () => {
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(125_000)).toBe('2m05s');
  });
});

describe('waitForEcsExec', () => {
  const ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

  function serviceWithTask(shape: Parameters<typeof task>[0] | undefined, desiredCount = 1) {
    ecsMock.on(DescribeServicesCommand).resolvesOnce({ services: [service(desiredCount, { runningCount: 0, pendingCount: shape ? 1 : 0 })] });
    ecsMock.on(ListTasksCommand).resolvesOnce({ taskArns: shape ? [taskArn(shape.id)] : [] });
    if (shape) ecsMock.on(DescribeTasksCommand).resolvesOnce({ tasks: [task(shape)] });
  }

  test('waits past RUNNING until the ExecuteCommandAgent is RUNNING, then gives the session target', async () => {
    // Each look describes the service, lists its tasks and describes them; the mocks answer in sequence.
    ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [service(1)] });
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: [] })
      .resolves({ taskArns: [taskArn(ID)] });
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [task({ id: ID, lastStatus: 'PROVISIONING', agent: 'PENDING', runtimeId: null })] })
      .resolvesOnce({ tasks: [task({ id: ID, lastStatus: 'RUNNING', agent: 'PENDING' })] })
      .resolves({ tasks: [task({ id: ID, lastStatus: 'RUNNING', agent: 'RUNNING', runtimeId: `${ID}-77` })] });
    const clock = new FakeClock();
    const statuses: string[] = [];

    const ready = await waitForEcsExec(ecs, names, { timeoutMs: 300_000, clock, onStatus: (s) => statuses.push(s) });

    expect(ready.target).toBe(`ecs:acme-ecs_${ID}_${ID}-77`);
    expect(statuses).toEqual([
      'waiting for service acme-ecs-bastion to start a task (desired 1, pending 0, running 1)',
      `task ${ID} is PROVISIONING`,
      `task ${ID} is RUNNING, ExecuteCommandAgent is PENDING`,
    ]);
    expect(clock.sleeps).toEqual([3000, 3000, 3000]);
  });

  test('uses the description it is given for the first look', async () => {
    serviceWithTask({ id: ID });
    const clock = new FakeClock();
    const first = { cluster: 'acme-ecs', service: 'acme-ecs-bastion', deployed: true, desiredCount: 1, runningCount: 1, pendingCount: 0, tasks: [{ taskArn: taskArn(ID), taskId: ID, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', execEnabled: true, runtimeId: 'r', agentStatus: 'RUNNING' }] };
    await expect(waitForEcsExec(ecs, names, { timeoutMs: 1000, clock, first })).resolves.toMatchObject({ target: `ecs:acme-ecs_${ID}_r` });
    expect(ecsMock.calls()).toHaveLength(0);
  });

  test('an agent that stays PENDING times out as AgentNotRunning, naming the endpoints', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID, agent: 'PENDING' })] });
    const clock = new FakeClock();
    const error = await waitForEcsExec(ecs, names, { timeoutMs: 30_000, clock }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AgentNotRunning', hint: expect.stringContaining('ssmmessages') });
    expect((error as Error).message).toContain('ExecuteCommandAgent is PENDING');
    expect(clock.time - 1_000_000).toBe(30_000);
  });

  test('a task that never comes times out as NoTask with the service event', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1, { runningCount: 0, events: [{ message: '(service acme-ecs-bastion) was unable to place a task because no container instance met all of its requirements.' }] })] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    const error = await waitForEcsExec(ecs, names, { timeoutMs: 9000, clock: new FakeClock() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NoTask', hint: expect.stringContaining('unable to place a task') });
  });

  test.each([
    ['the agent is STOPPED', { id: ID, agent: 'STOPPED' }, /ExecuteCommandAgent\) of task .* is STOPPED/],
    ['the task was started without ECS Exec', { id: ID, exec: false, agent: null }, /without ECS Exec/],
  ])('fails at once, without waiting, when %s', async (_what, shape, message) => {
    serviceWithTask(shape);
    const clock = new FakeClock();
    const error = await waitForEcsExec(ecs, names, { timeoutMs: 300_000, clock }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AgentNotRunning' });
    expect((error as Error).message).toMatch(message);
    expect(clock.sleeps).toEqual([]);
  });

  test('during a rollout, waits for the new deployment\'s task although the replaced one is ready', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [service(1, { deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY' }, { id: 'ecs-svc/1', status: 'ACTIVE' }] })],
    });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn('old'), taskArn('new')] });
    const old = task({ id: 'old', startedBy: 'ecs-svc/1' });
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [old, task({ id: 'new', lastStatus: 'PENDING', agent: 'PENDING', runtimeId: null, startedBy: 'ecs-svc/2' })] })
      .resolvesOnce({ tasks: [old, task({ id: 'new', agent: 'PENDING', startedBy: 'ecs-svc/2' })] })
      .resolves({ tasks: [old, task({ id: 'new', startedBy: 'ecs-svc/2' })] });
    const statuses: string[] = [];
    const ready = await waitForEcsExec(ecs, names, { timeoutMs: 300_000, clock: new FakeClock(), onStatus: (s) => statuses.push(s) });
    expect(ready.target).toBe('ecs:acme-ecs_new_new-1234567890');
    expect(statuses).toEqual(['task new is PENDING (replacing task old)', 'task new is RUNNING, ExecuteCommandAgent is PENDING (replacing task old)']);
  });

  test('after a start it asked for, desired count 0 is the start not showing yet: it waits, then finds the task', async () => {
    ecsMock.on(DescribeServicesCommand).resolvesOnce({ services: [service(0)] }).resolvesOnce({ services: [service(0)] }).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolvesOnce({ taskArns: [] }).resolvesOnce({ taskArns: [] }).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID })] });
    const statuses: string[] = [];
    const ready = await waitForEcsExec(ecs, names, { timeoutMs: 300_000, clock: new FakeClock(), onStatus: (s) => statuses.push(s), started: true });
    expect(ready.task.taskId).toBe(ID);
    expect(statuses).toEqual(Array(2).fill('service acme-ecs-bastion still shows desired count 0 (start requested)'));
  });

  test('after a start it asked for, desired count 0 for longer than START_SETTLE_MS is parked again', async () => {
    serviceWithTask(undefined, 0);
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(0)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    const clock = new FakeClock();
    await expect(waitForEcsExec(ecs, names, { timeoutMs: 300_000, clock, started: true })).rejects.toMatchObject({ code: 'Parked' });
    expect(clock.time - 1_000_000).toBe(START_SETTLE_MS);
  });

  test('a parked service and several tasks fail at once', async () => {
    serviceWithTask(undefined, 0);
    await expect(waitForEcsExec(ecs, names, { timeoutMs: 300_000, clock: new FakeClock() })).rejects.toMatchObject({ code: 'Parked' });
    ecsMock.reset();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(2)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn('aaa'), taskArn('bbb')] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: 'aaa' }), task({ id: 'bbb' })] });
    await expect(waitForEcsExec(ecs, names, { timeoutMs: 300_000, clock: new FakeClock() })).rejects.toMatchObject({ code: 'SeveralTasks' });
    await expect(waitForEcsExec(ecs, names, { timeoutMs: 300_000, clock: new FakeClock(), taskId: 'bbb' })).resolves.toMatchObject({
      target: 'ecs:acme-ecs_bbb_bbb-1234567890',
    });
  });
});

describe('waitForSsmAgent', () => {
  test('waits for the instance to run and its SSM agent to be Online', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-a', 'pending')] }] })
      .resolves({ Reservations: [{ Instances: [instance('i-a', 'running')] }] });
    ssmMock
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [] })
      .resolvesOnce({ InstanceInformationList: [{ InstanceId: 'i-a', PingStatus: 'ConnectionLost' }] })
      .resolves({ InstanceInformationList: [{ InstanceId: 'i-a', PingStatus: 'Online', AgentVersion: '3.3.1' }] });
    const clock = new FakeClock();
    const statuses: string[] = [];
    const ready = await waitForSsmAgent({ ec2, ssm }, PREFIX, { timeoutMs: 300_000, clock, onStatus: (s) => statuses.push(s) });
    expect(ready.instanceId).toBe('i-a');
    expect(statuses).toEqual([
      'instance i-a is pending',
      'instance i-a is running, SSM agent has not registered yet',
      'instance i-a is running, SSM agent is ConnectionLost',
    ]);
    expect(ssmMock.commandCalls(DescribeInstanceInformationCommand)[0]!.args[0].input).toEqual({ Filters: [{ Key: 'InstanceIds', Values: ['i-a'] }] });
  });

  test('after a start it asked for, a stopped instance is the start not showing yet, for START_SETTLE_MS', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-a', 'stopped')] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-a', 'stopped')] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-a', 'pending')] }] })
      .resolves({ Reservations: [{ Instances: [instance('i-a', 'running')] }] });
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-a', PingStatus: 'Online' }] });
    const statuses: string[] = [];
    const ready = await waitForSsmAgent({ ec2, ssm }, PREFIX, { timeoutMs: 300_000, clock: new FakeClock(), onStatus: (s) => statuses.push(s), started: true });
    expect(ready.instanceId).toBe('i-a');
    expect(statuses).toEqual(['instance i-a still shows stopped (start requested)', 'instance i-a still shows stopped (start requested)', 'instance i-a is pending']);

    ec2Mock.reset();
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-a', 'stopped')] }] });
    const clock = new FakeClock();
    await expect(waitForSsmAgent({ ec2, ssm }, PREFIX, { timeoutMs: 300_000, clock, started: true })).rejects.toMatchObject({ code: 'Parked' });
    expect(clock.time - 1_000_000).toBe(START_SETTLE_MS);
  });

  test('an agent that never comes online is AgentNotRunning; a stopped instance is Parked', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-a', 'running')] }] });
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-a', PingStatus: 'ConnectionLost' }] });
    await expect(waitForSsmAgent({ ec2, ssm }, PREFIX, { timeoutMs: 10_000, clock: new FakeClock() })).rejects.toMatchObject({
      code: 'AgentNotRunning',
      hint: expect.stringContaining('ec2messages'),
    });
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-a', 'stopped')] }] });
    await expect(waitForSsmAgent({ ec2, ssm }, PREFIX, { timeoutMs: 10_000, clock: new FakeClock() })).rejects.toMatchObject({ code: 'Parked' });
  });
});

/** What one look concludes, in one line: ready, waiting (with the timeout code and the progress text), or an error. */
function outcome(look: () => Probe<unknown>): string {
  try {
    const probe = look();
    return probe.ready ? 'ready' : `waiting (${probe.timeoutCode ?? 'Timeout'}): ${probe.status}`;
  } catch (error) {
    if (error instanceof CliError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

describe('ecsProbe for every service and task state', () => {
  const bastion = (tasks: EcsTask[], desiredCount = 1, deployed = true): EcsBastion => ({
    cluster: 'acme-ecs',
    service: 'acme-ecs-bastion',
    deployed,
    desiredCount,
    runningCount: tasks.length,
    pendingCount: 0,
    tasks,
  });
  const taskIn = (lastStatus: string, agentStatus: string | undefined, runtimeId: string | undefined, execEnabled = true): EcsTask => ({
    taskArn: taskArn('t'),
    taskId: 't',
    lastStatus,
    desiredStatus: 'RUNNING',
    execEnabled,
    agentStatus,
    runtimeId,
  });
  const EXEC_OFF = 'AgentNotRunning: Task t was started without ECS Exec (enableExecuteCommand is off), so it has no ExecuteCommandAgent.';

  test.each<[string, () => Probe<unknown>, string]>([
    ['no service', () => ecsProbe(bastion([], 0, false)), 'NotDeployed: ECS service acme-ecs-bastion was not found in cluster acme-ecs.'],
    ['desired 0, no task', () => ecsProbe(bastion([], 0)), 'Parked: The ecs bastion is parked (service acme-ecs-bastion has desired count 0).'],
    ['desired 1, no task yet', () => ecsProbe(bastion([], 1)), 'waiting (NoTask): waiting for service acme-ecs-bastion to start a task (desired 1, pending 0, running 0)'],
    ['desired 0, no task, just started', () => ecsProbe(bastion([], 0), undefined, true), 'waiting (Timeout): service acme-ecs-bastion still shows desired count 0 (start requested)'],
    ['desired 1, no task yet, just started', () => ecsProbe(bastion([], 1), undefined, true), 'waiting (NoTask): waiting for service acme-ecs-bastion to start a task (desired 1, pending 0, running 0)'],
    ['not deployed, just started', () => ecsProbe(bastion([], 0, false), undefined, true), 'NotDeployed: ECS service acme-ecs-bastion was not found in cluster acme-ecs.'],
    ['two tasks, no --task', () => ecsProbe(bastion([taskIn('RUNNING', 'RUNNING', 'r'), { ...taskIn('RUNNING', 'RUNNING', 'r'), taskId: 'u' }], 2)), 'SeveralTasks: Service acme-ecs-bastion has 2 running tasks; choose one with --task <id>.'],
    ['--task that is not running', () => ecsProbe(bastion([taskIn('RUNNING', 'RUNNING', 'r')]), 'zzz'), 'NoTask: Task zzz is not a running task of service acme-ecs-bastion.'],
    // During a rollout the status names the tasks being replaced, but never the chosen task itself (--task on the old one).
    [
      'rollout, --task on the replaced task',
      () => ecsProbe(bastion([{ ...taskIn('RUNNING', 'PENDING', 'r'), taskId: 'old', replaced: true }, { ...taskIn('PENDING', undefined, undefined), taskId: 'new' }], 1), 'old'),
      'waiting (AgentNotRunning): task old is RUNNING, ExecuteCommandAgent is PENDING',
    ],
    [
      'rollout, no --task',
      () => ecsProbe(bastion([{ ...taskIn('RUNNING', 'PENDING', 'r'), taskId: 'old', replaced: true }, { ...taskIn('PENDING', undefined, undefined), taskId: 'new' }], 1)),
      'waiting (NoTask): task new is PENDING (replacing task old)',
    ],
    // A RUNNING task: ECS Exec enabled or not × every agent state × container started (runtime id) or not.
    ['RUNNING, ECS Exec off, agent RUNNING', () => ecsProbe(bastion([taskIn('RUNNING', 'RUNNING', 'r', false)])), EXEC_OFF],
    ['RUNNING, ECS Exec off, no agent', () => ecsProbe(bastion([taskIn('RUNNING', undefined, 'r', false)])), EXEC_OFF],
    ['RUNNING, no agent', () => ecsProbe(bastion([taskIn('RUNNING', undefined, 'r')])), EXEC_OFF],
    ['RUNNING, no agent, no runtime id', () => ecsProbe(bastion([taskIn('RUNNING', undefined, undefined)])), EXEC_OFF],
    ['RUNNING, agent STOPPED', () => ecsProbe(bastion([taskIn('RUNNING', 'STOPPED', 'r')])), 'AgentNotRunning: The ECS Exec agent (ExecuteCommandAgent) of task t is STOPPED.'],
    ['RUNNING, agent STOPPED, no runtime id', () => ecsProbe(bastion([taskIn('RUNNING', 'STOPPED', undefined)])), 'AgentNotRunning: The ECS Exec agent (ExecuteCommandAgent) of task t is STOPPED.'],
    ['RUNNING, agent PENDING', () => ecsProbe(bastion([taskIn('RUNNING', 'PENDING', 'r')])), 'waiting (AgentNotRunning): task t is RUNNING, ExecuteCommandAgent is PENDING'],
    ['RUNNING, agent PENDING, no runtime id', () => ecsProbe(bastion([taskIn('RUNNING', 'PENDING', undefined)])), 'waiting (AgentNotRunning): task t is RUNNING, ExecuteCommandAgent is PENDING'],
    ['RUNNING, agent RUNNING, no runtime id', () => ecsProbe(bastion([taskIn('RUNNING', 'RUNNING', undefined)])), 'waiting (AgentNotRunning): task t is RUNNING, ExecuteCommandAgent is RUNNING'],
    ['RUNNING, agent RUNNING, runtime id', () => ecsProbe(bastion([taskIn('RUNNING', 'RUNNING', 'r')])), 'ready'],
  ])('%s → %s', (_what, look, expected) => {
    expect(outcome(look)).toBe(expected);
  });

  // Before RUNNING (or after), the task is waited for, whatever its agent, container or ECS Exec setting say.
  const NOT_RUNNING = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];
  test.each(NOT_RUNNING)('a task %s is waited for (NoTask), in every agent, container and ECS Exec state', (lastStatus) => {
    const looks = [undefined, 'PENDING', 'RUNNING', 'STOPPED'].flatMap((agent) =>
      [undefined, 'r'].flatMap((runtimeId) => [true, false].map((exec) => outcome(() => ecsProbe(bastion([taskIn(lastStatus, agent, runtimeId, exec)]))))),
    );
    expect(new Set(looks)).toEqual(new Set([`waiting (NoTask): task t is ${lastStatus}`]));
    expect(looks).toHaveLength(16);
  });
});

describe('ec2Probe for every instance and SSM agent state', () => {
  // Rows: each instance state of the SDK's enum (a new one fails to compile here); columns: the SSM agent
  // unregistered, or each ping status of the SDK's enum.
  type Agent = 'not registered' | PingStatus;
  const waiting = (code: string, status: string) => `waiting (${code}): instance i-a is ${status}`;
  const PARKED = (state: string) => `Parked: The ec2 bastion is parked (instance i-a is ${state}).`;
  const EXPECTED: Record<InstanceStateName, Record<Agent, string>> = {
    pending: {
      'not registered': waiting('Timeout', 'pending'),
      Online: waiting('Timeout', 'pending'),
      ConnectionLost: waiting('Timeout', 'pending'),
      Inactive: waiting('Timeout', 'pending'),
    },
    running: {
      'not registered': waiting('AgentNotRunning', 'running, SSM agent has not registered yet'),
      Online: 'ready',
      ConnectionLost: waiting('AgentNotRunning', 'running, SSM agent is ConnectionLost'),
      Inactive: waiting('AgentNotRunning', 'running, SSM agent is Inactive'),
    },
    stopping: { 'not registered': PARKED('stopping'), Online: PARKED('stopping'), ConnectionLost: PARKED('stopping'), Inactive: PARKED('stopping') },
    stopped: { 'not registered': PARKED('stopped'), Online: PARKED('stopped'), ConnectionLost: PARKED('stopped'), Inactive: PARKED('stopped') },
    'shutting-down': {
      'not registered': 'NotDeployed: Instance i-a is shutting-down.',
      Online: 'NotDeployed: Instance i-a is shutting-down.',
      ConnectionLost: 'NotDeployed: Instance i-a is shutting-down.',
      Inactive: 'NotDeployed: Instance i-a is shutting-down.',
    },
    terminated: {
      'not registered': 'NotDeployed: Instance i-a is terminated.',
      Online: 'NotDeployed: Instance i-a is terminated.',
      ConnectionLost: 'NotDeployed: Instance i-a is terminated.',
      Inactive: 'NotDeployed: Instance i-a is terminated.',
    },
  };
  const AGENTS: Agent[] = ['not registered', ...Object.values(PingStatus)];

  test('the table covers every instance state and ping status of the SDK', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.values(InstanceStateName).sort());
    for (const byAgent of Object.values(EXPECTED)) expect(Object.keys(byAgent).sort()).toEqual([...AGENTS].sort());
  });

  test.each(Object.entries(EXPECTED).flatMap(([state, byAgent]) => AGENTS.map((agent) => [state, agent, byAgent[agent]] as const)))(
    'instance %s, SSM agent %s → %s',
    (state, agent, expected) => {
      expect(outcome(() => ec2Probe({ instanceId: 'i-a', state }, agent === 'not registered' ? undefined : { pingStatus: agent }))).toBe(expected);
    },
  );

  // Just after the CLI started the instance, only `stopped` reads differently: the start may not show yet.
  const SETTLING: Record<InstanceStateName, Record<Agent, string>> = {
    ...EXPECTED,
    stopped: Object.fromEntries(AGENTS.map((agent) => [agent, waiting('Timeout', 'stopped (start requested)').replace(' is stopped', ' still shows stopped')])) as Record<Agent, string>,
  };
  test.each(Object.entries(SETTLING).flatMap(([state, byAgent]) => AGENTS.map((agent) => [state, agent, byAgent[agent]] as const)))(
    'just started: instance %s, SSM agent %s → %s',
    (state, agent, expected) => {
      expect(outcome(() => ec2Probe({ instanceId: 'i-a', state }, agent === 'not registered' ? undefined : { pingStatus: agent }, true))).toBe(expected);
    },
  );
});
