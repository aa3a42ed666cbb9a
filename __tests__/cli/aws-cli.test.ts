/** The AWS CLI command lines of sessions, exactly, and how --dry-run shows them. */
import { DEFAULT_ECS_SHELL, ecsExecArgs, formatCommand, portForwardArgs, ssmShellArgs } from '../../cli/aws-cli';

const TARGET = 'ecs:acme-ecs_a1b2c3d4_a1b2c3d4-1234567890';

describe('AWS CLI command lines', () => {
  test('port forwarding: aws ssm start-session with AWS-StartPortForwardingSessionToRemoteHost and JSON parameters', () => {
    const args = portForwardArgs(
      { target: TARGET, host: 'mydb.cluster-abc123.eu-west-1.rds.amazonaws.com', port: 5432, localPort: 15432 },
      { region: 'eu-west-1', profile: 'ops' },
    );
    expect(args).toEqual([
      'ssm',
      'start-session',
      '--target',
      TARGET,
      '--document-name',
      'AWS-StartPortForwardingSessionToRemoteHost',
      '--parameters',
      '{"host":["mydb.cluster-abc123.eu-west-1.rds.amazonaws.com"],"portNumber":["5432"],"localPortNumber":["15432"]}',
      '--region',
      'eu-west-1',
      '--profile',
      'ops',
    ]);
    expect(formatCommand('aws', args)).toBe(
      `aws ssm start-session --target ${TARGET} --document-name AWS-StartPortForwardingSessionToRemoteHost ` +
        `--parameters '{"host":["mydb.cluster-abc123.eu-west-1.rds.amazonaws.com"],"portNumber":["5432"],"localPortNumber":["15432"]}' ` +
        '--region eu-west-1 --profile ops',
    );
  });

  test('ECS shell: aws ecs execute-command into the bastion container, bash else sh', () => {
    expect(ecsExecArgs({ cluster: 'acme-ecs', taskId: 'a1b2', container: 'bastion' }, { region: 'eu-west-1' })).toEqual([
      'ecs',
      'execute-command',
      '--cluster',
      'acme-ecs',
      '--task',
      'a1b2',
      '--container',
      'bastion',
      '--interactive',
      '--command',
      "/bin/sh -c 'command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l'",
      '--region',
      'eu-west-1',
    ]);
    expect(ecsExecArgs({ cluster: 'c', taskId: 't', container: 'bastion', command: 'psql --version' }, { region: 'r' })).toContain('psql --version');
    expect(formatCommand('aws', ['--command', DEFAULT_ECS_SHELL])).toBe(
      `aws --command '/bin/sh -c '\\''command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l'\\'''`,
    );
  });

  test('EC2 shell: aws ssm start-session with the stack session document', () => {
    expect(ssmShellArgs({ instanceId: 'i-0abc', documentName: 'acme-session-preferences' }, { region: 'eu-west-1' })).toEqual([
      'ssm',
      'start-session',
      '--target',
      'i-0abc',
      '--document-name',
      'acme-session-preferences',
      '--region',
      'eu-west-1',
    ]);
  });
});
