/** Finding the EC2 bastion by its tags, choosing the instance, and its state for every instance and agent state. */
import { DescribeInstancesCommand, InstanceStateName } from '@aws-sdk/client-ec2';
import { PingStatus } from '@aws-sdk/client-ssm';
import { ec2State, findEc2Instances, selectEc2Instance } from '../../../cli/lookup/ec2';
import type { BastionState } from '../../../cli/variants';
import { PREFIX_TAG, STACK_TAG } from '../../../modules/naming';
import { instance, mockedAwsClients, PREFIX, thrown } from '../support';

const { ec2Mock, ec2 } = mockedAwsClients();

describe('findEc2Instances / selectEc2Instance', () => {
  test('finds the instance by the stack and name-prefix tags, not terminated', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-0123456789abcdef0', 'stopped')] }] });
    const instances = await findEc2Instances(ec2, PREFIX);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: `tag:${STACK_TAG}`, Values: ['ec2-bastion'] },
      { Name: `tag:${PREFIX_TAG}`, Values: [PREFIX] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
    expect(instances).toEqual([
      expect.objectContaining({ instanceId: 'i-0123456789abcdef0', state: 'stopped', name: 'acme-ec2-bastion', patchGroup: 'acme', instanceType: 't4g.nano' }),
    ]);
  });

  test('follows NextToken', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-b', 'running')] }], NextToken: 't1' })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-a', 'running')] }] });
    expect((await findEc2Instances(ec2, PREFIX)).map((i) => i.instanceId)).toEqual(['i-a', 'i-b']);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[1]!.args[0].input.NextToken).toBe('t1');
  });

  test('none: NotDeployed explaining bastion_enabled=false; several: asks for --instance', () => {
    const none = thrown(() => selectEc2Instance([], PREFIX));
    expect(none.code).toBe('NotDeployed');
    expect(none.hint).toContain('bastion_enabled');
    const several = thrown(() =>
      selectEc2Instance(
        [
          { instanceId: 'i-a', state: 'running' },
          { instanceId: 'i-b', state: 'running' },
        ],
        PREFIX,
      ),
    );
    expect(several.code).toBe('SeveralTasks');
    expect(several.message).toContain('--instance <id>');
    expect(selectEc2Instance([{ instanceId: 'i-a', state: 'running' }, { instanceId: 'i-b', state: 'stopped' }], PREFIX, 'i-b').state).toBe('stopped');
  });

  // A session is audited against the instance it ran on: --instance must name one exactly, never by a prefix.
  test('--instance matches a whole instance id, not a prefix of one', () => {
    const instances = [
      { instanceId: 'i-0abc1', state: 'running' },
      { instanceId: 'i-0abc2', state: 'running' },
    ];
    const error = thrown(() => selectEc2Instance(instances, PREFIX, 'i-0abc'));
    expect(error.code).toBe('NotDeployed');
    expect(error.message).toBe('Instance i-0abc is not an EC2 bastion of this deployment.');
    expect(error.hint).toBe('EC2 bastion instances:\n  i-0abc1  running\n  i-0abc2  running');
  });
});

describe('ec2State for every instance and SSM agent state', () => {
  // Rows: no instance, or each state of the SDK's enum (a new one fails to compile here); columns: the SSM
  // agent unregistered, or each ping status of the SDK's enum.
  type Agent = 'not registered' | PingStatus;
  const EXPECTED: Record<'none' | InstanceStateName, Record<Agent, BastionState>> = {
    none: { 'not registered': 'absent', Online: 'absent', ConnectionLost: 'absent', Inactive: 'absent' },
    pending: { 'not registered': 'starting', Online: 'starting', ConnectionLost: 'starting', Inactive: 'starting' },
    running: { 'not registered': 'starting', Online: 'running', ConnectionLost: 'starting', Inactive: 'starting' },
    stopping: { 'not registered': 'stopping', Online: 'stopping', ConnectionLost: 'stopping', Inactive: 'stopping' },
    stopped: { 'not registered': 'parked', Online: 'parked', ConnectionLost: 'parked', Inactive: 'parked' },
    // Not asked for (findEc2Instances filters them out), but states the API has.
    'shutting-down': { 'not registered': 'starting', Online: 'starting', ConnectionLost: 'starting', Inactive: 'starting' },
    terminated: { 'not registered': 'starting', Online: 'starting', ConnectionLost: 'starting', Inactive: 'starting' },
  };
  const AGENTS: Agent[] = ['not registered', ...Object.values(PingStatus)];
  const cases = Object.entries(EXPECTED).flatMap(([instanceState, byAgent]) => AGENTS.map((agent) => [instanceState, agent, byAgent[agent]] as const));

  test('the table covers every instance state and ping status of the SDK', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(['none', ...Object.values(InstanceStateName)].sort());
    for (const byAgent of Object.values(EXPECTED)) expect(Object.keys(byAgent).sort()).toEqual([...AGENTS].sort());
  });

  test.each(cases)('instance %s, SSM agent %s → %s', (instanceState, agent, state) => {
    const instance = instanceState === 'none' ? undefined : { instanceId: 'i-a', state: instanceState };
    expect(ec2State(instance, agent === 'not registered' ? undefined : { pingStatus: agent })).toBe(state);
  });
});
