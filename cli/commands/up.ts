/** `bastion up <variant>`: start the bastion's compute and, unless --no-wait, wait until it can take a session. */
import type { Context } from '../context';
import { EXIT } from '../errors';
import { findEc2Instances, notDeployedEc2, selectEc2Instance } from '../lookup/ec2';
import { describeEcsBastion, notDeployedEcs } from '../lookup/ecs';
import { absentError, checkVariantOptions, ensureReady, startEc2, startEcs, type WakeOptions } from '../readiness';
import { SignalRelay } from '../signals';
import type { Variant } from '../variants';

/** The options of `bastion up`. */
export interface UpOptions extends Pick<WakeOptions, 'timeout' | 'task' | 'instance'> {
  /** Wait until the agent is ready. @default true */
  readonly wait: boolean;
}

/** Runs `bastion up`: ECS desired count 1, or the instance started (no-op when already up). */
export async function up(ctx: Context, variant: Variant, options: UpOptions): Promise<number> {
  checkVariantOptions(variant, options);
  const relay = new SignalRelay(ctx.runtime.signals).attach();
  const clock = relay.interruptible(ctx.runtime.clock);
  try {
    let started: boolean;
    if (variant === 'ecs') {
      const bastion = await describeEcsBastion(ctx.clients.ecs, ctx.names);
      if (!bastion.deployed) throw await absentError(ctx, 'ecs', notDeployedEcs(bastion));
      started = await startEcs(ctx, bastion);
      if (!started) ctx.info(`The ecs bastion is already up (desired count ${bastion.desiredCount}).`);
    } else {
      const instances = await findEc2Instances(ctx.clients.ec2, ctx.config.namePrefix);
      if (instances.length === 0) throw await absentError(ctx, 'ec2', notDeployedEc2(ctx.config.namePrefix));
      const instance = selectEc2Instance(instances, ctx.config.namePrefix, options.instance);
      started = await startEc2(ctx, instance, clock);
      if (!started) ctx.info(`Instance ${instance.instanceId} is already ${instance.state}.`);
    }
    if (!options.wait) return EXIT.ok;
    const ready = await ensureReady(ctx, variant, { ...options, yes: false, started }, clock);
    ctx.info(`${ctx.style.green('✓')} The ${variant} bastion is ready (${ready.label}): \`bastion connect ${variant} --target <name>\` or \`bastion shell ${variant}\`.`);
    return EXIT.ok;
  } finally {
    relay.detach();
  }
}
