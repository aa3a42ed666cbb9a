/** What main.ts does around the commands: usage errors (exit 2), --help, and errors the operator can act on (exit 1). */
import { AccessDeniedException, DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { CLUSTER, fakeRuntime, service, task, taskArn } from './support';
import { commandHarness, ID } from './commands/harness';

const { ecsMock, bastion, ecsRunning, endpoints } = commandHarness();

describe('errors the operator can act on', () => {
  test('several tasks: lists them and asks for --task; --task picks one', async () => {
    ecsRunning('aaaa', 'bbbb');
    const several = await bastion(['connect', 'ecs', '--target', 'aurora']);
    expect(several.code).toBe(1);
    expect(several.err).toContain('has 2 running tasks; choose one with --task <id>');
    expect(several.err).toMatch(/aaaa {2}RUNNING/);
    const chosen = await bastion(['connect', 'ecs', '--target', 'aurora', '--task', 'bbbb']);
    expect(chosen.runtime.spawned[0]!.args[3]).toBe(`ecs:${CLUSTER}_bbbb_bbbb-1234567890`);
  });

  test('the ECS Exec agent is not running', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID, agent: 'STOPPED' })] });
    endpoints(true);
    const { code, err } = await bastion(['shell', 'ecs']);
    expect(code).toBe(1);
    expect(err).toContain(`The ECS Exec agent (ExecuteCommandAgent) of task ${ID} is STOPPED`);
  });

  test('AccessDenied names the missing action and points to the operator policy', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(
      new AccessDeniedException({
        message: 'User: arn:aws:sts::123456789012:assumed-role/Dev/jane is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:eu-west-1:123456789012:service/acme-ecs/acme-ecs-bastion',
        $metadata: {},
      }),
    );
    const status = await bastion(['status', 'ecs']);
    expect(status.code).toBe(1);
    expect(status.out).toContain('Missing IAM action: ecs:DescribeServices');
    const connect = await bastion(['connect', 'ecs', '--target', 'aurora']);
    expect(connect.code).toBe(1);
    expect(connect.err).toContain('arn:aws:sts::123456789012:assumed-role/Dev/jane is not allowed to call ecs:DescribeServices');
    expect(connect.err).toContain('Missing IAM action: ecs:DescribeServices');
    expect(connect.err).toContain('operator policy');
  });

  test('no credentials', async () => {
    ecsMock.on(DescribeServicesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { code, err } = await bastion(['connect', 'ecs', '--target', 'aurora']);
    expect(code).toBe(1);
    expect(err).toContain('No AWS credentials found');
    expect(err).toContain('aws configure sso');
  });

  test.each([
    ['aws', 'The AWS CLI (`aws`) was not found on PATH', 'getting-started-install'],
    ['session-manager-plugin', 'The session-manager-plugin was not found on PATH', 'session-manager-working-with-install-plugin'],
  ])('%s missing: fails before any AWS call, with an install hint', async (tool, message, hint) => {
    const runtime = fakeRuntime();
    runtime.tools.delete(tool);
    const { code, err } = await bastion(['connect', 'ecs', '--target', 'aurora'], runtime);
    expect(code).toBe(1);
    expect(err).toContain(message);
    expect(err).toContain(hint);
    expect(ecsMock.calls()).toHaveLength(0);
  });

  test.each([
    [['connect', 'ecs', '--target', 'mysql'], 'Unknown target "mysql"', 'aurora (port 5432), redis (port 6379)'],
    [['connect', 'ecs', '--target', 'redis'], 'Target "redis" has no host in the configuration', 'Add "host"'],
    [['connect', 'ecs'], 'Say where to connect: --target <name>, or --host <host> --port <port>', ''],
    [['connect', 'ecs', '--host', 'db.internal'], '--host needs --port <port>', ''],
    [['connect', 'ec2', '--target', 'aurora', '--task', 'x'], '--task applies to the ecs bastion', ''],
    [['shell', 'ec2', '--command', 'ls'], '--command applies to the ecs bastion', ''],
    [['connect', 'k8s', '--target', 'aurora'], "argument 'variant'. Allowed choices are ecs, ec2", ''],
    [['connect', 'ecs', '--port', 'http'], "argument 'http' is invalid. must be a port number", ''],
    // The bounds of the number options: a remote port is 1-65535, a local port may be 0 (any free port), a wait lasts at least 1 s.
    [['connect', 'ecs', '--host', 'h', '--port', '0'], 'must be a port number from 1 to 65535', ''],
    [['connect', 'ecs', '--host', 'h', '--port', '65536'], 'must be a port number from 1 to 65535', ''],
    [['connect', 'ecs', '--target', 'aurora', '--local-port', '65536'], 'must be a port number from 0 to 65535', ''],
    [['up', 'ecs', '--timeout', '0'], 'must be a whole number of seconds, at least 1', ''],
    [['connect', 'ecs', '--bogus'], "unknown option '--bogus'", '(add --help for usage)'],
    [['up'], "missing required argument 'variant'", ''],
    [['launch'], "unknown command 'launch'", ''],
    [[], 'Usage: bastion', ''],
  ])('usage error (exit 2): bastion %j', async (args, message, more) => {
    const { code, err } = await bastion(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain(more);
    expect(ecsMock.calls()).toHaveLength(0);
  });

  test('--help lists every command and exits 0', async () => {
    const { code, out } = await bastion(['--help']);
    expect(code).toBe(0);
    for (const command of ['connect', 'shell', 'up', 'down', 'status']) expect(out).toMatch(new RegExp(`^  ${command} `, 'm'));
    const sub = await bastion(['connect', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.out).toContain('--no-reconnect');
    expect(sub.out).toContain('--local-port <port>');
  });
});
