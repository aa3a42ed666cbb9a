import type { TargetConfig } from '../config';
import type { BastionNames } from '../naming';

/**
 * Ready-to-paste operator commands (bash or zsh, AWS CLI v2 with the Session Manager plugin). They are Terraform
 * strings: `$${` is the escape that leaves a literal shell `${` in the output value.
 */
export interface CommandContext {
  /** Region the commands pass as `--region`. */
  readonly region: string;
  /** Cluster, service and container names of the bastion. */
  readonly names: Pick<BastionNames, 'ecsCluster' | 'ecsService' | 'ecsContainer'>;
}

/** Placeholder for a target without `host`: the command still shows the shape, and the docs say what to fill in. */
export const HOST_PLACEHOLDER = '<host-of-the-target>';

/** Local ports below 1024 need root on most systems; such targets are forwarded to 10000 + port instead. */
export function localPortFor(remotePort: number): number {
  return remotePort < 1024 ? 10000 + remotePort : remotePort;
}

/** The host a port forward reaches: `host`, else the address of a single-host `cidr` (/32). */
export function forwardHost(target: Pick<TargetConfig, 'host' | 'cidr'>): string {
  if (target.host) return target.host;
  if (target.cidr?.endsWith('/32')) return target.cidr.slice(0, -3);
  return HOST_PLACEHOLDER;
}

function firstRunningTask({ region, names }: CommandContext): string {
  return `aws ecs list-tasks --region ${region} --cluster ${names.ecsCluster} --service-name ${names.ecsService} --desired-status RUNNING --query 'taskArns[0]' --output text`;
}

/** `aws ecs execute-command` into the first running task of the service. */
export function shellCommand(context: CommandContext, shell: string): string {
  const { region, names } = context;
  return `aws ecs execute-command --region ${region} --cluster ${names.ecsCluster} --container ${names.ecsContainer} --interactive --command ${shell} --task "$(${firstRunningTask(context)})"`;
}

/**
 * A Session Manager port forward from localhost to the target through the first running task: the target id
 * `ecs:<cluster>_<taskId>_<runtimeId>` is assembled from list-tasks and describe-tasks.
 */
export function portForwardCommand(context: CommandContext, target: Pick<TargetConfig, 'host' | 'cidr' | 'port'>): string {
  const { region, names } = context;
  const parameters = JSON.stringify({
    host: [forwardHost(target)],
    portNumber: [String(target.port)],
    localPortNumber: [String(localPortFor(target.port))],
  });
  return [
    `TASK=$(${firstRunningTask(context)})`,
    `RUNTIME=$(aws ecs describe-tasks --region ${region} --cluster ${names.ecsCluster} --tasks "$TASK" --query "tasks[0].containers[?name=='${names.ecsContainer}'].runtimeId | [0]" --output text)`,
    `aws ssm start-session --region ${region} --target "ecs:${names.ecsCluster}_$\${TASK##*/}_$RUNTIME" --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '${parameters}'`,
  ].join(' && ');
}
