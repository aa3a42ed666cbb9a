/** `bastion down`: park the compute (in-process, see harness.ts). */
import { DescribeInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CLUSTER, instance, SERVICE, service, task, taskArn } from '../support';
import { commandHarness, ID } from './harness';

const { ecsMock, ec2Mock, bastion, ecsRunning, ecsParked } = commandHarness();

describe('bastion down', () => {
  test('down ecs: desired count 0, with a word on the full park', async () => {
    ecsRunning();
    const { code, err } = await bastion(['down', 'ecs']);
    expect(code).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, service: SERVICE, desiredCount: 0 });
    expect(err).toContain('bastion_enabled=false for the full park');
    ecsMock.reset();
    ecsParked();
    const again = await bastion(['down', 'ecs']);
    expect(again.err).toContain('already parked');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('down ec2 stops the instance; denied StopInstances names the action', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-0abc', 'running')] }] });
    ec2Mock.on(StopInstancesCommand).resolves({});
    expect((await bastion(['down', 'ec2'])).code).toBe(0);
    expect(ec2Mock.commandCalls(StopInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-0abc'] });
    ec2Mock.on(StopInstancesCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
    const denied = await bastion(['down', 'ec2']);
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('Missing IAM action: ec2:StopInstances');
  });

  test('down ec2 on an instance EC2 will not stop yet (pending): says so and when to retry, instead of EC2\'s error', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-0abc', 'pending')] }] });
    ec2Mock.on(StopInstancesCommand).rejects(Object.assign(new Error("The instance 'i-0abc' is not in a state from which it can be stopped."), { name: 'IncorrectInstanceState' }));
    const { code, err } = await bastion(['down', 'ec2']);
    expect(code).toBe(1);
    expect(err).toContain('EC2 cannot stop instance i-0abc while it is pending.');
    expect(err).toContain('once `bastion status ec2` shows it running');
    expect(err).not.toContain('Parked:');
  });

  test('down ecs while its task is still stopping (desired count already 0): already parked, no second update', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(0)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID, lastStatus: 'DEACTIVATING' })] });
    const { code, err } = await bastion(['down', 'ecs']);
    expect(code).toBe(0);
    expect(err).toContain('already parked');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('down ec2 on an instance that is stopping: already parked, no second StopInstances', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-0abc', 'stopping')] }] });
    const { code, err } = await bastion(['down', 'ec2']);
    expect(code).toBe(0);
    expect(err).toContain('already parked (instance i-0abc is stopping)');
    expect(ec2Mock.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });
});
