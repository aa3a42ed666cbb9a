import { DescribeInstancesCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { ClusterNotFoundException, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeDocumentCommand, DescribeInstancePatchStatesCommand, InvalidDocument } from '@aws-sdk/client-ssm';
import { CliError } from '../../cli/errors';
import {
  describeEcsBastion,
  describeEndpoints,
  describePatchState,
  describeSessionDocument,
  type EcsBastion,
  ecsSessionTarget,
  ecsState,
  expectsInterfaceEndpoints,
  findEc2Instances,
  selectEc2Instance,
  selectEcsTask,
} from '../../cli/resolve';
import type { BastionConfig } from '../../modules/config';
import { bastionNames, PREFIX_TAG, STACK_TAG } from '../../modules/naming';
import { CLUSTER, INTERFACE_ENDPOINTS, instance, PREFIX, REGION, SERVICE, service, task, taskArn, mockedAwsClients } from './support';

const { ecsMock, ec2Mock, ssmMock, ecs, ec2, ssm } = mockedAwsClients();
const names = bastionNames(PREFIX);

function thrown(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('describeEcsBastion', () => {
  test('finds the task of the service and builds ecs:<cluster>_<taskId>_<runtimeId> from the bastion container', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn('0f1e2d3c4b5a69788796a5b4c3d2e1f0')] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', runtimeId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0-3531190837' })] });

    const bastion = await describeEcsBastion(ecs, names);

    expect(ecsMock.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, services: [SERVICE] });
    expect(ecsMock.commandCalls(ListTasksCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'RUNNING' });
    expect(ecsMock.commandCalls(DescribeTasksCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, tasks: [taskArn('0f1e2d3c4b5a69788796a5b4c3d2e1f0')] });
    expect(bastion).toMatchObject({ deployed: true, desiredCount: 1, cluster: CLUSTER, service: SERVICE });
    const chosen = selectEcsTask(bastion);
    expect(chosen).toMatchObject({ taskId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', agentStatus: 'RUNNING', execEnabled: true });
    expect(ecsSessionTarget(bastion.cluster, chosen)).toBe('ecs:acme-ecs_0f1e2d3c4b5a69788796a5b4c3d2e1f0_0f1e2d3c4b5a69788796a5b4c3d2e1f0-3531190837');
    expect(ecsState(bastion)).toBe('running');
  });

  test('a parked service (desired 0, no task) does not call DescribeTasks', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(0)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    const bastion = await describeEcsBastion(ecs, names);
    expect(bastion.tasks).toEqual([]);
    expect(ecsState(bastion)).toBe('parked');
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });

  test.each([
    ['the cluster does not exist', () => ecsMock.on(DescribeServicesCommand).rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }))],
    ['the service is missing', () => ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: SERVICE, reason: 'MISSING' }] })],
    ['the service was deleted', () => ecsMock.on(DescribeServicesCommand).resolves({ services: [service(0, { status: 'INACTIVE' })] })],
  ])('not deployed when %s', async (_what, arrange) => {
    arrange();
    const bastion = await describeEcsBastion(ecs, names);
    expect(bastion.deployed).toBe(false);
    expect(ecsState(bastion)).toBe('absent');
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(0);
  });
});

