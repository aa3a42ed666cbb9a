import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { AuditTrail } from '../audit';
import type { EcsConfig } from '../config';
import type { DeploymentContext } from '../context';
import { TRANSCRIPTS } from '../naming';
import { BastionCluster } from './cluster';
import { BastionRoles } from './iam';
import { BastionImage } from './image';
import { OperatorPolicy } from './operator-policy';
import { BastionService } from './service';
import { BastionTaskDefinition } from './task';

export { BastionCluster, EXEC_S3_KEY_PREFIX, fargateStorageKeyStatements, type FargateCapacityProvider } from './cluster';
export { portForwardCommand, shellCommand } from './commands';
export { BastionRoles, executionRoleStatements, SSM_MESSAGES_ACTIONS, taskRoleStatements } from './iam';
export { BastionImage, ECR_PUBLIC_REGISTRY } from './image';
export { OperatorPolicy, operatorStatements } from './operator-policy';
export { BastionService, PLATFORM_VERSION } from './service';
export { BastionTaskDefinition, CONTAINER_LOG_STREAM_PREFIX, KEEPALIVE_COMMAND } from './task';

/** Log group purposes (`/<namePrefix>/<purpose>`). */
export const EXEC_LOG_PURPOSE = TRANSCRIPTS['ecs-bastion'].logPurpose;
export const CONTAINER_LOG_PURPOSE = 'container';

export interface EcsBastionProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** The validated `ecs` section. */
  readonly ecs: EcsConfig;
  /** The stack's audit trail: KMS key, log groups and (optionally) the session archive. */
  readonly audit: AuditTrail;
  /** Private subnets of the task. */
  readonly subnetIds: string[];
  /** Security group of the task (from the foundation; no ingress). */
  readonly securityGroupId: string;
  /**
   * Number of tasks to run. Pass a token such as `bastion_enabled ? ecs.desiredCount : 0` to park.
   * @default ecs.desiredCount
   */
  readonly desiredCount?: number;
  /**
   * Resources the service must wait for, typically the VPC endpoints the task reaches AWS through.
   * @default - none
   */
  readonly serviceDependsOn?: ITerraformDependable[];
}

/**
 * The Fargate bastion: an ECS cluster whose ECS Exec sessions are encrypted and recorded, a one-container task
 * that idles until someone execs into it, the service that runs it in private subnets, the image source, the
 * two least-privilege roles and the operator policy.
 */
export class EcsBastion extends Construct {
  readonly cluster: BastionCluster;
  readonly image: BastionImage;
  readonly roles: BastionRoles;
  readonly task: BastionTaskDefinition;
  readonly service: BastionService;
  readonly operatorPolicy: OperatorPolicy;
  /** Name of the log group that receives ECS Exec transcripts. */
  readonly execLogGroupName: string;
  /** Name of the log group that receives the container's own output. */
  readonly containerLogGroupName: string;

  constructor(scope: Construct, id: string, props: EcsBastionProps) {
    super(scope, id);
    const { context, audit, ecs } = props;
    const capacityProvider = ecs.spot ? 'FARGATE_SPOT' : 'FARGATE';
    const execLogs = audit.logGroup('ecs-exec-log-group', EXEC_LOG_PURPOSE);
    const containerLogs = audit.logGroup('ecs-container-log-group', CONTAINER_LOG_PURPOSE);
    // Container Insights would create this group itself on first use: unencrypted, never expiring, and left
    // behind by terraform destroy. Created first, it is the stack's (the cluster waits for it).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-reference-performance-logs-ECS.html
    const insightsLogs = ecs.containerInsights ? audit.namedLogGroup('ecs-container-insights-log-group', context.names.containerInsightsLogGroup) : undefined;
    this.execLogGroupName = execLogs.name;
    this.containerLogGroupName = containerLogs.name;

    this.image = new BastionImage(this, 'image', {
      context,
      image: ecs.image,
      kmsKeyArn: audit.kmsKeyArn,
    });
    this.cluster = new BastionCluster(this, 'cluster', {
      context,
      kmsKeyArn: audit.kmsKeyArn,
      kmsKeyId: audit.kmsKeyId,
      execLogGroupName: execLogs.name,
      archiveBucketName: audit.bucketName,
      capacityProvider,
      containerInsights: ecs.containerInsights,
      dependsOn: insightsLogs ? [insightsLogs] : undefined,
    });
    this.roles = new BastionRoles(this, 'roles', {
      context,
      kmsKeyArn: audit.kmsKeyArn,
      execLogGroupArn: execLogs.arn,
      archiveBucketArn: audit.bucketArn,
      s3ViaService: `s3.${context.region}.${context.dnsSuffix}`,
      pullStatements: this.image.pullStatements,
      containerLogGroupArn: containerLogs.arn,
    });
    this.task = new BastionTaskDefinition(this, 'task', {
      context,
      ecs,
      imageUri: this.image.imageUri,
      taskRoleArn: this.roles.taskRole.roleArn,
      executionRoleArn: this.roles.executionRole.roleArn,
      containerLogGroupName: containerLogs.name,
    });
    this.service = new BastionService(this, 'service', {
      context,
      clusterArn: this.cluster.clusterArn,
      taskDefinitionArn: this.task.taskDefinition.arn,
      desiredCount: props.desiredCount ?? ecs.desiredCount,
      subnetIds: props.subnetIds,
      securityGroupId: props.securityGroupId,
      capacityProvider,
      // A task started before its roles' policies or the capacity provider association exist fails, and the
      // circuit breaker would roll the first deployment back.
      dependsOn: [
        this.cluster.capacityProviders,
        this.roles.taskRole.policy,
        this.roles.executionRole.policy,
        execLogs,
        containerLogs,
        ...(props.serviceDependsOn ?? []),
      ],
    });
    this.operatorPolicy = new OperatorPolicy(this, 'operator-policy', {
      context,
      clusterArn: this.cluster.clusterArn,
      kmsKeyArn: audit.kmsKeyArn,
      taskDefinitionFamily: this.task.family,
      subnetIds: props.subnetIds,
    });
  }
}
