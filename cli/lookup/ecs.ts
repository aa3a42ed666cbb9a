/**
 * Finding the ECS bastion: the ecs-bastion service, its tasks and the container runtime id a session targets,
 * and the state they add up to. The lookups go by the names of modules/naming, which the stack uses too.
 */
import { type Deployment, DescribeServicesCommand, DescribeTasksCommand, type ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import type { BastionNames } from '../../modules/naming';
import { awsCall } from '../aws';
import { CliError } from '../errors';
import type { BastionState } from '../variants';

/** The ECS Exec agent the task must report RUNNING before a session can start. */
export const EXEC_AGENT = 'ExecuteCommandAgent';

/** A task of the service, reduced to what sessions and `bastion status` need. */
export interface EcsTask {
  readonly taskArn: string;
  /** Last segment of the task ARN: what `ecs:<cluster>_<taskId>_<runtimeId>` and `--task` use. */
  readonly taskId: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** Whether the task was started with enableExecuteCommand. */
  readonly execEnabled: boolean;
  /** Container runtime id of the `bastion` container (set once the container has started). */
  readonly runtimeId?: string;
  /** lastStatus of the ExecuteCommandAgent in the `bastion` container (undefined: no agent). */
  readonly agentStatus?: string;
  readonly startedAt?: Date;
  readonly availabilityZone?: string;
  readonly capacityProvider?: string;
  /**
   * Started by a deployment of the service that a newer (PRIMARY) one is replacing: the service stops this task
   * once the new one runs, so it is not the task to open a session on.
   */
  readonly replaced?: boolean;
}

/** The ecs-bastion service as the CLI sees it (not deployed: counts 0, no tasks). */
export interface EcsBastion {
  readonly cluster: string;
  readonly service: string;
  /** The service exists and is ACTIVE. */
  readonly deployed: boolean;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  /** Tasks of the service whose desired status is RUNNING. */
  readonly tasks: readonly EcsTask[];
  /** The newest service event ("unable to place a task …"), to explain a task that does not come. */
  readonly latestEvent?: string;
}

/** The task id of a task ARN (its last segment). */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

function toEcsTask(task: Task, container: string, replacedDeployments: ReadonlySet<string>): EcsTask {
  const taskArn = task.taskArn ?? '';
  const bastion = task.containers?.find((c) => c.name === container);
  const agent = bastion?.managedAgents?.find((a) => a.name === EXEC_AGENT);
  return {
    taskArn,
    taskId: taskIdOf(taskArn),
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    execEnabled: task.enableExecuteCommand === true,
    runtimeId: bastion?.runtimeId,
    agentStatus: agent?.lastStatus,
    startedAt: task.startedAt,
    availabilityZone: task.availabilityZone,
    capacityProvider: task.capacityProviderName,
    replaced: task.startedBy !== undefined && replacedDeployments.has(task.startedBy),
  };
}

/**
 * The deployments of the service that a rollout is replacing (any but PRIMARY). A task's startedBy is the id of
 * the deployment that started it; with the default rolling update (maximumPercent 200) the new task starts before
 * the old one is stopped, so during a rollout both have desired status RUNNING.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html (startedBy),
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html (status PRIMARY, ACTIVE),
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html (maximumPercent)
 */
function replacedDeploymentIds(deployments: readonly Deployment[] | undefined): Set<string> {
  return new Set((deployments ?? []).filter((d) => d.status !== 'PRIMARY' && d.id).map((d) => d.id!));
}

/** The ecs-bastion service and its tasks: DescribeServices, ListTasks, DescribeTasks. */
export async function describeEcsBastion(ecs: ECSClient, names: BastionNames): Promise<EcsBastion> {
  const cluster = names.ecsCluster;
  const service = names.ecsService;
  const absent: EcsBastion = { cluster, service, deployed: false, desiredCount: 0, runningCount: 0, pendingCount: 0, tasks: [] };
  const described = await awsCall('ecs:DescribeServices', () => ecs.send(new DescribeServicesCommand({ cluster, services: [service] })), {
    ClusterNotFoundException: () => undefined,
  });
  const svc = described?.services?.find((s) => s.serviceName === service);
  if (!svc || svc.status !== 'ACTIVE') return absent;

  const listed = await awsCall('ecs:ListTasks', () =>
    ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'RUNNING' })),
  );
  const arns = listed.taskArns ?? [];
  const tasks =
    arns.length === 0
      ? []
      : ((await awsCall('ecs:DescribeTasks', () => ecs.send(new DescribeTasksCommand({ cluster, tasks: arns })))).tasks ?? []);
  const replaced = replacedDeploymentIds(svc.deployments);
  return {
    cluster,
    service,
    deployed: true,
    desiredCount: svc.desiredCount ?? 0,
    runningCount: svc.runningCount ?? 0,
    pendingCount: svc.pendingCount ?? 0,
    tasks: tasks
      .map((t) => toEcsTask(t, names.ecsContainer, replaced))
      .sort((a, b) => a.taskId.localeCompare(b.taskId)),
    latestEvent: svc.events?.[0]?.message,
  };
}