describe('selectEcsTask', () => {
  const bastion = (ids: string[], desiredCount = ids.length): EcsBastion => ({
    cluster: CLUSTER,
    service: SERVICE,
    deployed: true,
    desiredCount,
    runningCount: ids.length,
    pendingCount: 0,
    tasks: ids.map((id) => ({ taskArn: taskArn(id), taskId: id, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', execEnabled: true, runtimeId: `${id}-1`, agentStatus: 'RUNNING' })),
  });

  test('no task: NoTask, pointing to `bastion up` when parked and to the service events otherwise', () => {
    const parked = thrown(() => selectEcsTask(bastion([], 0)));
    expect(parked.code).toBe('NoTask');
    expect(parked.hint).toContain('bastion up ecs');
    const failing = thrown(() => selectEcsTask({ ...bastion([], 1), latestEvent: '(service acme-ecs-bastion) was unable to place a task' }));
    expect(failing.hint).toContain('unable to place a task');
  });

  test('several tasks: SeveralTasks listing them and asking for --task', () => {
    const error = thrown(() => selectEcsTask(bastion(['aaa', 'bbb'])));
    expect(error.code).toBe('SeveralTasks');
    expect(error.message).toContain('--task <id>');
    expect(error.hint).toContain('aaa');
    expect(error.hint).toContain('bbb');
  });

  test('--task chooses by id or ARN; an unknown one is NoTask', () => {
    expect(selectEcsTask(bastion(['aaa', 'bbb']), 'bbb').taskId).toBe('bbb');
    expect(selectEcsTask(bastion(['aaa', 'bbb']), taskArn('aaa')).taskId).toBe('aaa');
    const error = thrown(() => selectEcsTask(bastion(['aaa']), 'zzz'));
    expect(error.code).toBe('NoTask');
    expect(error.hint).toContain('aaa');
  });

  test('a task whose container has not started has no session target', () => {
    const b = bastion(['aaa']);
    expect(thrown(() => ecsSessionTarget(CLUSTER, { ...b.tasks[0]!, runtimeId: undefined })).code).toBe('AgentNotRunning');
  });
});

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

describe('describeEndpoints', () => {
  const config: Pick<BastionConfig, 'namePrefix' | 'endpoints'> = {
    namePrefix: PREFIX,
    endpoints: { ssm: 'create', ecr: 'create', logs: 'create', kms: 'create', s3: 'create', singleAz: false },
  };

  test('lists the stack endpoints by tag, with short service names', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [...INTERFACE_ENDPOINTS, { VpcEndpointId: 'vpce-gone', ServiceName: `com.amazonaws.${REGION}.kms`, VpcEndpointType: 'Interface', State: 'Deleted' }],
    });
    const endpoints = await describeEndpoints(ec2, config, 'ecs');
    expect(ec2Mock.commandCalls(DescribeVpcEndpointsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: `tag:${STACK_TAG}`, Values: ['ecs-bastion'] },
      { Name: `tag:${PREFIX_TAG}`, Values: [PREFIX] },
    ]);
    expect(endpoints.found.map((e) => e.service)).toEqual(['ec2messages', 'kms', 'logs', 'ssm', 'ssmmessages']);
    expect(endpoints.parked).toBe(false);
  });

  test('parked when interface endpoints are configured but none exists (a gateway endpoint does not count)', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [{ VpcEndpointId: 'vpce-s3', ServiceName: `com.amazonaws.${REGION}.s3`, VpcEndpointType: 'Gateway', State: 'Available' }],
    });
    expect(await describeEndpoints(ec2, config, 'ec2')).toMatchObject({ expected: true, parked: true });
  });

  test('not parked when the configuration turns interface endpoints off (the VPC has a NAT)', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    const off: typeof config = { ...config, endpoints: { ssm: 'none', ecr: 'create', logs: 'none', kms: 'none', s3: 'none', singleAz: false } };
    expect(await describeEndpoints(ec2, off, 'ec2')).toMatchObject({ expected: false, parked: false });
    // ecr endpoints are only the ECS stack's
    expect(expectsInterfaceEndpoints(off, 'ecs')).toBe(true);
  });
});

describe('session document and patch compliance', () => {
  test('the session document, present or missing', async () => {
    ssmMock.on(DescribeDocumentCommand).resolvesOnce({ Document: { Name: 'acme-session-preferences', Status: 'Active', DocumentVersion: '3' } });
    expect(await describeSessionDocument(ssm, 'acme-session-preferences')).toEqual({ name: 'acme-session-preferences', present: true, status: 'Active', version: '3' });
    ssmMock.on(DescribeDocumentCommand).rejects(new InvalidDocument({ message: 'Document not found', $metadata: {} }));
    expect(await describeSessionDocument(ssm, 'acme-session-preferences')).toEqual({ name: 'acme-session-preferences', present: false });
  });

  test('compliance follows missing, failed and non-compliant counts', async () => {
    const base = { InstanceId: 'i-a', PatchGroup: PREFIX, BaselineId: 'pb-1', OperationStartTime: new Date(0), OperationEndTime: new Date('2026-11-22T03:10:00Z'), Operation: 'Scan' as const };
    ssmMock
      .on(DescribeInstancePatchStatesCommand)
      .resolvesOnce({ InstancePatchStates: [{ ...base, InstalledCount: 120, MissingCount: 0, FailedCount: 0, CriticalNonCompliantCount: 0 }] })
      .resolvesOnce({ InstancePatchStates: [{ ...base, InstalledCount: 118, MissingCount: 2, FailedCount: 0, SecurityNonCompliantCount: 2 }] })
      .resolvesOnce({ InstancePatchStates: [] });
    expect(await describePatchState(ssm, 'i-a')).toMatchObject({ compliant: true, installed: 120, operation: 'Scan' });
    expect(await describePatchState(ssm, 'i-a')).toMatchObject({ compliant: false, missing: 2, securityNonCompliant: 2 });
    expect(await describePatchState(ssm, 'i-a')).toBeUndefined();
    expect(ssmMock.commandCalls(DescribeInstancePatchStatesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-a'] });
  });
});
