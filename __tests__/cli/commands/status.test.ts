/** `bastion status`: every state of each bastion, text and --json (in-process, see harness.ts). */
import { DescribeInstancesCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { ClusterNotFoundException, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeDocumentCommand, DescribeInstanceInformationCommand, DescribeInstancePatchStatesCommand, type PingStatus } from '@aws-sdk/client-ssm';
import { overallState, type StatusState } from '../../../cli/commands/status';
import { stateText } from '../../../cli/commands/status-render';
import { createStyle } from '../../../cli/output';
import { BASTION_STATES, type BastionState } from '../../../cli/variants';
import { CLUSTER, fakeRuntime, instance, SERVICE, service, task, taskArn } from '../support';
import { commandHarness, ID } from './harness';

const { ecsMock, ec2Mock, ssmMock, bastion, ecsRunning, endpoints } = commandHarness();

describe('bastion status', () => {
  function bothStacks() {
    ecsRunning();
    endpoints(true);
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-0abc', 'stopped')] }] });
    ssmMock.on(DescribeDocumentCommand).resolves({ Document: { Name: 'acme-session-preferences', Status: 'Active', DocumentVersion: '2' } });
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'ConnectionLost', AgentVersion: '3.3.1' }] });
    ssmMock.on(DescribeInstancePatchStatesCommand).resolves({
      InstancePatchStates: [
        {
          InstanceId: 'i-0abc',
          PatchGroup: 'acme',
          BaselineId: 'pb-0',
          Operation: 'Scan',
          OperationStartTime: new Date('2026-11-22T03:00:00Z'),
          OperationEndTime: new Date('2026-11-22T03:04:00Z'),
          InstalledCount: 311,
          MissingCount: 0,
          FailedCount: 0,
        },
      ],
    });
  }

  test('--json: both variants with state, task, agent, endpoints, session document and patch compliance', async () => {
    bothStacks();
    const { code, out } = await bastion(['status', '--json']);
    expect(code).toBe(0);
    const status = JSON.parse(out);
    expect(status).toMatchObject({
      region: 'eu-west-1',
      namePrefix: 'acme',
      ecs: {
        state: 'running',
        cluster: CLUSTER,
        service: SERVICE,
        desiredCount: 1,
        tasks: [{ taskId: ID, lastStatus: 'RUNNING', execAgent: 'RUNNING', runtimeId: `${ID}-1234567890` }],
        endpoints: { expected: true, parked: false },
      },
      ec2: {
        state: 'parked',
        instance: { instanceId: 'i-0abc', state: 'stopped' },
        ssmAgent: { pingStatus: 'ConnectionLost' },
        sessionDocument: { name: 'acme-session-preferences', present: true, status: 'Active' },
        patchCompliance: { compliant: true, installed: 311, operation: 'Scan', operationEndTime: '2026-11-22T03:04:00.000Z' },
      },
    });
    expect(status.ecs.endpoints.found).toHaveLength(5);
  });

  test('--json during a rollout: the task of the deployment being replaced says so', async () => {
    endpoints(true);
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [service(1, { deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY' }, { id: 'ecs-svc/1', status: 'ACTIVE' }] })],
    });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn('old'), taskArn('new')] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: 'old', startedBy: 'ecs-svc/1' }), task({ id: 'new', agent: 'PENDING', startedBy: 'ecs-svc/2' })] });
    const { code, out } = await bastion(['status', 'ecs', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).ecs.tasks.map((t: { taskId: string; replaced: boolean }) => [t.taskId, t.replaced])).toEqual([
      ['new', false],
      ['old', true],
    ]);
  });

  test('text: readable, no colours without a terminal, colours with FORCE_COLOR', async () => {
    bothStacks();
    const { code, out } = await bastion(['status']);
    expect(code).toBe(0);
    expect(out).toContain('ECS bastion (stack ecs-bastion, acme, eu-west-1)');
    expect(out).toMatch(/state +running/);
    expect(out).toContain(`${ID}  RUNNING  ExecuteCommandAgent RUNNING`);
    expect(out).toMatch(/state +parked/);
    expect(out).toMatch(/SSM agent +ConnectionLost \(agent 3\.3\.1\)/);
    expect(out).toMatch(/patching +COMPLIANT {2}last Scan 2026-11-22T03:04:00Z; 0 missing, 0 failed, 311 installed/);
    expect(out).toMatch(/session doc +acme-session-preferences \(Active\)/);
    expect(out).toMatch(/endpoints +5 present: ec2messages, kms, logs, ssm, ssmmessages/);
    expect(out).not.toContain('\u001b[');
    const coloured = await bastion(['status'], fakeRuntime({ env: { FORCE_COLOR: '1' } }));
    expect(coloured.out).toContain('\u001b[32mrunning');
    const plain = await bastion(['status', '--no-color'], fakeRuntime({ env: { FORCE_COLOR: '1' } }));
    expect(plain.out).not.toContain('\u001b[');
    // stdout's colours follow stdout, not stderr: `bastion status | less` from a terminal stays plain.
    const piped = await bastion(['status'], fakeRuntime({ stderrIsTTY: true }));
    expect(piped.out).not.toContain('\u001b[');
  });

  test('a fully parked stack is "disabled"; one variant only', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(0)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    endpoints(false);
    const { out } = await bastion(['status', 'ecs', '--json']);
    const status = JSON.parse(out);
    expect(status.ecs.state).toBe('disabled');
    expect(status.ec2).toBeUndefined();
  });

  // Two instances with the stack's tags (one launched by hand, say): status shows the first by id, as connect lists them,
  // and its agent, not the other's.
  test('several EC2 bastion instances: the first by instance id is shown', async () => {
    endpoints(true);
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-0bbb', 'stopped')] }, { Instances: [instance('i-0aaa', 'running')] }] });
    ssmMock.on(DescribeDocumentCommand).resolves({ Document: { Name: 'acme-session-preferences', Status: 'Active', DocumentVersion: '2' } });
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0aaa', PingStatus: 'Online' }] });
    ssmMock.on(DescribeInstancePatchStatesCommand).resolves({ InstancePatchStates: [] });
    const { out } = await bastion(['status', 'ec2', '--json']);
    const status = JSON.parse(out);
    expect(status.ec2.instance).toMatchObject({ instanceId: 'i-0aaa', state: 'running' });
    expect(status.ec2.state).toBe('running');
  });

  test('one failing part is reported and the other still shown (exit 1)', async () => {
    bothStacks();
    ssmMock.on(DescribeDocumentCommand).rejects(Object.assign(new Error('User: u is not authorized to perform: ssm:DescribeDocument on resource: d'), { name: 'AccessDeniedException' }));
    const { code, out } = await bastion(['status']);
    expect(code).toBe(1);
    expect(out).toMatch(/state +running/);
    expect(out).toContain('not allowed to call ssm:DescribeDocument');
  });

  test('no credentials: one error, not one per variant', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    ec2Mock.on(DescribeInstancesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    ec2Mock.on(DescribeVpcEndpointsCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    ssmMock.on(DescribeDocumentCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { code, out, err } = await bastion(['status']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.match(/No AWS credentials found/g)).toHaveLength(1);
  });

  test('the AWS API out of reach: one error, not one per variant', async () => {
    const down = () => Object.assign(new Error('getaddrinfo ENOTFOUND ecs.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' });
    ecsMock.on(DescribeServicesCommand).rejects(down());
    ec2Mock.on(DescribeInstancesCommand).rejects(down());
    ec2Mock.on(DescribeVpcEndpointsCommand).rejects(down());
    ssmMock.on(DescribeDocumentCommand).rejects(down());
    const { code, out, err } = await bastion(['status']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.match(/Could not reach the AWS API/g)).toHaveLength(1);
  });
});

