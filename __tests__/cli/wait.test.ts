import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { CliError } from '../../cli/errors';
import { formatDuration, type Probe, waitFor, waitForEcsExec, waitForSsmAgent } from '../../cli/wait';
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
