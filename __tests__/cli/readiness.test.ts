/** Waking a parked bastion and waiting for its agent, as connect and shell do it (in-process, see commands/harness.ts). */
import { DescribeInstancesCommand, StartInstancesCommand } from '@aws-sdk/client-ec2';
import { ClusterNotFoundException, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { CLUSTER, endsAfter, fakeRuntime, instance, SERVICE, service, task, taskArn } from './support';
import { commandHarness, forwardArgs, ID, TARGET } from './commands/harness';

const { ecsMock, ec2Mock, ssmMock, bastion, ecsParked, endpoints } = commandHarness();

describe('a parked bastion', () => {
  test('without a terminal and without --yes: fails saying it is parked and how to start it', async () => {
    ecsParked();
    endpoints(true);
    const { code, err, runtime } = await bastion(['connect', 'ecs', '--target', 'aurora']);
    expect(code).toBe(1);
    expect(err).toContain('The ecs bastion is parked (service acme-ecs-bastion has desired count 0)');
    expect(err).toContain('bastion up ecs');
    expect(err).toContain('--yes');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
    expect(runtime.spawned).toHaveLength(0);
  });

  test.each(['--yes', '-y', '--wake'])('%s starts it, waits for the ExecuteCommandAgent (not just RUNNING), then connects', async (flag) => {
    ecsMock.on(DescribeServicesCommand).resolvesOnce({ services: [service(0)] }).resolves({ services: [service(1, { runningCount: 0, pendingCount: 1 })] });
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: [] })
      .resolvesOnce({ taskArns: [] })
      .resolves({ taskArns: [taskArn(ID)] });
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [task({ id: ID, agent: 'PENDING' })] })
      .resolves({ tasks: [task({ id: ID })] });
    endpoints(true);
    const { code, err, runtime } = await bastion(['connect', 'ecs', '--target', 'aurora', flag]);
    expect(code).toBe(130);
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: CLUSTER, service: SERVICE, desiredCount: 1 }]);
    expect(err).toContain('… waiting for service acme-ecs-bastion to start a task');
    expect(err).toContain(`… task ${ID} is RUNNING, ExecuteCommandAgent is PENDING`);
    expect(err).toContain(`Task ${ID} is ready (ExecuteCommandAgent RUNNING)`);
    expect(runtime.clock.sleeps).toEqual([3000, 3000]);
    expect(runtime.spawned[0]!.args).toEqual(forwardArgs(TARGET));
  });

  test('--yes on ec2: a stopped answer just after StartInstances is waited out, then it connects', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopped')] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopped')] }] })
      .resolves({ Reservations: [{ Instances: [instance('i-0abc', 'running')] }] });
    ec2Mock.on(StartInstancesCommand).resolves({});
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    endpoints(true);
    const { code, err, runtime } = await bastion(['connect', 'ec2', '--target', 'aurora', '--yes']);
    expect(code).toBe(130);
    expect(ec2Mock.commandCalls(StartInstancesCommand)).toHaveLength(1);
    expect(err).toContain('… instance i-0abc still shows stopped (start requested)');
    expect(runtime.spawned[0]!.args).toEqual(forwardArgs('i-0abc'));
  });

  test('--yes on ecs: desired count 0 just after UpdateService is waited out, then the shell opens', async () => {
    ecsMock.on(DescribeServicesCommand).resolvesOnce({ services: [service(0)] }).resolvesOnce({ services: [service(0)] }).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolvesOnce({ taskArns: [] }).resolvesOnce({ taskArns: [] }).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID })] });
    endpoints(true);
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(1000, 0)];
    const { code, err } = await bastion(['shell', 'ecs', '--yes'], runtime);
    expect(code).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(err).toContain('… service acme-ecs-bastion still shows desired count 0 (start requested)');
  });

  test('on a terminal it asks; "no" leaves it parked', async () => {
    ecsParked();
    endpoints(true);
    const runtime = fakeRuntime({ stdinIsTTY: true });
    runtime.answer = false;
    const { code, err } = await bastion(['shell', 'ecs'], runtime);
    expect(code).toBe(1);
    expect(runtime.confirmations).toEqual(['The ecs bastion is parked (service acme-ecs-bastion has desired count 0). Start it now?']);
    expect(err).toContain('not starting it');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('on a terminal, "yes" starts it', async () => {
    ecsMock.on(DescribeServicesCommand).resolvesOnce({ services: [service(0)] }).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolvesOnce({ taskArns: [] }).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID })] });
    endpoints(true);
    const runtime = fakeRuntime({ stdinIsTTY: true });
    runtime.behaviours = [endsAfter(1000, 0)];
    const { code } = await bastion(['shell', 'ecs'], runtime);
    expect(code).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
  });

  test('endpoints parked (bastion_enabled=false): up cannot help, so nothing is started', async () => {
    ecsParked();
    endpoints(false);
    const { code, err } = await bastion(['connect', 'ecs', '--target', 'aurora', '--yes']);
    expect(code).toBe(1);
    expect(err).toContain('VPC endpoints of the ecs-bastion stack are not there');
    expect(err).toContain('bastion_enabled=true');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('no service: fully parked when the endpoints are gone too, else not deployed', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }));
    endpoints(false);
    const parked = await bastion(['connect', 'ecs', '--target', 'aurora']);
    expect(parked.code).toBe(1);
    expect(parked.err).toContain('fully parked (bastion_enabled=false)');
    endpoints(true);
    const absent = await bastion(['connect', 'ecs', '--target', 'aurora']);
    expect(absent.err).toContain('ECS service acme-ecs-bastion was not found in cluster acme-ecs');
  });

  test('an agent that never gets ready while the endpoints are gone is reported as parked endpoints', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID, agent: 'PENDING' })] });
    endpoints(false);
    const { code, err, runtime } = await bastion(['connect', 'ecs', '--target', 'aurora', '--timeout', '30']);
    expect(code).toBe(1);
    expect(err).toContain('VPC endpoints of the ecs-bastion stack are not there');
    expect(runtime.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(30_000);
  });

  test('no instance and no endpoints: the stack is fully parked', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    endpoints(false);
    const { code, err } = await bastion(['shell', 'ec2']);
    expect(code).toBe(1);
    expect(err).toContain('ec2-bastion stack are not there: the stack is fully parked (bastion_enabled=false)');
  });

  test('--yes on an ec2 instance still stopping: waits for it to stop, starts it, then connects', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopping')] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopping')] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopped')] }] })
      .resolves({ Reservations: [{ Instances: [instance('i-0abc', 'running')] }] });
    ec2Mock.on(StartInstancesCommand).resolves({});
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    endpoints(true);
    const { code, err, runtime } = await bastion(['connect', 'ec2', '--target', 'aurora', '--yes']);
    expect(code).toBe(130);
    expect(err).toContain('The ec2 bastion is parked (instance i-0abc is stopping); starting it.');
    expect(err).toContain('… instance i-0abc is stopping');
    expect(ec2Mock.commandCalls(StartInstancesCommand).map((c) => c.args[0].input)).toEqual([{ InstanceIds: ['i-0abc'] }]);
    expect(runtime.spawned[0]!.args).toEqual(forwardArgs('i-0abc'));
  });

  // Without the ECR and logs endpoints the service cannot start a task at all: the wait ends in NoTask, whose reason is
  // the parked endpoints.
  test('a service that never starts a task while the endpoints are gone is reported as parked endpoints', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1, { runningCount: 0 })] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    endpoints(false);
    const { code, err } = await bastion(['connect', 'ecs', '--target', 'aurora', '--timeout', '30']);
    expect(code).toBe(1);
    expect(err).toContain('The VPC endpoints of the ecs-bastion stack are not there: the stack is fully parked (bastion_enabled=false).');
    expect(err).not.toContain('was not ready after');
  });
});

describe('the wait for the agent', () => {
  // main.ts documents --timeout 300 for connect, shell and up (two separate option declarations).
  test.each([[['connect', 'ecs', '--target', 'aurora']], [['shell', 'ecs']], [['up', 'ecs']]])('bastion %j waits 300 s without --timeout', async (args) => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID, agent: 'PENDING' })] });
    endpoints(true);
    const { code, err, runtime } = await bastion(args);
    expect(code).toBe(1);
    expect(err).toContain('was not ready after');
    expect(runtime.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(300_000);
  });

  // A signal during the wait ends the command with 128 + the signal and no error message: the operator asked for it.
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s during the wait: exit %i, quietly', async (signal, exitCode) => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID, agent: 'PENDING' })] });
    endpoints(true);
    const runtime = fakeRuntime();
    // The signal arrives during the first sleep; time still moves, so a signal nobody listens to ends in the timeout.
    runtime.clock.sleep = async (ms) => {
      runtime.clock.time += ms;
      runtime.signals.send(signal);
    };
    const { code, err } = await bastion(['connect', 'ecs', '--target', 'aurora'], runtime);
    expect(code).toBe(exitCode);
    expect(err).not.toContain('error:');
    expect(runtime.spawned).toEqual([]);
  });
});
