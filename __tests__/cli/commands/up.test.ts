/** `bastion up`: start the compute and wait for the agent (in-process, see harness.ts). */
import { DescribeInstancesCommand, StartInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { CLUSTER, fakeRuntime, instance, SERVICE, service, task, taskArn } from '../support';
import { commandHarness, ID } from './harness';

const { ecsMock, ec2Mock, ssmMock, bastion, ecsRunning, ecsParked, endpoints } = commandHarness();

describe('bastion up', () => {
  test('up ecs: desired count 1, then waits until the agent is ready', async () => {
    ecsMock.on(DescribeServicesCommand).resolvesOnce({ services: [service(0)] }).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolvesOnce({ taskArns: [] }).resolvesOnce({ taskArns: [] }).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID })] });
    endpoints(true);
    const { code, err } = await bastion(['up', 'ecs']);
    expect(code).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, service: SERVICE, desiredCount: 1 });
    expect(err).toContain(`The ecs bastion is ready (task ${ID})`);
  });

  test('up ecs --no-wait only asks; up on a running service changes nothing', async () => {
    ecsParked();
    endpoints(true);
    const noWait = await bastion(['up', 'ecs', '--no-wait']);
    expect(noWait.code).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0);
    ecsMock.reset();
    ecsRunning();
    const already = await bastion(['up', 'ecs']);
    expect(already.code).toBe(0);
    expect(already.err).toContain('already up (desired count 1)');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  // Describe calls are eventually consistent: the first looks after the start may still show the bastion parked.
  test.each([
    ['waits for a stopping instance to stop, starts it and waits for the agent', 'stopping', '… instance i-0abc is stopping'],
    ['waits out a stopped answer just after StartInstances instead of reporting it parked', 'stopped', '… instance i-0abc still shows stopped (start requested)'],
  ])('up ec2 %s', async (_what, before, progress) => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', before)] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', before)] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopped')] }] })
      .resolves({ Reservations: [{ Instances: [instance('i-0abc', 'running')] }] });
    ec2Mock.on(StartInstancesCommand).resolves({});
    endpoints(true);
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    const { code, err } = await bastion(['up', 'ec2']);
    expect(code).toBe(0);
    expect(ec2Mock.commandCalls(StartInstancesCommand)).toHaveLength(1);
    expect(err).toContain(progress);
    expect(err).toContain('The ec2 bastion is ready (instance i-0abc)');
  });

  test('up ecs: desired count 0 just after UpdateService is waited out, not reported as parked', async () => {
    ecsMock.on(DescribeServicesCommand).resolvesOnce({ services: [service(0)] }).resolvesOnce({ services: [service(0)] }).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolvesOnce({ taskArns: [] }).resolvesOnce({ taskArns: [] }).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID })] });
    endpoints(true);
    const { code, err } = await bastion(['up', 'ecs']);
    expect(code).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(err).toContain('… service acme-ecs-bastion still shows desired count 0 (start requested)');
    expect(err).toContain(`The ecs bastion is ready (task ${ID})`);
  });

  test('up refuses when the endpoints are parked', async () => {
    ecsParked();
    endpoints(false);
    const { code, err } = await bastion(['up', 'ecs']);
    expect(code).toBe(1);
    expect(err).toContain('bastion_enabled=true');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('a bastion parked again between the start and the wait (someone ran down) is not started a second time', async () => {
    ecsParked();
    endpoints(true);
    const { code, err, runtime } = await bastion(['up', 'ecs']);
    expect(code).toBe(1);
    expect(err).toContain('The ecs bastion is parked');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    // Said once the 30 s the start may take to show are over, not at the end of the default 300 s --timeout.
    expect(runtime.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(30_000);
  });

  // EC2 is starting a pending instance already: a second StartInstances is not asked for, and no start was requested.
  test('up ec2 on a pending instance does not start it again, and waits for the agent', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'pending')] }] })
      .resolves({ Reservations: [{ Instances: [instance('i-0abc', 'running')] }] });
    endpoints(true);
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    const { code, err } = await bastion(['up', 'ec2']);
    expect(code).toBe(0);
    expect(ec2Mock.commandCalls(StartInstancesCommand)).toHaveLength(0);
    expect(err).toContain('Instance i-0abc is already pending.');
    expect(err).toContain('The ec2 bastion is ready (instance i-0abc)');
  });

  test('up ec2 with no instance and no endpoints: the stack is fully parked, which up cannot undo', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    endpoints(false);
    const { code, err } = await bastion(['up', 'ec2']);
    expect(code).toBe(1);
    expect(err).toContain('The VPC endpoints of the ec2-bastion stack are not there: the stack is fully parked (bastion_enabled=false).');
    expect(ec2Mock.commandCalls(StartInstancesCommand)).toHaveLength(0);
  });

  test('up ec2 on a stopping instance that someone else starts again: no start of its own, no wait to the timeout', async () => {
    const runtime = fakeRuntime();
    const since = runtime.clock.time;
    ec2Mock.on(DescribeInstancesCommand).callsFake(() => ({ Reservations: [{ Instances: [instance('i-0abc', runtime.clock.time - since < 20_000 ? 'stopping' : 'running')] }] }));
    endpoints(true);
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    const { code, err } = await bastion(['up', 'ec2'], runtime);
    expect(code).toBe(0);
    expect(ec2Mock.commandCalls(StartInstancesCommand)).toHaveLength(0);
    expect(err).toContain('The ec2 bastion is ready (instance i-0abc)');
    expect(runtime.clock.time - since).toBeLessThan(60_000);
  });

  // An instance can take minutes to stop (a slow shutdown, the OS waiting on its services): up waits up to five for it.
  test('up ec2 on an instance that takes four minutes to stop still starts it', async () => {
    const runtime = fakeRuntime();
    const since = runtime.clock.time;
    let started = false;
    ec2Mock.on(DescribeInstancesCommand).callsFake(() => {
      const state = started ? 'running' : runtime.clock.time - since < 240_000 ? 'stopping' : 'stopped';
      return { Reservations: [{ Instances: [instance('i-0abc', state)] }] };
    });
    ec2Mock.on(StartInstancesCommand).callsFake(() => {
      started = true;
      return {};
    });
    endpoints(true);
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    const { code, err } = await bastion(['up', 'ec2'], runtime);
    expect(code).toBe(0);
    expect(ec2Mock.commandCalls(StartInstancesCommand)).toHaveLength(1);
    expect(err).toContain('The ec2 bastion is ready (instance i-0abc)');
  });
});
