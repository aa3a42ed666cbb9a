/** `bastion connect`: forwarding, reconnecting, local ports, --dry-run, --region/--profile/--config (in-process, see harness.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeInstancesCommand, StartInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { AURORA_HOST, CLUSTER, configDir, CONFIG, ctrlC, endsAfter, fakeRuntime, instance, service, task, taskArn, tempDir } from '../support';
import { commandHarness, FORWARD_DOC, forwardArgs, ID, TARGET } from './harness';

const { ecsMock, ec2Mock, ssmMock, bastion, ecsRunning, endpoints } = commandHarness();

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
    const awsConfig = join(configDir(), 'aws-config');
    writeFileSync(awsConfig, '[default]\nregion = eu-west-1\n\n[profile ops]\nsso_session = corp\n');
    const { runtime } = await bastion(['--profile', 'ops', 'connect', 'ecs', '--target', 'aurora', '--region', 'eu-central-1'], fakeRuntime({ env: { AWS_CONFIG_FILE: awsConfig } }));
    expect(runtime.awsTargets).toEqual([{ region: 'eu-central-1', profile: 'ops' }]);
    expect(runtime.spawned[0]!.args.slice(-4)).toEqual(['--region', 'eu-central-1', '--profile', 'ops']);
  });

  test('a profile no shared file defines is refused before any AWS call, naming the files and the profiles there', async () => {
    const dir = configDir();
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n[profile ops]\nregion = eu-west-1\n');
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
    for (const [args, source] of [[['--profile', 'opps'], '--profile'], [[], 'AWS_PROFILE']] as const) {
      const refused = await bastion([...args, 'connect', 'ecs', '--target', 'aurora'], fakeRuntime({ env: { ...env, AWS_PROFILE: 'opps' } }));
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`The AWS profile "opps" (${source}) is in neither ${env.AWS_CONFIG_FILE} nor ${env.AWS_SHARED_CREDENTIALS_FILE}; the profiles there: default, ops.`);
      expect(refused.err).toContain('aws configure list-profiles');
      expect(refused.runtime.awsTargets).toEqual([]);
      expect(refused.runtime.spawned).toEqual([]);
    }
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

  // --config beats $BASTION_CONFIG, which beats ./bastion.config.json; a relative --config is read from the working folder.
  test('--config wins over BASTION_CONFIG and is resolved against the working folder', async () => {
    const dir = configDir({ ...CONFIG, namePrefix: 'folder' });
    writeFileSync(join(dir, 'flag.json'), JSON.stringify({ ...CONFIG, namePrefix: 'flag' }));
    writeFileSync(join(dir, 'env.json'), JSON.stringify({ ...CONFIG, namePrefix: 'env' }));
    const cluster = async (args: string[], env: NodeJS.ProcessEnv) => {
      ecsRunning();
      const before = ecsMock.commandCalls(DescribeServicesCommand).length;
      await bastion(['connect', 'ecs', '--target', 'aurora', '--dry-run', ...args], fakeRuntime({ cwd: dir, env }));
      return ecsMock.commandCalls(DescribeServicesCommand)[before]?.args[0].input.cluster;
    };
    expect(await cluster([], {})).toBe('folder-ecs');
    expect(await cluster([], { BASTION_CONFIG: join(dir, 'env.json') })).toBe('env-ecs');
    expect(await cluster(['--config', 'flag.json'], { BASTION_CONFIG: join(dir, 'env.json') })).toBe('flag-ecs');
  });

  test('says when it falls back to the embedded default (no file, no --config, no BASTION_CONFIG), and only then', async () => {
    const note = 'using the embedded default, namePrefix "ssm-bastion" in eu-west-1.';
    const empty = tempDir('bastion-no-config-');
    const fallback = await bastion(['connect', 'ecs', '--target', 'aurora'], fakeRuntime({ cwd: empty }));
    expect(fallback.err).toContain(`No bastion.config.json in ${empty} (nor --config or BASTION_CONFIG): ${note}`);
    // The note comes before the error it explains.
    expect(fallback.err.indexOf(note)).toBeLessThan(fallback.err.indexOf('targets'));
    const file = join(configDir(), 'bastion.config.json');
    for (const runtime of [fakeRuntime(), fakeRuntime({ cwd: empty, env: { BASTION_CONFIG: file } })]) {
      ecsRunning();
      expect((await bastion(['connect', 'ecs', '--target', 'aurora'], runtime)).err).not.toContain('embedded default');
    }
    ecsRunning();
    expect((await bastion(['connect', 'ecs', '--target', 'aurora', '--config', file], fakeRuntime({ cwd: empty }))).err).not.toContain('embedded default');
  });

  test('an invalid configuration is reported with its problems', async () => {
    const cwd = configDir({ namePrefix: 'Bad_Prefix' });
    const { code, err } = await bastion(['connect', 'ecs', '--host', 'h', '--port', '1'], fakeRuntime({ cwd }));
    expect(code).toBe(1);
    expect(err).toContain('namePrefix');
  });
});

describe('bastion connect ec2', () => {
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
});