describe('overallState for every compute state, endpoints there or gone', () => {
  // Typed by BastionState: a new state fails to compile here until its overall state is decided.
  const EXPECTED: Record<BastionState, { readonly endpointsThere: StatusState; readonly endpointsGone: StatusState }> = {
    absent: { endpointsThere: 'absent', endpointsGone: 'disabled' },
    parked: { endpointsThere: 'parked', endpointsGone: 'disabled' },
    starting: { endpointsThere: 'starting', endpointsGone: 'unreachable' },
    running: { endpointsThere: 'running', endpointsGone: 'unreachable' },
    stopping: { endpointsThere: 'stopping', endpointsGone: 'stopping' },
  };

  test('the table covers every compute state', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...BASTION_STATES].sort());
  });

  test.each(BASTION_STATES)('%s', (state) => {
    expect(overallState(state, { parked: false }, true)).toBe(EXPECTED[state].endpointsThere);
    expect(overallState(state, { parked: true }, true)).toBe(EXPECTED[state].endpointsGone);
  });

  test.each(BASTION_STATES)('%s, in a stack that is not deployed (no service, no session document): absent', (state) => {
    expect(overallState(state, { parked: false }, false)).toBe('absent');
    expect(overallState(state, { parked: true }, false)).toBe('absent');
  });
});

