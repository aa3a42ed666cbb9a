/** `bastion shell`: ECS Exec into the task, or the stack's session document on the instance (in-process, see harness.ts). */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { CLUSTER, endsAfter, fakeRuntime, instance, task } from '../support';
import { commandHarness, ID } from './harness';

const { ecsMock, ec2Mock, ssmMock, bastion, ecsRunning } = commandHarness();

/** The exact `aws ecs execute-command` arguments of a shell running `command` in the harness's task. */
const execCommandArgs = (command: string) => ['ecs', 'execute-command', '--cluster', CLUSTER, '--task', ID, '--container', 'bastion', '--interactive', '--command', command, '--region', 'eu-west-1'];

describe('bastion shell', () => {
  test('shell ec2 runs the stack session document', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance('i-0abc', 'running')] }] });
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(1000, 0)];
    const { code } = await bastion(['shell', 'ec2'], runtime);
    expect(code).toBe(0);
    expect(runtime.spawned[0]).toMatchObject({
      command: 'aws',
      args: ['ssm', 'start-session', '--target', 'i-0abc', '--document-name', 'acme-session-preferences', '--region', 'eu-west-1'],
      stdio: 'inherit',
    });
  });

  test('shell ecs runs ECS Exec into the bastion container; a failing session is exit 1', async () => {
    ecsRunning();
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(1000, 255)];
    const { code, err } = await bastion(['shell', 'ecs'], runtime);
    expect(code).toBe(1);
    expect(err).toContain('aws ecs execute-command exited with code 255');
    expect(runtime.spawned[0]!.args).toEqual(execCommandArgs("/bin/sh -c 'command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l'"));
  });

  test('shell ecs --command runs that command instead of the login shell', async () => {
    ecsRunning();
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(1000, 0)];
    const { code } = await bastion(['shell', 'ecs', '--command', 'cat /etc/os-release'], runtime);
    expect(code).toBe(0);
    expect(runtime.spawned[0]!.args).toEqual(execCommandArgs('cat /etc/os-release'));
  });

  // A session killed by a signal (not Ctrl-C to bastion) has no exit code: the shell convention 128 + signal, not a
  // SessionFailed "exited with code null".
  test('a shell killed by SIGTERM ends with 143', async () => {
    ecsRunning();
    const runtime = fakeRuntime();
    runtime.behaviours = [
      (child, { clock }) => {
        clock.time += 1000;
        setImmediate(() => child.exit(null, 'SIGTERM'));
      },
    ];
    const { code, err } = await bastion(['shell', 'ecs'], runtime);
    expect(code).toBe(143);
    expect(err).not.toContain('exited with code');
  });

  // Ctrl-C during the last look (no sleep left to interrupt): the operator asked to stop, so no shell is opened.
  test('Ctrl-C while the bastion is looked up: exit 130, no session started', async () => {
    ecsRunning();
    const runtime = fakeRuntime();
    ecsMock.on(DescribeTasksCommand).callsFake(() => {
      runtime.signals.send('SIGINT');
      return { tasks: [task({ id: ID })] };
    });
    const { code } = await bastion(['shell', 'ecs'], runtime);
    expect(code).toBe(130);
    expect(runtime.spawned).toHaveLength(0);
  });
});
