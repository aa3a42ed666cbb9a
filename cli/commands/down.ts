/**
 * `bastion down <variant>`: park the bastion's compute. The VPC endpoints stay (and cost); the full park is
 * the stack applied with bastion_enabled=false, which the message says.
 */
import { StopInstancesCommand } from '@aws-sdk/client-ec2';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { awsCall } from '../aws';
import type { Context } from '../context';
import { CliError, EXIT } from '../errors';
import { findEc2Instances, selectEc2Instance } from '../lookup/ec2';
import { describeEcsBastion, notDeployedEcs } from '../lookup/ecs';
import { checkVariantOptions, type WakeOptions } from '../readiness';
import { STACK_OF, type Variant } from '../variants';

/** Runs `bastion down`: ECS desired count 0, or the instance stopped (no-op when already parked). */
export async function down(ctx: Context, variant: Variant, options: Pick<WakeOptions, 'instance'>): Promise<number> {
  checkVariantOptions(variant, options);
  const fullPark = `The VPC endpoints keep running (and costing); apply the ${STACK_OF[variant]} stack with bastion_enabled=false for the full park.`;
  if (variant === 'ecs') {
    const bastion = await describeEcsBastion(ctx.clients.ecs, ctx.names);
    if (!bastion.deployed) throw notDeployedEcs(bastion);
    if (bastion.desiredCount === 0) {
      ctx.info(`The ecs bastion is already parked (service ${bastion.service} has desired count 0).`);
      return EXIT.ok;
    }
    await awsCall('ecs:UpdateService', () =>
      ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: bastion.cluster, service: bastion.service, desiredCount: 0 })),
    );
    ctx.info(`Parked: desired count of service ${bastion.service} set to 0; its task stops within a minute. ${fullPark}`);
    return EXIT.ok;
  }
  const instance = selectEc2Instance(await findEc2Instances(ctx.clients.ec2, ctx.config.namePrefix), ctx.config.namePrefix, options.instance);
  if (instance.state === 'stopped' || instance.state === 'stopping') {
    ctx.info(`The ec2 bastion is already parked (instance ${instance.instanceId} is ${instance.state}).`);
    return EXIT.ok;
  }
  // EC2 refuses to stop an instance in some states (IncorrectInstanceState), e.g. one still starting: say so and when to
  // retry, rather than print EC2's error. https://docs.aws.amazon.com/ec2/latest/devguide/errors-overview.html
  const refused = await awsCall(
    'ec2:StopInstances',
    () => ctx.clients.ec2.send(new StopInstancesCommand({ InstanceIds: [instance.instanceId] })).then(() => false),
    { IncorrectInstanceState: () => true },
  );
  if (refused) {
    throw new CliError('Aws', `EC2 cannot stop instance ${instance.instanceId} while it is ${instance.state}.`, {
      hint: 'Run `bastion down ec2` again once `bastion status ec2` shows it running.',
    });
  }
  ctx.info(`Parked: stopping instance ${instance.instanceId}. ${fullPark}`);
  return EXIT.ok;
}
