import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthEcs, TARGETS } from './support';

const TASK_ID = '0123456789abcdef0123456789abcdef';
const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/ssm-bastion-ecs/${TASK_ID}`;
const RUNTIME_ID = `${TASK_ID}-3842917542`;

/** What Terraform makes of a JSON-syntax string with no interpolation: `$${` and `%%{` are escapes for `${` and `%{`. */
function asTerraformRendersIt(value: string): string {
  expect(value.replace(/\$\$\{/g, '').replace(/%%\{/g, '')).not.toMatch(/[$%]\{/);
  return value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/**
 * Runs a command with a fake `aws` first on PATH that records its arguments and answers list-tasks and
 * describe-tasks like the real CLI with `--output text`. Returns the argument lists of every call.
 */
function runWithFakeAws(shell: string, command: string): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-bastion-outputs-'));
  try {
    const log = join(dir, 'calls');
    writeFileSync(
      join(dir, 'aws'),
      [
        '#!/bin/sh',
        `printf '%s\\n' "$@" >> "${log}"; echo '@@' >> "${log}"`,
        `case "$1 $2" in "ecs list-tasks") echo "${TASK_ARN}";; "ecs describe-tasks") echo "${RUNTIME_ID}";; esac`,
      ].join('\n'),
    );
    chmodSync(join(dir, 'aws'), 0o755);
    // stdin from /dev/null, not a pipe: Node's pipes are sockets, and bash with a socket on stdin believes sshd
    // started it and sources ~/.bashrc (half a second here, and whatever that file does on a developer's machine).
    execFileSync(shell, ['-c', command], { env: { PATH: `${dir}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    return readFileSync(log, 'utf8')
      .split('@@\n')
      .filter(Boolean)
      .map((call) => call.replace(/\n$/, '').split('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the ecs-bastion outputs', () => {
  const { tf } = synthEcs({ targets: TARGETS });
  const outputs = tf.output ?? {};

  it('describe every output', () => {
    const undescribed = Object.entries(outputs).filter(([, output]) => (output.description ?? '').length < 20);
    expect(undescribed.map(([name]) => name)).toEqual([]);
  });

  it('name the cluster, service, container and both log groups', () => {
    expect(outputs.ecs_cluster_name.value).toMatch(/^\$\{aws_ecs_cluster\..+\.name\}$/);
    expect(outputs.ecs_service_name.value).toMatch(/^\$\{aws_ecs_service\..+\.name\}$/);
    expect(outputs.ecs_container_name.value).toBe('bastion');
    expect(outputs.ecs_exec_log_group_name.value).toMatch(/^\$\{aws_cloudwatch_log_group\..*ecs-exec.*\.name\}$/);
    expect(outputs.ecs_container_log_group_name.value).toMatch(/^\$\{aws_cloudwatch_log_group\..*ecs-container.*\.name\}$/);
    expect(outputs.operator_policy_arn.value).toMatch(/^\$\{aws_iam_policy\..+\.arn\}$/);
  });

  it('give one port-forward command per target, and a shell command', () => {
    expect(Object.keys(outputs).filter((name) => name.startsWith('port_forward_')).sort()).toEqual(
      ['port_forward_aurora', 'port_forward_cache', 'port_forward_search'],
    );
    expect(outputs.shell_command).toBeDefined();
  });

  it.each(['bash', 'sh'])('shell_command opens %s-pasteable ECS Exec into the first running task', (shell) => {
    const calls = runWithFakeAws(shell, asTerraformRendersIt(String(outputs.shell_command.value)));
    expect(calls[0]).toEqual(
      'ecs list-tasks --region eu-west-1 --cluster ssm-bastion-ecs --service-name ssm-bastion-ecs-bastion --desired-status RUNNING --query taskArns[0] --output text'.split(' '),
    );
    expect(calls[1]).toEqual([
      'ecs', 'execute-command', '--region', 'eu-west-1', '--cluster', 'ssm-bastion-ecs', '--container', 'bastion',
      '--interactive', '--command', '/bin/bash', '--task', TASK_ARN,
    ]);
  });

  it('shell_command opens the configured ecs.shell', () => {
    const { tf: ash } = synthEcs({ ecs: { shell: '/bin/ash' } });
    expect(String(ash.output?.shell_command.value)).toContain('--command /bin/ash ');
  });

  it.each([
    ['aurora', 'db.cluster-abc.eu-west-1.rds.amazonaws.com', '5432', '5432'],
    ['cache', '10.42.200.7', '6379', '6379'],
    ['search', '<host-of-the-target>', '443', '10443'],
  ])('port_forward_%s targets ecs:<cluster>_<taskId>_<runtimeId> and forwards to %s:%s from local port %s', (name, host, port, localPort) => {
    const calls = runWithFakeAws('bash', asTerraformRendersIt(String(outputs[`port_forward_${name}`].value)));
    expect(calls.map((c) => `${c[0]} ${c[1]}`)).toEqual(['ecs list-tasks', 'ecs describe-tasks', 'ssm start-session']);
    expect(calls[1]).toEqual(expect.arrayContaining(['--tasks', TASK_ARN, '--query', "tasks[0].containers[?name=='bastion'].runtimeId | [0]"]));
    const start = calls[2];
    const flag = (f: string) => start[start.indexOf(f) + 1];
    expect(flag('--target')).toBe(`ecs:ssm-bastion-ecs_${TASK_ID}_${RUNTIME_ID}`);
    expect(flag('--document-name')).toBe('AWS-StartPortForwardingSessionToRemoteHost');
    expect(JSON.parse(flag('--parameters'))).toEqual({ host: [host], portNumber: [port], localPortNumber: [localPort] });
    expect(flag('--region')).toBe('eu-west-1');
  });

  it.each([
    ['aurora', 'Forwards localhost:5432 to aurora (db.cluster-abc.eu-west-1.rds.amazonaws.com:5432) through the bastion.'],
    ['search', 'Forwards localhost:10443 to search (<host-of-the-target>:443) through the bastion.'],
  ])('describe port_forward_%s with the local port the command really opens (10000 + port below 1024)', (name, description) => {
    expect(outputs[`port_forward_${name}`].description).toContain(description);
  });

  it('mention the bastion CLI in the port-forward descriptions', () => {
    expect(outputs.port_forward_aurora.description).toContain('npx bastion connect ecs --target aurora');
  });
});
