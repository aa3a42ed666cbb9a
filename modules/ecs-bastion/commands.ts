import type { TargetConfig } from '../config';
import type { BastionNames } from '../naming';
import { portForwardParameters } from '../session-manager';

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
  const parameters = portForwardParameters(target);
  return [
    `TASK=$(${firstRunningTask(context)})`,
    `RUNTIME=$(aws ecs describe-tasks --region ${region} --cluster ${names.ecsCluster} --tasks "$TASK" --query "tasks[0].containers[?name=='${names.ecsContainer}'].runtimeId | [0]" --output text)`,
    `aws ssm start-session --region ${region} --target "ecs:${names.ecsCluster}_$\${TASK##*/}_$RUNTIME" --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '${parameters}'`,
  ].join(' && ');
}
