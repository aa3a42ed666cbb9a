/**
 * Finding the bastion: the ECS task (and its container runtime id) of the ecs-bastion service, the EC2
 * instance of the ec2-bastion stack, their agents, the stack's VPC endpoints and session document. Every
 * lookup goes by the names and tags of modules/naming, which the stacks use too.
 */
import { DescribeInstancesCommand, DescribeVpcEndpointsCommand, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTasksCommand, type ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import {
  DescribeDocumentCommand,
  DescribeInstanceInformationCommand,
  DescribeInstancePatchStatesCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { BastionConfig, StackName } from '../modules/config';
import { type BastionNames, PREFIX_TAG, STACK_TAG } from '../modules/naming';
import { awsCall } from './aws';
import { CliError } from './errors';

export const VARIANTS = ['ecs', 'ec2'] as const;
/** Which bastion: the Fargate task (ecs-bastion stack) or the EC2 instance (ec2-bastion stack). */
export type Variant = (typeof VARIANTS)[number];

export const STACK_OF: Readonly<Record<Variant, StackName>> = { ecs: 'ecs-bastion', ec2: 'ec2-bastion' };

/** The ECS Exec agent the task must report RUNNING before a session can start. */
export const EXEC_AGENT = 'ExecuteCommandAgent';

// ---------------------------------------------------------------------------------------------- ECS

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
}

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

export type BastionState = 'absent' | 'parked' | 'starting' | 'running' | 'stopping';

export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

function toEcsTask(task: Task, container: string): EcsTask {
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
  };
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
  return {
    cluster,
    service,
    deployed: true,
    desiredCount: svc.desiredCount ?? 0,
    runningCount: svc.runningCount ?? 0,
    pendingCount: svc.pendingCount ?? 0,
    tasks: tasks
      .map((t) => toEcsTask(t, names.ecsContainer))
      .sort((a, b) => a.taskId.localeCompare(b.taskId)),
    latestEvent: svc.events?.[0]?.message,
  };
}

/** The task can take an ECS Exec session now. */
export function isExecReady(task: EcsTask): boolean {
  return task.lastStatus === 'RUNNING' && task.agentStatus === 'RUNNING' && !!task.runtimeId;
}

export function ecsState(bastion: EcsBastion): BastionState {
  if (!bastion.deployed) return 'absent';
  if (bastion.tasks.some(isExecReady)) return 'running';
  if (bastion.desiredCount === 0) return bastion.tasks.length === 0 ? 'parked' : 'stopping';
  return 'starting';
}

function listTasks(tasks: readonly EcsTask[]): string {
  return tasks.map((t) => `  ${t.taskId}  ${t.lastStatus}${t.agentStatus ? `, ${EXEC_AGENT} ${t.agentStatus}` : ''}`).join('\n');
}

/**
 * The task to open a session on: the one given with --task, else the only task. Several tasks without
 * --task is an error, not a guess: a session is audited against the task it ran on.
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
  if (bastion.tasks.length > 1) {
    throw new CliError('SeveralTasks', `Service ${bastion.service} has ${bastion.tasks.length} running tasks; choose one with --task <id>.`, {
      hint: `Running tasks:\n${listTasks(bastion.tasks)}`,
    });
  }
  return bastion.tasks[0]!;
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

// ---------------------------------------------------------------------------------------------- EC2

export interface Ec2Instance {
  readonly instanceId: string;
  /** pending | running | stopping | stopped */
  readonly state: string;
  readonly name?: string;
  readonly instanceType?: string;
  readonly launchTime?: Date;
  readonly privateIp?: string;
  readonly patchGroup?: string;
}

const LIVE_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped'];

function stackFilters(stack: StackName, namePrefix: string): Filter[] {
  return [
    { Name: `tag:${STACK_TAG}`, Values: [stack] },
    { Name: `tag:${PREFIX_TAG}`, Values: [namePrefix] },
  ];
}

