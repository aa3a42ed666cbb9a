import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { EcsConfig } from '../config';
import type { DeploymentContext } from '../context';

/**
 * Keeps the container alive with nothing listening, and exits 0 at once on SIGTERM (a scale-in or deployment
 * then stops it cleanly instead of waiting for SIGKILL). `sleep` runs in the background so the shell is in
 * `wait`, which a trapped signal interrupts; the init process ECS injects forwards the signal to the shell.
 * docker/Dockerfile uses the same command, so both images behave alike.
 */
export const KEEPALIVE_COMMAND: readonly string[] = ['/bin/sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"];

/** awslogs stream prefix: streams are named `bastion/bastion/<task id>`. */
export const CONTAINER_LOG_STREAM_PREFIX = 'bastion';

const CPU_ARCHITECTURE: Record<EcsConfig['architecture'], string> = { arm64: 'ARM64', x86_64: 'X86_64' };

export interface BastionTaskDefinitionProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** The `ecs` section: architecture, cpu and memory. */
  readonly ecs: Pick<EcsConfig, 'architecture' | 'cpu' | 'memory'>;
  /** Image reference to run. */
  readonly imageUri: string;
  /** Identity of the container (ECS Exec channels and transcripts). */
  readonly taskRoleArn: string;
  /** Role ECS uses to pull the image and write the container log. */
  readonly executionRoleArn: string;
  /** Encrypted log group of the container's own output. */
  readonly containerLogGroupName: string;
}

/**
 * The Fargate task: one container that idles until an operator execs into it. Settings ECS Exec depends on
 * are explicit so a reader (and amazon-ecs-exec-checker) sees them: init process on, root filesystem writable,
 * no AWS credentials in the environment, pidMode unset.
 */
export class BastionTaskDefinition extends Construct {
  readonly taskDefinition: EcsTaskDefinition;
  /** The task definition's family: every revision's ARN is `task-definition/<family>:<revision>`. */
  readonly family: string;
  /** The container definition, as written (with tokens) into `container_definitions`. */
  readonly containerDefinition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: BastionTaskDefinitionProps) {
    super(scope, id);
    const { context } = props;
    this.containerDefinition = {
      name: context.names.ecsContainer,
      image: props.imageUri,
      essential: true,
      command: [...KEEPALIVE_COMMAND],
      linuxParameters: {
        // ECS Exec starts the SSM agent next to the main process; an init process reaps the processes each
        // session leaves behind and forwards SIGTERM to the command above.
        initProcessEnabled: true,
      },
      privileged: false,
      // Must stay writable: the SSM agent that ECS Exec bind-mounts writes its state and the session
      // transcript (via `script`) into the container's filesystem. ECS Exec does not support a read-only root.
      readonlyRootFilesystem: false,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': props.containerLogGroupName,
          'awslogs-region': context.region,
          'awslogs-stream-prefix': CONTAINER_LOG_STREAM_PREFIX,
        },
      },
    };
    const family = context.names.resource('bastion');
    this.family = family;
    this.taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.ecs.cpu),
      memory: String(props.ecs.memory),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: CPU_ARCHITECTURE[props.ecs.architecture] },
      taskRoleArn: props.taskRoleArn,
      executionRoleArn: props.executionRoleArn,
      // jsonencode, not JSON.stringify: the image and names may be tokens, and Terraform must render them.
      containerDefinitions: Fn.jsonencode([this.containerDefinition]),
      tags: { Name: family },
    });
  }
}
