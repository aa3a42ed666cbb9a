import type { Construct } from 'constructs';
import type { BastionConfig } from '../config';
import type { DeploymentContext } from '../context';
import { BastionFoundationStack, type BastionVariant } from './foundation';

const ecsVariant: BastionVariant = {
  stackName: 'ecs-bastion',
  description: 'A Fargate bastion reached with ECS Exec and Session Manager port forwarding.',
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
};

/** The `ecs-bastion` stack: the shared foundation plus a Fargate bastion. */
export class EcsBastionStack extends BastionFoundationStack {
  constructor(scope: Construct, config: BastionConfig) {
    super(scope, config, ecsVariant);
  }
}
