import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import type { FargateCapacityProvider } from './cluster';

/** ECS Exec needs Fargate platform 1.4.0 or later; LATEST always satisfies that and picks up fixes. */
export const PLATFORM_VERSION = 'LATEST';

export interface BastionServiceProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** ARN of the cluster. */
  readonly clusterArn: string;
  /** ARN of the task definition revision to run. */
  readonly taskDefinitionArn: string;
  /** Number of tasks; a token (`bastion_enabled ? n : 0`) so parking scales to zero without destroying the service. */
  readonly desiredCount: number;
  /** Private subnets of the tasks. */
  readonly subnetIds: string[];
  /** Security group of the tasks (no ingress). */
  readonly securityGroupId: string;
  /** FARGATE, or FARGATE_SPOT when `ecs.spot` is on. */
  readonly capacityProvider: FargateCapacityProvider;
  /**
   * What must exist before a task can start: the capacity provider association, the roles' policies and the
   * VPC endpoints the task pulls its image and opens its channels through.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** The ECS service that keeps the bastion task running, with ECS Exec enabled and no public IP. */
export class BastionService extends Construct {
  readonly service: EcsService;

  constructor(scope: Construct, id: string, props: BastionServiceProps) {
    super(scope, id);
    this.service = new EcsService(this, 'service', {
      name: props.context.names.ecsService,
      cluster: props.clusterArn,
      taskDefinition: props.taskDefinitionArn,
      desiredCount: props.desiredCount,
      enableExecuteCommand: true,
      platformVersion: PLATFORM_VERSION,
      capacityProviderStrategy: [{ capacityProvider: props.capacityProvider, weight: 1 }],
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: [props.securityGroupId],
        assignPublicIp: false,
      },
      // A task that cannot start (image, endpoints, permissions) stops the deployment and rolls it back
      // instead of restarting forever.
      deploymentCircuitBreaker: { enable: true, rollback: true },
      // The operator CLI finds tasks by the service; tags on the tasks make them attributable in billing.
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      dependsOn: props.dependsOn,
      tags: { Name: props.context.names.ecsService },
    });
  }
}
