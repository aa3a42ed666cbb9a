import type { DeploymentFacts } from '../../cli/permissions';
import type { BastionConfigInput, StackName } from '../../modules/config';
import { bastionNames, stackNames, type StackNames } from '../../modules/naming';
import { synthStack, TEST_ACCOUNT } from '../support/synth';
import { IamModel, INSTANCE_ID } from './iam-model';

/** The deployments every authorization test runs over: both stacks, in a new VPC and in an existing one. */
export const DEPLOYMENTS: readonly { readonly label: string; readonly stack: StackName; readonly input: BastionConfigInput }[] = (
  ['ecs-bastion', 'ec2-bastion'] as const
).flatMap((stack) => [
  { label: `${stack} in a new VPC`, stack, input: {} },
  {
    label: `${stack} in an existing VPC`,
    stack,
    input: {
      network: {
        mode: 'existing',
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        routeTableIds: ['rtb-0123456789abcdef0'],
      },
    },
  },
]);

export const WHERE = { partition: 'aws', region: 'eu-west-1', accountId: TEST_ACCOUNT } as const;
export const PREFIX = 'ssm-bastion';
export const TASK_ID = '0123456789abcdef0123456789abcdef';
export { INSTANCE_ID } from './iam-model';

export interface Deployment {
  readonly stack: StackName;
  readonly model: IamModel;
  readonly names: StackNames;
  /** The deployment as the CLI's permission table describes it (the session owner set per caller). */
  facts(sessionOwner: string): DeploymentFacts;
  /** ARN in this partition, region and account. */
  arn(service: string, resource: string, options?: { region?: string; account?: string }): string;
}

export function deploymentOf(stack: StackName, input: BastionConfigInput): Deployment {
  const { tf } = synthStack(stack, input);
  const model = new IamModel(tf, WHERE);
  return {
    stack,
    model,
    names: stackNames(PREFIX, WHERE.region, stack),
    facts: (sessionOwner) => ({
      ...WHERE,
      namePrefix: PREFIX,
      names: bastionNames(PREFIX),
      kmsKeyArn: model.keyArn(),
      taskId: TASK_ID,
      instanceId: INSTANCE_ID,
      sessionOwner,
    }),
    arn: (service, resource, options = {}) => `arn:aws:${service}:${options.region ?? WHERE.region}:${options.account ?? WHERE.accountId}:${resource}`,
  };
}
