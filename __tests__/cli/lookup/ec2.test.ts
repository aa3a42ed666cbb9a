import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { findEc2Instances, selectEc2Instance } from '../../../cli/lookup/ec2';
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
});
