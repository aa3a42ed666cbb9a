/**
 * How the CLI finds a stack's EC2-API resources (instances, VPC endpoints): by the stack and name-prefix tags
 * that modules/naming gives every resource of a stack.
 */
import type { Filter } from '@aws-sdk/client-ec2';
import type { StackName } from '../../modules/config';
import { PREFIX_TAG, STACK_TAG } from '../../modules/naming';

/** The Describe* filters matching the resources of one stack of one deployment. */
export function stackFilters(stack: StackName, namePrefix: string): Filter[] {
  return [
    { Name: `tag:${STACK_TAG}`, Values: [stack] },
    { Name: `tag:${PREFIX_TAG}`, Values: [namePrefix] },
  ];
}