/** The task can take an ECS Exec session now. */
export function isExecReady(task: EcsTask): boolean {
  return task.lastStatus === 'RUNNING' && task.agentStatus === 'RUNNING' && !!task.runtimeId;
}

/** The state of the ECS bastion: running as soon as one task can take a session, whatever the others do. */
export function ecsState(bastion: EcsBastion): BastionState {
  if (!bastion.deployed) return 'absent';
  if (bastion.tasks.some(isExecReady)) return 'running';
  if (bastion.desiredCount === 0) return bastion.tasks.length === 0 ? 'parked' : 'stopping';
  return 'starting';
}

function listTasks(tasks: readonly EcsTask[]): string {
  return tasks
    .map((t) => `  ${t.taskId}  ${t.lastStatus}${t.agentStatus ? `, ${EXEC_AGENT} ${t.agentStatus}` : ''}${t.replaced ? ' (being replaced)' : ''}`)
    .join('\n');
}

/**
 * The task to open a session on: the one given with --task, else the only task that is not being replaced by a
 * rollout (else the only task). Several tasks without --task is an error, not a guess: a session is audited
 * against the task it ran on.
 */
export function selectEcsTask(bastion: EcsBastion, taskId?: string): EcsTask {
  if (taskId) {
    const task = bastion.tasks.find((t) => t.taskId === taskId || t.taskArn === taskId);
    if (task) return task;
    throw new CliError('NoTask', `Task ${taskId} is not a running task of service ${bastion.service}.`, {
      hint:
        bastion.tasks.length > 0
          ? `Running tasks:\n${listTasks(bastion.tasks)}`
          : 'The service has no running task; leave out --task to use whichever task it starts.',
    });
  }
  if (bastion.tasks.length === 0) {
    throw new CliError('NoTask', `Service ${bastion.service} in cluster ${bastion.cluster} has no running task (desired count ${bastion.desiredCount}).`, {
      hint:
        bastion.desiredCount === 0
          ? 'The bastion is parked: start it with `bastion up ecs`.'
          : `The service cannot keep a task running${bastion.latestEvent ? `; its latest event: "${bastion.latestEvent}"` : ''}. Check \`aws ecs describe-services --cluster ${bastion.cluster} --services ${bastion.service}\`.`,
    });
  }
  const staying = bastion.tasks.filter((t) => !t.replaced);
  if (staying.length === 1) return staying[0]!;
  if (bastion.tasks.length > 1) {
    throw new CliError('SeveralTasks', `Service ${bastion.service} has ${bastion.tasks.length} running tasks; choose one with --task <id>.`, {
      hint: `Running tasks:\n${listTasks(bastion.tasks)}`,
    });
  }
  return bastion.tasks[0]!;
}

/** The ecs-bastion service is not there: the stack is not deployed here, or was removed. */
export function notDeployedEcs(bastion: Pick<EcsBastion, 'cluster' | 'service'>): CliError {
  return new CliError('NotDeployed', `ECS service ${bastion.service} was not found in cluster ${bastion.cluster}.`, {
    hint:
      'The ecs-bastion stack is not deployed in this account and region, or was removed. ' +
      'Deploy it (with bastion_enabled=true), or check --region, --profile and namePrefix in the configuration.',
  });
}

/** The Session Manager target of an ECS task's container: `ecs:<cluster>_<taskId>_<runtimeId>`. */
export function ecsSessionTarget(cluster: string, task: EcsTask): string {
  if (!task.runtimeId) {
    throw new CliError('AgentNotRunning', `The bastion container of task ${task.taskId} has not started yet (no runtime id).`, {
      hint: 'Wait a moment and retry, or check the task with `aws ecs describe-tasks`.',
    });
  }
  return `ecs:${cluster}_${task.taskId}_${task.runtimeId}`;
}
