/**
 * `bastion shell <variant>`: an interactive shell on the bastion, ECS Exec into the task or a Session
 * Manager shell with the stack's logged session document.
 */
import { ecsExecArgs, formatCommand, ssmShellArgs } from '../aws-cli';
import type { Context } from '../context';
import { CliError, EXIT, signalExitCode, UsageError } from '../errors';
import { checkVariantOptions, ensureReady, type WakeOptions } from '../readiness';
import { SignalRelay } from '../signals';
import { runSession } from '../spawn';
import { requireTools } from '../tools';
import type { Variant } from '../variants';

/** The options of `bastion shell`. */
export interface ShellOptions extends WakeOptions {
  /** ECS only: the command to run instead of the login shell. */
  readonly command?: string;
  readonly dryRun?: boolean;
}

/** Runs `bastion shell`; resolves with the exit code (the shell's failure is a SessionFailed error). */
export async function shell(ctx: Context, variant: Variant, options: ShellOptions): Promise<number> {
  checkVariantOptions(variant, options);
  if (variant === 'ec2' && options.command) {
    throw new UsageError('--command applies to the ecs bastion; the ec2 shell runs the stack\'s session document.');
  }
  const { runtime } = ctx;
  if (!options.dryRun) requireTools(runtime.which);
  const relay = new SignalRelay(runtime.signals).attach();
  try {
    const session = await ensureReady(ctx, variant, options, relay.interruptible(runtime.clock));
    const args =
      variant === 'ecs'
        ? ecsExecArgs({ cluster: ctx.names.ecsCluster, taskId: session.taskId!, container: ctx.names.ecsContainer, command: options.command }, ctx.awsCli)
        : ssmShellArgs({ instanceId: session.instanceId!, documentName: ctx.names.sessionDocument }, ctx.awsCli);
    if (options.dryRun) {
      runtime.stdout.write(`${formatCommand('aws', args)}\n`);
      return EXIT.ok;
    }
    if (relay.received) return signalExitCode(relay.received);
    ctx.info(`${ctx.style.green('→')} Shell on the ${variant} bastion (${session.label}); \`exit\` ends it.`);
    const result = await runSession(args, { spawn: runtime.spawn, relay, clock: runtime.clock });
    if (relay.received) return signalExitCode(relay.received);
    if (result.signal) return signalExitCode(result.signal);
    if (result.code === 0) return EXIT.ok;
    throw new CliError('SessionFailed', `${variant === 'ecs' ? 'aws ecs execute-command' : 'aws ssm start-session'} exited with code ${result.code}.`, {
      hint: 'See the AWS CLI message above; `bastion status` shows whether the bastion and its endpoints are up.',
    });
  } finally {
    relay.detach();
  }
}
