import type {} from 'cdktf/lib/testing/adapters/jest';
import { spawn } from 'node:child_process';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { containerDefinitions, readJsonencode, ref, resourceWhere, synthEcs } from './support';

describe('BastionTaskDefinition', () => {
  const { json, tf } = synthEcs({ ecs: { cpu: 1024, memory: 3072 } });
  const [container] = containerDefinitions(tf);

  it('is a Fargate task in awsvpc mode with the configured size on ARM64 by default', () => {
    expect(json).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: 'ssm-bastion-ecs-bastion',
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '1024',
      memory: '3072',
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'ARM64' },
    });
  });

  it('runs on X86_64 when ecs.architecture says so', () => {
    expect(synthEcs({ ecs: { architecture: 'x86_64' } }).json).toHaveResourceWithProperties(EcsTaskDefinition, {
      runtime_platform: { operating_system_family: 'LINUX', cpu_architecture: 'X86_64' },
    });
  });

  it('uses the task role as the container identity and the execution role to start it', () => {
    const taskRole = resourceWhere(tf, 'aws_iam_role', 'name', 'ssm-bastion-ecs-task').name;
    const executionRole = resourceWhere(tf, 'aws_iam_role', 'name', 'ssm-bastion-ecs-execution').name;
    expect(json).toHaveResourceWithProperties(EcsTaskDefinition, {
      task_role_arn: ref('aws_iam_role', taskRole, 'arn'),
      execution_role_arn: ref('aws_iam_role', executionRole, 'arn'),
    });
  });

  it('has one essential, unprivileged container named bastion with an init process and a writable root', () => {
    expect(containerDefinitions(tf)).toHaveLength(1);
    expect(container).toMatchObject({
      name: 'bastion',
      essential: true,
      privileged: false,
      readonlyRootFilesystem: false,
      linuxParameters: { initProcessEnabled: true },
    });
    expect(container).not.toHaveProperty('user', 'root');
    expect(container).not.toHaveProperty('portMappings');
    expect(container).not.toHaveProperty('environment');
  });

  it('sends the container output to its own encrypted log group with awslogs', () => {
    const group = resourceWhere(tf, 'aws_cloudwatch_log_group', 'name', '/ssm-bastion/ecs/container');
    expect(group.body.kms_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(container.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': ref('aws_cloudwatch_log_group', group.name, 'name'), 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'bastion' },
    });
  });

  it('reads jsonencode arguments faithfully (the helper the container assertions rely on)', () => {
    expect(readJsonencode('${jsonencode([{"a" = "x:${y.z}", "b" = [1, true, null], "c" = {"d" = var.on ? 3 : 0}}])}')).toEqual([
      { a: 'x:${y.z}', b: [1, true, null], c: { d: '${var.on ? 3 : 0}' } },
    ]);
  });

  describe('its command', () => {
    const command = container.command as string[];

    function run(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(command[0], command.slice(1), { stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', (code, killedBy) => resolve({ code, signal: killedBy, ms: Date.now() - started }));
        // Give the shell time to install its trap and enter `wait`.
        setTimeout(() => child.kill(signal), 300);
      });
    }

    /** Whether the command is still running after 800 ms (it is then killed). */
    function stillRunningAfter800ms(): Promise<boolean> {
      const child = spawn(command[0], command.slice(1), { stdio: 'ignore' });
      return new Promise<boolean>((resolve) => {
        child.on('exit', () => resolve(false));
        setTimeout(() => {
          resolve(true);
          child.kill('SIGKILL');
        }, 800);
      });
    }

    // The three runs mostly wait: they run side by side, and each test reads its own.
    let stillRunning: boolean;
    const stopped: Partial<Record<'SIGTERM' | 'SIGINT', Awaited<ReturnType<typeof run>>>> = {};
    beforeAll(async () => {
      [stillRunning, stopped.SIGTERM, stopped.SIGINT] = await Promise.all([stillRunningAfter800ms(), run('SIGTERM'), run('SIGINT')]);
    });

    it('keeps running until signalled', () => {
      expect(stillRunning).toBe(true);
    });

    it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 at once on %s (a clean stop, not a SIGKILL after the stop timeout)', (signal) => {
      const result = stopped[signal];
      expect(result).toMatchObject({ code: 0, signal: null });
      expect(result!.ms).toBeLessThan(3000);
    });
  });
});
