/**
 * The commands end to end inside the process: argument parsing (commander), configuration, SDK calls
 * (aws-sdk-client-mock), waiting (virtual clock) and the AWS CLI invocation (scripted fake children).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeInstancesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AccessDeniedException,
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeDocumentCommand,
  DescribeInstanceInformationCommand,
  DescribeInstancePatchStatesCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { run } from '../../cli/main';
import { bastionNames } from '../../modules/naming';
import { checkRunsAgainstPermissionTable } from './calls';
import {
  AURORA_HOST,
  CLUSTER,
  configDir,
  CONFIG,
  ctrlC,
  endsAfter,
  fakeRuntime,
  type FakeRuntime,
  INTERFACE_ENDPOINTS,
  instance,
  PREFIX,
  SERVICE,
  service,
  task,
  taskArn,
} from './support';

const ecsMock = mockClient(ECSClient);
const ec2Mock = mockClient(EC2Client);
const ssmMock = mockClient(SSMClient);

const ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const TARGET = `ecs:${CLUSTER}_${ID}_${ID}-1234567890`;
const FORWARD_DOC = 'AWS-StartPortForwardingSessionToRemoteHost';

beforeEach(() => {
  ecsMock.reset();
  ec2Mock.reset();
  ssmMock.reset();
});

// Every run is checked against the permission table the authorization simulation proves (cli/permissions.ts).
const recordRun = checkRunsAgainstPermissionTable([ecsMock, ec2Mock, ssmMock], bastionNames(PREFIX));

async function bastion(args: string[], runtime: FakeRuntime = fakeRuntime()) {
  recordRun(args, runtime);
  const code = await run(args, runtime);
  return { code, runtime, out: runtime.stdout.text, err: runtime.stderr.text };
}

function ecsRunning(...ids: string[]) {
  const taskIds = ids.length > 0 ? ids : [ID];
  ecsMock.on(DescribeServicesCommand).resolves({ services: [service(taskIds.length)] });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: taskIds.map(taskArn) });
  ecsMock.on(DescribeTasksCommand).resolves({ tasks: taskIds.map((id) => task({ id })) });
}

function ecsParked() {
  ecsMock.on(DescribeServicesCommand).resolves({ services: [service(0)] });
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
}

const endpoints = (present: boolean) => ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: present ? INTERFACE_ENDPOINTS : [] });

const forwardArgs = (target: string, localPort = 5432, extra: string[] = []) => [
  'ssm',
  'start-session',
  '--target',
  target,
  '--document-name',
  FORWARD_DOC,
  '--parameters',
  `{"host":["${AURORA_HOST}"],"portNumber":["5432"],"localPortNumber":["${localPort}"]}`,
  '--region',
  'eu-west-1',
  ...extra,
];

describe('bastion connect ecs', () => {
  test('finds the task, forwards localhost:5432 to the target host, and ends with 130 on Ctrl-C', async () => {
    ecsRunning();
    const { code, runtime, err } = await bastion(['connect', 'ecs', '--target', 'aurora']);
    expect(code).toBe(130);
    expect(runtime.spawned).toHaveLength(1);
    expect(runtime.spawned[0]).toMatchObject({ command: 'aws', args: forwardArgs(TARGET) });
    expect(runtime.spawned[0]!.child.killed).toEqual(['SIGINT']);
    expect(err).toContain(`localhost:5432 → ${AURORA_HOST}:5432 through the ecs bastion (task ${ID})`);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('reconnects when the session ends (idle timeout), re-resolving the task that replaced the old one', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolvesOnce({ taskArns: [taskArn(ID)] }).resolves({ taskArns: [taskArn('bbbb')] });
    ecsMock.on(DescribeTasksCommand).resolvesOnce({ tasks: [task({ id: ID })] }).resolves({ tasks: [task({ id: 'bbbb' })] });
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(20 * 60_000, 0), ctrlC()];
    const { code, err } = await bastion(['connect', 'ecs', '--target', 'aurora'], runtime);
    expect(code).toBe(130);
    expect(runtime.spawned.map((s) => s.args[3])).toEqual([TARGET, `ecs:${CLUSTER}_bbbb_bbbb-1234567890`]);
    expect(err).toMatch(/Session ended \(exit code 0 after 20m00s\); reconnecting/);
  });

  test('--no-reconnect: the session ending ends the command', async () => {
    ecsRunning();
    const runtime = fakeRuntime();
    runtime.behaviours = [endsAfter(60_000, 0)];
    const { code } = await bastion(['connect', 'ecs', '--host', AURORA_HOST, '--port', '5432', '--no-reconnect'], runtime);
    expect(code).toBe(0);
    expect(runtime.spawned).toHaveLength(1);
  });

  test('an AccessDenied from the AWS CLI stops at once and names ssm:StartSession', async () => {
    ecsRunning();
    const runtime = fakeRuntime();
    runtime.behaviours = [
      endsAfter(
        500,
        254,
        'An error occurred (AccessDeniedException) when calling the StartSession operation: User: arn:aws:sts::1:assumed-role/Dev/jane is not authorized to perform: ssm:StartSession on resource: arn:aws:ecs:eu-west-1:1:task/acme-ecs/x\n',
      ),
    ];
    const { code, err } = await bastion(['connect', 'ecs', '-t', 'aurora'], runtime);
    expect(code).toBe(1);
    expect(runtime.spawned).toHaveLength(1);
    expect(err).toContain('Missing IAM action: ssm:StartSession');
    expect(err).toContain('operator policy');
  });

  test('--dry-run prints the AWS CLI command instead of running it', async () => {
    ecsRunning();
    const { code, out, runtime } = await bastion(['connect', 'ecs', '--target', 'aurora', '--local-port', '15432', '--dry-run']);
    expect(code).toBe(0);
    expect(runtime.spawned).toHaveLength(0);
    expect(out).toBe(
      `aws ssm start-session --target ${TARGET} --document-name ${FORWARD_DOC} ` +
        `--parameters '{"host":["${AURORA_HOST}"],"portNumber":["5432"],"localPortNumber":["15432"]}' --region eu-west-1\n`,
    );
  });

  test('a local port in use: any free one, said out loud; an explicit one in use is an error', async () => {
    ecsRunning();
    const runtime = fakeRuntime();
    runtime.busyPorts.add(5432);
    const { code, err } = await bastion(['connect', 'ecs', '--target', 'aurora'], runtime);
    expect(code).toBe(130);
    expect(runtime.spawned[0]!.args).toEqual(forwardArgs(TARGET, 49152));
    expect(err).toMatch(/local port 5432 is in use .*using 49152/);

    const explicit = fakeRuntime();
    explicit.busyPorts.add(15432);
    const refused = await bastion(['connect', 'ecs', '--target', 'aurora', '--local-port', '15432'], explicit);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/Local port 15432 is already in use/);
  });

  test('--region and --profile reach both the SDK and the AWS CLI', async () => {
    ecsRunning();
    const { runtime } = await bastion(['--profile', 'ops', 'connect', 'ecs', '--target', 'aurora', '--region', 'eu-central-1']);
    expect(runtime.awsTargets).toEqual([{ region: 'eu-central-1', profile: 'ops' }]);
    expect(runtime.spawned[0]!.args.slice(-4)).toEqual(['--region', 'eu-central-1', '--profile', 'ops']);
  });

  test('--config reads another configuration (its namePrefix decides the names)', async () => {
    ecsRunning();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(1, { serviceName: 'other-ecs-bastion' })] });
    const dir = configDir();
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ ...CONFIG, namePrefix: 'other' }));
    const { code, runtime } = await bastion(['connect', 'ecs', '--target', 'aurora', '--config', file]);
    expect(code).toBe(130);
    expect(ecsMock.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({ cluster: 'other-ecs', services: ['other-ecs-bastion'] });
    expect(runtime.spawned[0]!.args[3]).toBe(`ecs:other-ecs_${ID}_${ID}-1234567890`);
    const missing = await bastion(['connect', 'ecs', '--target', 'aurora', '--config', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
  });

  test('an invalid configuration is reported with its problems', async () => {
    const cwd = configDir({ namePrefix: 'Bad_Prefix' });
    const { code, err } = await bastion(['connect', 'ecs', '--host', 'h', '--port', '1'], fakeRuntime({ cwd }));
    expect(code).toBe(1);
    expect(err).toContain('namePrefix');
  });
});

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
});

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

describe('bastion connect / shell ec2', () => {
  test('starts the stopped instance with --yes, waits for the SSM agent, forwards through the instance id', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopped')] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'pending')] }] })
      .resolves({ Reservations: [{ Instances: [instance('i-0abc', 'running')] }] });
    ec2Mock.on(StartInstancesCommand).resolves({});
    endpoints(true);
    ssmMock
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [] })
      .resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    const { code, runtime, err } = await bastion(['connect', 'ec2', '--target', 'aurora', '--yes']);
    expect(code).toBe(130);
    expect(ec2Mock.commandCalls(StartInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-0abc'] });
    expect(err).toContain('… instance i-0abc is pending');
    expect(err).toContain('… instance i-0abc is running, SSM agent has not registered yet');
    expect(runtime.spawned[0]!.args).toEqual(forwardArgs('i-0abc'));
  });

  test('no instance and no endpoints: the stack is fully parked', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    endpoints(false);
    const { code, err } = await bastion(['shell', 'ec2']);
    expect(code).toBe(1);
    expect(err).toContain('ec2-bastion stack are not there: the stack is fully parked (bastion_enabled=false)');
  });

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
    expect(runtime.spawned[0]!.args).toEqual([
      'ecs',
      'execute-command',
      '--cluster',
      CLUSTER,
      '--task',
      ID,
      '--container',
      'bastion',
      '--interactive',
      '--command',
      "/bin/sh -c 'command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l'",
      '--region',
      'eu-west-1',
    ]);
  });
});

describe('bastion up / down', () => {
  test('up ecs: desired count 1, then waits until the agent is ready', async () => {
    ecsMock.on(DescribeServicesCommand).resolvesOnce({ services: [service(0)] }).resolves({ services: [service(1)] });
    ecsMock.on(ListTasksCommand).resolvesOnce({ taskArns: [] }).resolvesOnce({ taskArns: [] }).resolves({ taskArns: [taskArn(ID)] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task({ id: ID })] });
    endpoints(true);
    const { code, err } = await bastion(['up', 'ecs']);
    expect(code).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, service: SERVICE, desiredCount: 1 });
    expect(err).toContain(`The ecs bastion is ready (task ${ID})`);
  });

  test('up ecs --no-wait only asks; up on a running service changes nothing', async () => {
    ecsParked();
    endpoints(true);
    const noWait = await bastion(['up', 'ecs', '--no-wait']);
    expect(noWait.code).toBe(0);
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0);
    ecsMock.reset();
    ecsRunning();
    const already = await bastion(['up', 'ecs']);
    expect(already.code).toBe(0);
    expect(already.err).toContain('already up (desired count 1)');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  test('up ec2 waits for a stopping instance to stop, starts it and waits for the agent', async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopping')] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopping')] }] })
      .resolvesOnce({ Reservations: [{ Instances: [instance('i-0abc', 'stopped')] }] })
      .resolves({ Reservations: [{ Instances: [instance('i-0abc', 'running')] }] });
    ec2Mock.on(StartInstancesCommand).resolves({});
    endpoints(true);
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] });
    const { code, err } = await bastion(['up', 'ec2']);
    expect(code).toBe(0);
    expect(ec2Mock.commandCalls(StartInstancesCommand)).toHaveLength(1);
    expect(err).toContain('… instance i-0abc is stopping');
    expect(err).toContain('The ec2 bastion is ready (instance i-0abc)');
  });

  test('up refuses when the endpoints are parked', async () => {
    ecsParked();
    endpoints(false);
    const { code, err } = await bastion(['up', 'ecs']);
    expect(code).toBe(1);
    expect(err).toContain('bastion_enabled=true');
    expect(ecsMock.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

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
});

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
});
