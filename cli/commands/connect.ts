/**
 * `bastion connect <variant>`: forward a local port to a host in the VPC through the bastion, starting a
 * parked bastion (after asking) and reconnecting when the session drops.
 */
import type { TargetConfig } from '../../modules/config';
import { formatCommand, portForwardArgs } from '../aws-cli';
import type { Context } from '../context';
import { EXIT, UsageError } from '../errors';
import { chooseLocalPort } from '../ports';
import { checkVariantOptions, ensureReady, type SessionTarget, type WakeOptions } from '../readiness';
import { sessionLoop } from '../reconnect';
import { SignalRelay } from '../signals';
import { runSession } from '../spawn';
import { requireTools } from '../tools';
import type { Variant } from '../variants';

/** The options of `bastion connect`. */
export interface ConnectOptions extends WakeOptions {
  /** A `targets[]` entry of the configuration. */
  readonly target?: string;
  readonly host?: string;
  readonly port?: number;
  /** 0: any free port. @default - the remote port if free, else any free port */
  readonly localPort?: number;
  /** false with --no-reconnect. */
  readonly reconnect: boolean;
  /** Print the AWS CLI command instead of running it. */
  readonly dryRun?: boolean;
}

/** The far end of the port forward. */
export interface Remote {
  readonly host: string;
  readonly port: number;
  readonly name?: string;
}

/** The remote end from --target (the configuration's targets[]) and/or --host/--port (which win). */
export function resolveRemote(targets: readonly TargetConfig[], options: Pick<ConnectOptions, 'target' | 'host' | 'port'>): Remote {
  let target: TargetConfig | undefined;
  if (options.target) {
    target = targets.find((t) => t.name === options.target);
    if (!target) {
      throw new UsageError(
        `Unknown target "${options.target}".`,
        targets.length > 0
          ? `Targets in the configuration: ${targets.map((t) => `${t.name} (port ${t.port})`).join(', ')}.`
          : 'The configuration has no targets[]; add one to bastion.config.json or pass --host <host> --port <port>.',
      );
    }
  }
  const host = options.host ?? target?.host;
  const port = options.port ?? target?.port;
  if (!host) {
    throw new UsageError(
      target ? `Target "${target.name}" has no host in the configuration.` : 'Say where to connect: --target <name>, or --host <host> --port <port>.',
      target ? `Add "host" (e.g. the RDS endpoint) to targets[] "${target.name}" in bastion.config.json, or pass --host <host>.` : undefined,
    );
  }
  if (port === undefined) throw new UsageError('--host needs --port <port> (or use --target <name>).');
  return { host, port, name: target?.name };
}

/** Runs `bastion connect`; resolves with the exit code (130 after Ctrl-C). */
export async function connect(ctx: Context, variant: Variant, options: ConnectOptions): Promise<number> {
  checkVariantOptions(variant, options);
  const remote = resolveRemote(ctx.config.targets, options);
  const { runtime } = ctx;
  if (!options.dryRun) requireTools(runtime.which);
  const local = await chooseLocalPort(options.localPort, remote.port, runtime.ports);
  if (local.note) ctx.info(ctx.style.yellow(`Note: ${local.note}.`));

  const relay = new SignalRelay(runtime.signals).attach();
  const clock = relay.interruptible(runtime.clock);
  try {
    const first = await ensureReady(ctx, variant, options, clock);
    const argsFor = (session: SessionTarget) =>
      portForwardArgs({ target: session.target, host: remote.host, port: remote.port, localPort: local.port }, ctx.awsCli);
    if (options.dryRun) {
      runtime.stdout.write(`${formatCommand('aws', argsFor(first))}\n`);
      return EXIT.ok;
    }
    return await sessionLoop(
      async (attempt) => {
        const session = attempt === 1 ? first : await ensureReady(ctx, variant, options, clock);
        ctx.info(
          `${ctx.style.green('→')} localhost:${local.port} → ${remote.host}:${remote.port} through the ${variant} bastion (${session.label}). ` +
            `Press Ctrl-C to stop.`,
        );
        return runSession(argsFor(session), { spawn: runtime.spawn, relay, clock: runtime.clock, teeStderr: runtime.stderr });
      },
      { reconnect: options.reconnect, clock: runtime.clock, relay, log: (message) => ctx.info(ctx.style.yellow(message)) },
    );
  } finally {
    relay.detach();
  }
}
