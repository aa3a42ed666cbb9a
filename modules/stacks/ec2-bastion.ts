import type { Construct } from 'constructs';
import type { BastionConfig } from '../config';
import type { DeploymentContext } from '../context';
import { BastionFoundationStack, type BastionVariant } from './foundation';

const ec2Variant: BastionVariant = {
  stackName: 'ec2-bastion',
  description: 'An IMDSv2-only EC2 bastion on Session Manager, patched by Patch Manager.',
  interfaceServices: ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'],
  s3EndpointStatements: (context: DeploymentContext) => [
    {
      // dnf reads the Amazon Linux 2023 repositories of the region from this AWS-owned bucket.
      sid: 'AmazonLinux2023Repositories',
      actions: ['s3:GetObject'],
      resources: [`arn:${context.partition}:s3:::al2023-repos-${context.region}-de612dc2/*`],
    },
  ],
};

/** The `ec2-bastion` stack: the shared foundation plus an EC2 bastion. */
export class Ec2BastionStack extends BastionFoundationStack {
  constructor(scope: Construct, config: BastionConfig) {
    super(scope, config, ec2Variant);
  }
}
