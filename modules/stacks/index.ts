import type { Construct } from 'constructs';
import type { BastionConfig } from '../config';
import { Ec2BastionStack } from './ec2-bastion';
import { EcsBastionStack } from './ecs-bastion';

export { BastionFoundationStack, type BastionVariant } from './foundation';
export { Ec2BastionStack } from './ec2-bastion';
export { EcsBastionStack } from './ecs-bastion';
export { stackOutput } from './outputs';

/** Adds the stacks the configuration asks for to the app. */
export function addBastionStacks(app: Construct, config: BastionConfig): void {
  if (config.stacks.includes('ecs-bastion')) new EcsBastionStack(app, config);
  if (config.stacks.includes('ec2-bastion')) new Ec2BastionStack(app, config);
}
