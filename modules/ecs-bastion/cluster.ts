import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import type { PolicyStatement } from '../iam';
import { TRANSCRIPTS } from '../naming';

/** Key prefix of ECS Exec transcripts in the session archive (the checker simulates `<prefix>*`). */
export const EXEC_S3_KEY_PREFIX = TRANSCRIPTS['ecs-bastion'].s3Prefix;

export type FargateCapacityProvider = 'FARGATE' | 'FARGATE_SPOT';

/**
 * Key policy statements that let Fargate encrypt this cluster's ephemeral task storage with the audit key,
 * limited by the encryption context to this account and cluster (the statements AWS documents for it).
 */
export function fargateStorageKeyStatements(context: DeploymentContext): PolicyStatement[] {
  const thisCluster = [
    { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:ecs:clusterAccount', values: [context.accountId] },
    { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:ecs:clusterName', values: [context.names.ecsCluster] },
  ];
  const fargate = [{ type: 'Service', identifiers: [context.servicePrincipal('fargate')] }];
  return [
    {
      sid: 'FargateEncryptsEphemeralStorageOfTheBastionCluster',
      actions: ['kms:GenerateDataKeyWithoutPlaintext'],
      resources: ['*'],
      principals: fargate,
      conditions: thisCluster,
    },
    {
      // The grant lets Fargate decrypt the data key while the task runs, and nothing else.
      sid: 'FargateDecryptsEphemeralStorageOfTheBastionCluster',
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      principals: fargate,
      conditions: [...thisCluster, { test: 'ForAllValues:StringEquals', variable: 'kms:GrantOperations', values: ['Decrypt'] }],
    },
  ];
}

export interface BastionClusterProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** ARN of the audit key: ECS Exec session encryption. */
  readonly kmsKeyArn: string;
  /** Id of the audit key: Fargate ephemeral storage encryption (aliases are not accepted there). */
  readonly kmsKeyId: string;
  /** Encrypted log group that receives ECS Exec transcripts. */
  readonly execLogGroupName: string;
  /**
   * Session archive bucket that receives ECS Exec transcripts too, under `ecs-exec/`.
   * @default - CloudWatch Logs only (the archive is off)
   */
  readonly archiveBucketName?: string;
  /** Capacity provider the service's tasks run on. */
  readonly capacityProvider: FargateCapacityProvider;
  /**
   * CloudWatch Container Insights for the cluster: task CPU, memory and restarts, and what security
   * baselines (CIS, Security Hub ECS.12) expect of every cluster.
   * @default true
   */
  readonly containerInsights?: boolean;
  /**
   * What must exist before the cluster: the Container Insights log group, so ECS writes into the encrypted one.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The ECS cluster, configured so that every ECS Exec session is encrypted with the audit key and its transcript
 * lands, encrypted, in CloudWatch Logs and the session archive; Fargate ephemeral storage uses the same key.
 */
export class BastionCluster extends Construct {
  readonly cluster: EcsCluster;
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The capacity provider association; the service must wait for it. */
  readonly capacityProviders: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: BastionClusterProps) {
    super(scope, id);
    const archive = props.archiveBucketName;
    this.cluster = new EcsCluster(this, 'cluster', {
      name: props.context.names.ecsCluster,
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: props.kmsKeyArn,
          // OVERRIDE: send transcripts where configured below instead of the task's own awslogs settings.
          logging: 'OVERRIDE',
          logConfiguration: {
            cloudWatchLogGroupName: props.execLogGroupName,
            cloudWatchEncryptionEnabled: true,
            s3BucketName: archive,
            s3BucketEncryptionEnabled: archive ? true : undefined,
            s3KeyPrefix: archive ? EXEC_S3_KEY_PREFIX : undefined,
          },
        },
        managedStorageConfiguration: { fargateEphemeralStorageKmsKeyId: props.kmsKeyId },
      },
      // On by default for the baselines' sake; one small task adds only a few metrics to the bill.
      setting: [{ name: 'containerInsights', value: (props.containerInsights ?? true) ? 'enabled' : 'disabled' }],
      dependsOn: props.dependsOn,
      tags: { Name: props.context.names.ecsCluster },
    });
    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.capacityProviders = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.cluster.name,
      // Both stay associated, so switching ecs.spot never has to detach a provider a running task still uses.
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: props.capacityProvider, weight: 1 }],
    });
  }
}
