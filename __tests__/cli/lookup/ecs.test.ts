import { ClusterNotFoundException, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { describeEcsBastion, type EcsBastion, ecsSessionTarget, ecsState, selectEcsTask } from '../../../cli/lookup/ecs';
import { bastionNames } from '../../../modules/naming';
import { CLUSTER, mockedAwsClients, PREFIX, SERVICE, service, task, taskArn, thrown } from '../support';

const { ecsMock, ecs } = mockedAwsClients();
const names = bastionNames(PREFIX);

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
