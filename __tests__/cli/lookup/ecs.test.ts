/** Finding the ECS bastion (SDK calls against aws-sdk-client-mock), choosing its task, and its state in every case. */
import { ClusterNotFoundException, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { describeEcsBastion, type EcsBastion, ecsSessionTarget, ecsState, isExecReady, selectEcsTask } from '../../../cli/lookup/ecs';
import type { BastionState } from '../../../cli/variants';
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

  // DescribeServices lists the service's events newest first: the first is the one that explains a missing task now.
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html (events)
  test('the latest event is the first of DescribeServices, not an older one', async () => {
    const events = [
      { id: '2', message: '(service acme-ecs-bastion) was unable to place a task because no container instance met all of its requirements.' },
      { id: '1', message: '(service acme-ecs-bastion) has reached a steady state.' },
    ];
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1, { events })] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    expect((await describeEcsBastion(ecs, names)).latestEvent).toBe(events[0]!.message);
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

describe('describeEcsBastion during a rollout', () => {
  // A rolling update starts the new deployment's task before it stops the old one: both are listed as desired RUNNING.
  const rollout = { deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY' }, { id: 'ecs-svc/1', status: 'ACTIVE' }] };

  test('marks the task of the deployment being replaced, and chooses the one that stays', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1, { runningCount: 1, pendingCount: 1, ...rollout })] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn('aaa'), taskArn('bbb')] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [task({ id: 'aaa', startedBy: 'ecs-svc/1' }), task({ id: 'bbb', lastStatus: 'PROVISIONING', agent: 'PENDING', runtimeId: null, startedBy: 'ecs-svc/2' })],
    });
    const bastion = await describeEcsBastion(ecs, names);
    expect(bastion.tasks.map((t) => [t.taskId, t.replaced])).toEqual([
      ['aaa', true],
      ['bbb', false],
    ]);
    expect(selectEcsTask(bastion).taskId).toBe('bbb');
    // The old task still takes sessions when asked for by name.
    expect(selectEcsTask(bastion, 'aaa').taskId).toBe('aaa');
  });

  test('no task is marked when the service has only its PRIMARY deployment, or no startedBy', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(2, { deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY' }] })] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn('aaa'), taskArn('bbb')] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: 'aaa', startedBy: 'ecs-svc/2' }), task({ id: 'bbb' })] });
    const bastion = await describeEcsBastion(ecs, names);
    expect(bastion.tasks.map((t) => t.replaced)).toEqual([false, false]);
    expect(thrown(() => selectEcsTask(bastion)).code).toBe('SeveralTasks');
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

  // [tasks as id:replaced, chosen task or error code]: every mix of staying and replaced tasks, one or two of each.
  test.each<[string, string]>([
    ['aaa:staying', 'aaa'],
    ['aaa:replaced', 'aaa'],
    ['aaa:staying bbb:staying', 'SeveralTasks'],
    ['aaa:replaced bbb:staying', 'bbb'],
    ['aaa:staying bbb:replaced', 'aaa'],
    ['aaa:replaced bbb:replaced', 'SeveralTasks'],
    ['aaa:replaced bbb:staying ccc:staying', 'SeveralTasks'],
    ['aaa:replaced bbb:replaced ccc:staying', 'ccc'],
  ])('tasks %s → %s', (tasks, expected) => {
    const shapes = tasks.split(' ').map((t) => t.split(':') as [string, string]);
    const b = bastion(shapes.map(([id]) => id));
    const withRollout = { ...b, tasks: b.tasks.map((t, i) => ({ ...t, replaced: shapes[i]![1] === 'replaced' })) };
    let chosen: string;
    try {
      chosen = selectEcsTask(withRollout).taskId;
    } catch (error) {
      chosen = (error as { code: string }).code;
    }
    expect(chosen).toBe(expected);
  });

  test('several tasks: the list says which are being replaced', () => {
    const b = bastion(['aaa', 'bbb', 'ccc']);
    const error = thrown(() => selectEcsTask({ ...b, tasks: b.tasks.map((t) => ({ ...t, replaced: t.taskId === 'aaa' })) }));
    expect(error.hint).toBe(
      'Running tasks:\n  aaa  RUNNING, ExecuteCommandAgent RUNNING (being replaced)\n  bbb  RUNNING, ExecuteCommandAgent RUNNING\n  ccc  RUNNING, ExecuteCommandAgent RUNNING',
    );
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

// Every task state ECS reports (lastStatus), and what the ExecuteCommandAgent of the bastion container reports.
const TASK_STATUSES = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];
const AGENT_STATUSES = [undefined, 'PENDING', 'RUNNING', 'STOPPED'];

describe('isExecReady for every task, agent and container state', () => {
  const cases = TASK_STATUSES.flatMap((lastStatus) =>
    AGENT_STATUSES.flatMap((agentStatus) => [undefined, 'r-1'].map((runtimeId) => ({ lastStatus, agentStatus, runtimeId }))),
  );
  // The one combination that can take a session; every other one of the 64 cannot.
  const READY = { lastStatus: 'RUNNING', agentStatus: 'RUNNING', runtimeId: 'r-1' };

  test.each(cases)('task $lastStatus, agent $agentStatus, runtime id $runtimeId', (state) => {
    const task = { taskArn: taskArn('t'), taskId: 't', desiredStatus: 'RUNNING', execEnabled: true, ...state };
    expect(isExecReady(task)).toBe(state.lastStatus === READY.lastStatus && state.agentStatus === READY.agentStatus && state.runtimeId === READY.runtimeId);
  });
});

describe('ecsState for every service state', () => {
  const ready = { taskArn: taskArn('ready'), taskId: 'ready', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', execEnabled: true, runtimeId: 'r', agentStatus: 'RUNNING' };
  const notReady = { ...ready, taskArn: taskArn('pending'), taskId: 'pending', agentStatus: 'PENDING' };
  const TASKS = { none: [], 'one not ready': [notReady], 'one ready': [ready], 'one ready, one not': [notReady, ready] };
  const of = (deployed: boolean, desiredCount: number, tasks: keyof typeof TASKS): EcsBastion => ({
    cluster: CLUSTER,
    service: SERVICE,
    deployed,
    desiredCount,
    runningCount: TASKS[tasks].length,
    pendingCount: 0,
    tasks: TASKS[tasks],
  });

  // [deployed, desired count, tasks, state]: every combination.
  test.each<[boolean, number, keyof typeof TASKS, BastionState]>([
    [false, 0, 'none', 'absent'],
    [false, 0, 'one not ready', 'absent'],
    [false, 0, 'one ready', 'absent'],
    [false, 0, 'one ready, one not', 'absent'],
    [false, 1, 'none', 'absent'],
    [false, 1, 'one not ready', 'absent'],
    [false, 1, 'one ready', 'absent'],
    [false, 1, 'one ready, one not', 'absent'],
    [true, 0, 'none', 'parked'],
    [true, 0, 'one not ready', 'stopping'],
    [true, 0, 'one ready', 'running'],
    [true, 0, 'one ready, one not', 'running'],
    [true, 1, 'none', 'starting'],
    [true, 1, 'one not ready', 'starting'],
    [true, 1, 'one ready', 'running'],
    [true, 1, 'one ready, one not', 'running'],
    [true, 2, 'none', 'starting'],
    [true, 2, 'one not ready', 'starting'],
    [true, 2, 'one ready', 'running'],
    [true, 2, 'one ready, one not', 'running'],
  ])('deployed %s, desired %i, tasks: %s → %s', (deployed, desiredCount, tasks, state) => {
    expect(ecsState(of(deployed, desiredCount, tasks))).toBe(state);
  });
});
