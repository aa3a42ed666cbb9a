/**
 * Finding the EC2 bastion: the instance of the ec2-bastion stack (by its tags), which one to use when there are
 * several, and the state it and its SSM agent add up to.
 */
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { PREFIX_TAG, STACK_TAG } from '../../modules/naming';
import { awsCall } from '../aws';
import { CliError } from '../errors';
import type { BastionState } from '../variants';
import type { SsmAgentInfo } from './ssm';
import { stackFilters } from './stack-tags';

/** An instance of the ec2-bastion stack, reduced to what sessions and `bastion status` need. */
export interface Ec2Instance {
  readonly instanceId: string;
  /** pending | running | stopping | stopped */
  readonly state: string;
  readonly name?: string;
  readonly instanceType?: string;
  readonly launchTime?: Date;
  readonly privateIp?: string;
  readonly patchGroup?: string;
}

const LIVE_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** The instances of the ec2-bastion stack (by its tags), not terminated. Empty: bastion_enabled=false. */
export async function findEc2Instances(ec2: EC2Client, namePrefix: string): Promise<Ec2Instance[]> {
  const instances: Ec2Instance[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('ec2:DescribeInstances', () =>
      ec2.send(
        new DescribeInstancesCommand({
          Filters: [...stackFilters('ec2-bastion', namePrefix), { Name: 'instance-state-name', Values: LIVE_INSTANCE_STATES }],
          NextToken: nextToken,
        }),
      ),
    );
    for (const reservation of page.Reservations ?? []) {
      for (const i of reservation.Instances ?? []) {
        const tag = (key: string) => i.Tags?.find((t) => t.Key === key)?.Value;
        instances.push({
          instanceId: i.InstanceId ?? '',
          state: i.State?.Name ?? 'unknown',
          name: tag('Name'),
          instanceType: i.InstanceType,
          launchTime: i.LaunchTime,
          privateIp: i.PrivateIpAddress,
          patchGroup: tag('PatchGroup'),
        });
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return instances.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}

/** No instance carries the stack's tags: fully parked, or not deployed in this region/account. */
export function notDeployedEc2(namePrefix: string): CliError {
  return new CliError('NotDeployed', `No EC2 bastion instance found (tags ${STACK_TAG}=ec2-bastion, ${PREFIX_TAG}=${namePrefix}).`, {
    hint:
      'The ec2-bastion stack is fully parked (deployed with bastion_enabled=false) or not deployed in this region/account. ' +
      'Apply it with bastion_enabled=true, or check --region, --profile and namePrefix in the configuration.',
  });
}

/** The instance to use: the one given with --instance, else the only one. */
export function selectEc2Instance(instances: readonly Ec2Instance[], namePrefix: string, instanceId?: string): Ec2Instance {
  const list = instances.map((i) => `  ${i.instanceId}  ${i.state}`).join('\n');
  if (instanceId) {
    const found = instances.find((i) => i.instanceId === instanceId);
    if (found) return found;
    throw new CliError('NotDeployed', `Instance ${instanceId} is not an EC2 bastion of this deployment.`, {
      hint: instances.length > 0 ? `EC2 bastion instances:\n${list}` : notDeployedEc2(namePrefix).hint,
    });
  }
  if (instances.length === 0) throw notDeployedEc2(namePrefix);
  if (instances.length > 1) {
    throw new CliError('SeveralTasks', `${instances.length} EC2 bastion instances carry the tags of this deployment; choose one with --instance <id>.`, {
      hint: `EC2 bastion instances:\n${list}`,
    });
  }
  return instances[0]!;
}

/** The state of the EC2 bastion: a running instance is only `running` once its SSM agent is Online. */
export function ec2State(instance: Ec2Instance | undefined, agent: SsmAgentInfo | undefined): BastionState {
  if (!instance) return 'absent';
  switch (instance.state) {
    case 'stopped':
      return 'parked';
    case 'stopping':
      return 'stopping';
    case 'running':
      return agent?.pingStatus === 'Online' ? 'running' : 'starting';
    default:
      return 'starting';
  }
}
