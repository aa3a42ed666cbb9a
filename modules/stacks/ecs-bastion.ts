import { Fn, TerraformResource, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { AuditorPolicy } from '../auditor';
import type { BastionConfig } from '../config';
import type { DeploymentContext } from '../context';
import { EcsBastion, fargateStorageKeyStatements, portForwardCommand, shellCommand } from '../ecs-bastion';
import { StackVariable } from '../hcl';
import { TRANSCRIPTS } from '../naming';
import { forwardHost, localPortFor } from '../session-manager';
import { BastionFoundationStack, type BastionVariant } from './foundation';
import { stackOutput } from './outputs';

const ecsVariant: BastionVariant = {
  stackName: 'ecs-bastion',
  // ECS Exec talks to ssmmessages only; ssm and ec2messages are for the SSM agent of an instance.
  interfaceServices: ['ssmmessages', 'ecr.api', 'ecr.dkr', 'logs', 'kms'],
  s3EndpointStatements: (context: DeploymentContext) => [
    {
      // ECR serves image layers from this AWS-owned bucket through pre-signed URLs.
      sid: 'EcrImageLayers',
      actions: ['s3:GetObject'],
      resources: [`arn:${context.partition}:s3:::prod-${context.region}-starport-layer-bucket/*`],
    },
  ],
  // Fargate encrypts the task's ephemeral storage with the audit key (cluster managed storage configuration).
  keyPolicyStatements: fargateStorageKeyStatements,
  // Container Insights writes to a log group of a fixed name; the stack creates it encrypted, with retention.
  serviceLogGroupNames: (context, config) => (config.ecs.containerInsights ? [context.names.containerInsightsLogGroup] : []),
};

/** The `ecs-bastion` stack: the shared foundation plus a Fargate bastion. */
export class EcsBastionStack extends BastionFoundationStack {
  readonly bastion: EcsBastion;
  readonly auditorPolicy: AuditorPolicy;

  constructor(scope: Construct, config: BastionConfig) {
    super(scope, config, ecsVariant);
    const { context } = this;
    // Parking keeps the service (and cluster, roles, log groups: all free) and scales it to zero, so the operator
    // CLI still finds it and reports "parked", and unparking is an in-place update instead of a re-creation.
    // A variable, so a Terraform-only team sizes the bastion without re-synthesizing.
    const desiredCountVariable = new StackVariable(this, 'ecs_desired_count', {
      type: 'number',
      default: config.ecs.desiredCount,
      nullable: false,
      description: 'Number of bastion tasks while bastion_enabled is true (0 to 10).',
      validation: [
        {
          condition: '${var.ecs_desired_count >= 0 && var.ecs_desired_count <= 10 && floor(var.ecs_desired_count) == var.ecs_desired_count}',
          errorMessage: 'ecs_desired_count must be a whole number from 0 to 10.',
        },
      ],
    });
    const desiredCount = Token.asNumber(Fn.conditional(this.bastionEnabled.booleanValue, desiredCountVariable.numberValue, 0));
    // A task reaches ECR, S3, Logs, KMS and ssmmessages only through the endpoints and the security group
    // rules to them; started earlier, its first pull fails.
    const network = [this.interfaceEndpoints, this.s3Endpoint, this.securityGroups].flatMap((part) =>
      part ? part.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource) : [],
    );
    this.bastion = new EcsBastion(this, 'ecs', {
      context,
      ecs: config.ecs,
      audit: this.audit,
      subnetIds: this.network.subnetIds,
      securityGroupId: this.securityGroups.bastionSecurityGroupId,
      desiredCount,
      serviceDependsOn: network,
    });
    this.auditorPolicy = new AuditorPolicy(this, 'auditor-policy', {
      context,
      kmsKeyArn: this.audit.kmsKeyArn,
      transcriptLogGroupName: this.bastion.execLogGroupName,
      archive: this.audit.transcriptArchive(TRANSCRIPTS['ecs-bastion'].s3Prefix),
    });
    this.ecsOutputs(config);
  }

  private ecsOutputs(config: BastionConfig): void {
    const { bastion, context } = this;
    const commands = { region: context.region, names: context.names };
    stackOutput(this, 'ecs_cluster_name', bastion.cluster.clusterName, 'ECS cluster of the bastion (`--cluster` of aws ecs execute-command).');
    stackOutput(this, 'ecs_service_name', bastion.service.service.name, 'ECS service that runs the bastion task; desired count 0 while parked (bastion_enabled=false).');
    stackOutput(this, 'ecs_container_name', context.names.ecsContainer, 'Container to exec into (`--container` of aws ecs execute-command).');
    stackOutput(this, 'ecs_exec_log_group_name', bastion.execLogGroupName, 'Encrypted CloudWatch log group with the transcript of every ECS Exec session.');
    stackOutput(this, 'ecs_container_log_group_name', bastion.containerLogGroupName, "Encrypted CloudWatch log group with the bastion container's own output.");
    stackOutput(this, 'ecs_image_uri', bastion.image.imageUri, 'Image the bastion task runs.');
    if (bastion.image.repositoryUrl) {
      stackOutput(this, 'ecs_image_repository_url', bastion.image.repositoryUrl, 'ECR repository to push the image built from docker/ to (see docker/README.md).');
    }
    stackOutput(this, 'operator_policy_arn', bastion.operatorPolicy.policyArn, 'Managed policy to attach to the people (or SSO permission set) who may use the bastion: shell and port forwarding, nothing else.');
    stackOutput(this, 'auditor_policy_arn', this.auditorPolicy.policyArn, 'Managed policy to attach to auditors: read-only session history, ECS Exec transcripts (logs and archive) and CloudTrail events, for npx bastion sessions / transcript.');
    stackOutput(this, 'shell_command', shellCommand(commands, config.ecs.shell), 'Opens a shell in the bastion container (AWS CLI v2 + Session Manager plugin). Or: npx bastion shell ecs.');
    for (const target of config.targets) {
      stackOutput(this, `port_forward_${target.name}`, portForwardCommand(commands, target), `Forwards localhost:${localPortFor(target.port)} to ${target.name} (${forwardHost(target)}:${target.port}) through the bastion. Or: npx bastion connect ecs --target ${target.name}.`);
    }
  }
}
