import type { Construct } from 'constructs';
import type { BastionConfig, StackName } from '../config';
import { Ec2BastionStack } from './ec2-bastion';
import { EcsBastionStack } from './ecs-bastion';

export { BastionFoundationStack, type BastionVariant } from './foundation';
export { Ec2BastionStack } from './ec2-bastion';
export { EcsBastionStack } from './ecs-bastion';
export { stackOutput } from './outputs';

/** What each stack is, in one line (the hand-off module READMEs open with it). */
export const STACK_DESCRIPTIONS: Record<StackName, string> = {
  'ecs-bastion': 'A Fargate bastion reached with ECS Exec and Session Manager port forwarding.',
  'ec2-bastion': 'An IMDSv2-only EC2 bastion on Session Manager, patched by Patch Manager.',
};

/** Adds the stacks the configuration asks for to the app. */
export function addBastionStacks(app: Construct, config: BastionConfig): void {
  if (config.stacks.includes('ecs-bastion')) new EcsBastionStack(app, config);
  if (config.stacks.includes('ec2-bastion')) new Ec2BastionStack(app, config);
}