describe('bastion status in every state of each bastion', () => {
  const notReady = { id: ID, agent: 'PENDING' };
  /** The service: not there, or its desired count and the task it runs. */
  function ecsService(shape: 'no service' | { desired: number; task?: Parameters<typeof task>[0] }) {
    if (shape === 'no service') {
      ecsMock.on(DescribeServicesCommand).rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }));
      return;
    }
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(shape.desired)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: shape.task ? [taskArn(shape.task.id)] : [] });
    if (shape.task) ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task(shape.task)] });
  }

  /** `bastion status <variant>` says `state`, in --json and in the text, and exits 0. */
  async function expectState(variant: 'ecs' | 'ec2', state: StatusState) {
    const json = await bastion(['status', variant, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)[variant].state).toBe(state);
    const text = await bastion(['status', variant]);
    expect(text.out).toContain(`\n  state        ${stateText(state, createStyle(false))}\n`);
  }

  // [what the service does, endpoints there, state]: each StatusState at least once.
  test.each<[string, Parameters<typeof ecsService>[0], boolean, StatusState]>([
    ['no service', 'no service', true, 'absent'],
    ['no service, no endpoints: never deployed (parking keeps the service)', 'no service', false, 'absent'],
    ['desired 0, no task, no endpoints', { desired: 0 }, false, 'disabled'],
    ['desired 0, no task', { desired: 0 }, true, 'parked'],
    ['desired 0, a task still there', { desired: 0, task: notReady }, true, 'stopping'],
    ['desired 1, no task yet', { desired: 1 }, true, 'starting'],
    ['desired 1, agent PENDING', { desired: 1, task: notReady }, true, 'starting'],
    ['desired 1, agent RUNNING', { desired: 1, task: { id: ID } }, true, 'running'],
    ['desired 1, agent RUNNING, no endpoints', { desired: 1, task: { id: ID } }, false, 'unreachable'],
    ['desired 1, agent PENDING, no endpoints', { desired: 1, task: notReady }, false, 'unreachable'],
    ['desired 0, a task still there, no endpoints', { desired: 0, task: notReady }, false, 'stopping'],
  ])('ecs: %s → %s', async (_what, shape, endpointsThere, state) => {
    ecsService(shape);
    endpoints(endpointsThere);
    await expectState('ecs', state);
  });

  test('ec2: no instance, no endpoints, no session document: never deployed (parking keeps the document) → absent', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    ssmMock.on(DescribeDocumentCommand).rejects(Object.assign(new Error('Document not found'), { name: 'InvalidDocument' }));
    endpoints(false);
    await expectState('ec2', 'absent');
  });

  test.each<[string, string | undefined, string | undefined, boolean, StatusState]>([
    ['no instance', undefined, undefined, true, 'absent'],
    ['no instance, no endpoints', undefined, undefined, false, 'disabled'],
    ['stopped, no endpoints', 'stopped', undefined, false, 'disabled'],
    ['stopped', 'stopped', undefined, true, 'parked'],
    ['stopped, the agent last seen Online', 'stopped', 'Online', true, 'parked'],
    ['stopping', 'stopping', undefined, true, 'stopping'],
    ['pending', 'pending', undefined, true, 'starting'],
    ['running, agent not registered', 'running', undefined, true, 'starting'],
    ['running, agent ConnectionLost', 'running', 'ConnectionLost', true, 'starting'],
    ['running, agent Online', 'running', 'Online', true, 'running'],
    ['running, agent Online, no endpoints', 'running', 'Online', false, 'unreachable'],
    ['pending, no endpoints', 'pending', undefined, false, 'unreachable'],
    ['stopping, no endpoints', 'stopping', undefined, false, 'stopping'],
  ])('ec2: %s → %s', async (_what, instanceState, pingStatus, endpointsThere, state) => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: instanceState ? [{ Instances: [instance('i-0abc', instanceState)] }] : [] });
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: pingStatus ? [{ InstanceId: 'i-0abc', PingStatus: pingStatus as PingStatus }] : [] });
    ssmMock.on(DescribeInstancePatchStatesCommand).resolves({ InstancePatchStates: [] });
    ssmMock.on(DescribeDocumentCommand).resolves({ Document: { Name: 'acme-session-preferences', Status: 'Active' } });
    endpoints(endpointsThere);
    await expectState('ec2', state);
  });
});
