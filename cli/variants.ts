/**
 * The two bastions the CLI drives, the stack each belongs to, and the states their compute can be in. No AWS
 * SDK here: main.ts and the permission table read these before (or without) any command loading.
 */
import type { StackName } from '../modules/config';

export const VARIANTS = ['ecs', 'ec2'] as const;
/** Which bastion: the Fargate task (ecs-bastion stack) or the EC2 instance (ec2-bastion stack). */
export type Variant = (typeof VARIANTS)[number];

/** The stack each bastion is deployed by. */
export const STACK_OF: Readonly<Record<Variant, StackName>> = { ecs: 'ecs-bastion', ec2: 'ec2-bastion' };

/**
 * What a bastion's compute is doing, as `bastion status` reports it. A list, not only a type, so the tests can
 * check every state has an expected rendering.
 */
export const BASTION_STATES = ['absent', 'parked', 'starting', 'running', 'stopping'] as const;
/** One of BASTION_STATES: `absent` nothing deployed, `parked` compute stopped, `running` a session can start. */
export type BastionState = (typeof BASTION_STATES)[number];