/** The instances of the ec2-bastion stack (by its tags), not terminated. Empty: bastion_enabled=false. */
export async function findEc2Instances(ec2: EC2Client, namePrefix: string): Promise<Ec2Instance[]> {
  const instances: Ec2Instance[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('ec2:DescribeInstances', () =>
      ec2.send(
        new DescribeInstancesCommand({
          Filters: [...stackFilters('ec2-bastion', namePrefix), { Name: 'instance-state-name', Values: LIVE_INSTANCE_STATES }],
          NextToken: nextToken,
        }),
      ),
    );
    for (const reservation of page.Reservations ?? []) {
      for (const i of reservation.Instances ?? []) {
        const tag = (key: string) => i.Tags?.find((t) => t.Key === key)?.Value;
        instances.push({
          instanceId: i.InstanceId ?? '',
          state: i.State?.Name ?? 'unknown',
          name: tag('Name'),
          instanceType: i.InstanceType,
          launchTime: i.LaunchTime,
          privateIp: i.PrivateIpAddress,
          patchGroup: tag('PatchGroup'),
        });
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return instances.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}

export function notDeployedEc2(namePrefix: string): CliError {
  return new CliError('NotDeployed', `No EC2 bastion instance found (tags ${STACK_TAG}=ec2-bastion, ${PREFIX_TAG}=${namePrefix}).`, {
    hint:
      'The ec2-bastion stack is fully parked (deployed with bastion_enabled=false) or not deployed in this region/account. ' +
      'Apply it with bastion_enabled=true, or check --region, --profile and namePrefix in the configuration.',
  });
}

/** The instance to use: the one given with --instance, else the only one. */
export function selectEc2Instance(instances: readonly Ec2Instance[], namePrefix: string, instanceId?: string): Ec2Instance {
  const list = instances.map((i) => `  ${i.instanceId}  ${i.state}`).join('\n');
  if (instanceId) {
    const found = instances.find((i) => i.instanceId === instanceId);
    if (found) return found;
    throw new CliError('NotDeployed', `Instance ${instanceId} is not an EC2 bastion of this deployment.`, {
      hint: instances.length > 0 ? `EC2 bastion instances:\n${list}` : notDeployedEc2(namePrefix).hint,
    });
  }
  if (instances.length === 0) throw notDeployedEc2(namePrefix);
  if (instances.length > 1) {
    throw new CliError('SeveralTasks', `${instances.length} EC2 bastion instances carry the tags of this deployment; choose one with --instance <id>.`, {
      hint: `EC2 bastion instances:\n${list}`,
    });
  }
  return instances[0]!;
}

export interface SsmAgentInfo {
  /** Online | ConnectionLost | Inactive */
  readonly pingStatus: string;
  readonly agentVersion?: string;
  readonly lastPingAt?: Date;
  readonly platform?: string;
}

/** The SSM agent's registration of an instance (undefined: the agent never registered). */
export async function describeSsmAgent(ssm: SSMClient, instanceId: string): Promise<SsmAgentInfo | undefined> {
  const result = await awsCall('ssm:DescribeInstanceInformation', () =>
    ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] })),
  );
  const info = result.InstanceInformationList?.find((i) => i.InstanceId === instanceId);
  if (!info) return undefined;
  return {
    pingStatus: info.PingStatus ?? 'Unknown',
    agentVersion: info.AgentVersion,
    lastPingAt: info.LastPingDateTime,
    platform: [info.PlatformName, info.PlatformVersion].filter(Boolean).join(' ') || undefined,
  };
}

export function ec2State(instance: Ec2Instance | undefined, agent: SsmAgentInfo | undefined): BastionState {
  if (!instance) return 'absent';
  switch (instance.state) {
    case 'stopped':
      return 'parked';
    case 'stopping':
      return 'stopping';
    case 'running':
      return agent?.pingStatus === 'Online' ? 'running' : 'starting';
    default:
      return 'starting';
  }
}

export interface SessionDocumentInfo {
  readonly name: string;
  readonly present: boolean;
  readonly status?: string;
  readonly version?: string;
}

export async function describeSessionDocument(ssm: SSMClient, name: string): Promise<SessionDocumentInfo> {
  const result = await awsCall('ssm:DescribeDocument', () => ssm.send(new DescribeDocumentCommand({ Name: name })), {
    InvalidDocument: () => undefined,
  });
  if (!result?.Document) return { name, present: false };
  return { name, present: true, status: result.Document.Status, version: result.Document.DocumentVersion };
}

export interface PatchStateInfo {
  /** Scan or Install. */
  readonly operation?: string;
  readonly operationEndTime?: Date;
  /** No missing, failed or non-compliant patch at the last operation. */
  readonly compliant: boolean;
  readonly installed: number;
  readonly missing: number;
  readonly failed: number;
  readonly pendingReboot: number;
  readonly criticalNonCompliant: number;
  readonly securityNonCompliant: number;
}

/** The instance's last Patch Manager operation (undefined: never scanned). */
export async function describePatchState(ssm: SSMClient, instanceId: string): Promise<PatchStateInfo | undefined> {
  const result = await awsCall('ssm:DescribeInstancePatchStates', () =>
    ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: [instanceId] })),
  );
  const state = result.InstancePatchStates?.find((s) => s.InstanceId === instanceId);
  if (!state) return undefined;
  const nonCompliant = (state.CriticalNonCompliantCount ?? 0) + (state.SecurityNonCompliantCount ?? 0) + (state.OtherNonCompliantCount ?? 0);
  const missing = state.MissingCount ?? 0;
  const failed = state.FailedCount ?? 0;
  return {
    operation: state.Operation,
    operationEndTime: state.OperationEndTime,
    compliant: nonCompliant === 0 && missing === 0 && failed === 0,
    installed: state.InstalledCount ?? 0,
    missing,
    failed,
    pendingReboot: state.InstalledPendingRebootCount ?? 0,
    criticalNonCompliant: state.CriticalNonCompliantCount ?? 0,
    securityNonCompliant: state.SecurityNonCompliantCount ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------- endpoints

export interface EndpointInfo {
  readonly id: string;
  /** Short service name: ssm, ssmmessages, ecr.dkr, s3 … */
  readonly service: string;
  /** Interface | Gateway */
  readonly type: string;
  readonly state: string;
}

export interface EndpointsInfo {
  /** The configuration turns on at least one interface endpoint for this stack. */
  readonly expected: boolean;
  /** Endpoints of the stack (by its tags) that are not being deleted. */
  readonly found: readonly EndpointInfo[];
  /** Interface endpoints are expected but none exists: the stack is parked with bastion_enabled=false. */
  readonly parked: boolean;
}

const GONE_ENDPOINT_STATES = new Set(['deleting', 'deleted', 'rejected', 'failed', 'expired']);

/** Whether the configuration has the stack create interface endpoints (else the VPC has them, or a NAT). */
export function expectsInterfaceEndpoints(config: Pick<BastionConfig, 'endpoints'>, variant: Variant): boolean {
  const e = config.endpoints;
  return [e.ssm, e.logs, e.kms, ...(variant === 'ecs' ? [e.ecr] : [])].includes('create');
}

export async function describeEndpoints(
  ec2: EC2Client,
  config: Pick<BastionConfig, 'endpoints' | 'namePrefix'>,
  variant: Variant,
): Promise<EndpointsInfo> {
  const result = await awsCall('ec2:DescribeVpcEndpoints', () =>
    ec2.send(new DescribeVpcEndpointsCommand({ Filters: stackFilters(STACK_OF[variant], config.namePrefix) })),
  );
  const found = (result.VpcEndpoints ?? [])
    .filter((e) => !GONE_ENDPOINT_STATES.has((e.State ?? '').toLowerCase()))
    .map((e) => ({
      id: e.VpcEndpointId ?? '',
      service: /^(?:cn\.)?com\.amazonaws\.[^.]+\.(.+)$/.exec(e.ServiceName ?? '')?.[1] ?? e.ServiceName ?? '',
      type: e.VpcEndpointType ?? 'Interface',
      state: e.State ?? 'unknown',
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
  const expected = expectsInterfaceEndpoints(config, variant);
  return { expected, found, parked: expected && !found.some((e) => e.type === 'Interface') };
}

export function endpointsParkedError(variant: Variant): CliError {
  return new CliError(
    'EndpointsParked',
    `The VPC endpoints of the ${STACK_OF[variant]} stack are not there: the stack is fully parked (bastion_enabled=false).`,
    {
      hint:
        `Without the ssm/ssmmessages endpoints no session can start, and \`bastion up\` only starts compute. ` +
        `Re-apply the ${STACK_OF[variant]} stack with bastion_enabled=true (e.g. \`terraform apply -var bastion_enabled=true\`), then retry.`,
    },
  );
}
