/**
 * `bastion`: the operator CLI of ssm-bastion. This file wires the commands to commander; what they do is in
 * commands/ (one file per operator command), for auditors in sessions.ts and transcript.ts, and preflight in
 * preflight.ts. Exit codes: 0 ok, 1 runtime error, 2 usage error, 128 + the signal (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
 */
import { spawn } from 'node:child_process';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { version } from '../package.json';
import { DEFAULT_ECS_SHELL, PORT_FORWARD_DOCUMENT } from './aws-cli';
import { realClock } from './clock';
// Type-only: the context and the commands (and with them the AWS SDK and the configuration schema) load when a
// command runs, so `--help` and usage errors answer at once.
import type { ValidationOptions } from '../modules/config';
import type { Context, GlobalOptions, Runtime } from './context';
import { EXIT, toCliError } from './errors';
import { colorEnabled, createStyle, formatError, terminalConfirm } from './output';
import { localPorts } from './ports';
import type { SpawnFn } from './spawn';
import { createWhich } from './tools';
import { type Variant, VARIANTS } from './variants';

// Each command's module, loaded on first use. require, not import(): under bin/bastion.js only tsx's CommonJS
// hook is registered, and a dynamic import() would go to Node's ESM resolver, which does not find extensionless
// .ts files. The auditor's commands bring the S3, Logs and CloudTrail SDKs, preflight the VPC checks.
const load = {
  context: () => require('./context') as typeof import('./context'),
  connect: () => require('./commands/connect') as typeof import('./commands/connect'),
  shell: () => require('./commands/shell') as typeof import('./commands/shell'),
  up: () => require('./commands/up') as typeof import('./commands/up'),
  down: () => require('./commands/down') as typeof import('./commands/down'),
  status: () => require('./commands/status') as typeof import('./commands/status'),
  sessions: () => require('./sessions') as typeof import('./sessions'),
  transcript: () => require('./transcript') as typeof import('./transcript'),
  preflight: () => require('./preflight') as typeof import('./preflight'),
};

/** How far back `bastion sessions` looks without --since. */
const DEFAULT_SINCE = '7d';

/** The real process, terminal, PATH, clock and ports. */
export function defaultRuntime(): Runtime {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    which: createWhich(process.env),
    spawn: ((command, args, options) => spawn(command, [...args], { stdio: options.stdio })) satisfies SpawnFn,
    signals: process,
    clock: realClock,
    confirm: terminalConfirm,
    ports: localPorts,
  };
}

function parsePort(allowZero: boolean) {
  return (value: string): number => {
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > 65535 || (port === 0 && !allowZero)) {
      throw new InvalidArgumentError(`must be a port number from ${allowZero ? 0 : 1} to 65535.`);
    }
    return port;
  };
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1) throw new InvalidArgumentError('must be a whole number of seconds, at least 1.');
  return seconds;
}

const variantArgument = () =>
  new Argument('<variant>', 'which bastion: "ecs" (Fargate task, ECS Exec) or "ec2" (instance, Session Manager)').choices(VARIANTS);

/** Options shared by the commands that may have to start the bastion and wait for it. */
function addWakeOptions(command: Command): Command {
  return command
    .option('-y, --yes', 'start the bastion without asking when it is parked (needed without a terminal)')
    .addOption(new Option('--wake', 'same as --yes').hideHelp())
    .option('--task <id>', 'ecs: the task to use when the service runs several')
    .option('--instance <id>', 'ec2: the instance to use when several carry the stack tags')
    .option('--timeout <seconds>', 'how long to wait for the agent to be ready', parseSeconds, 300);
}

interface WakeFlags {
  readonly yes?: boolean;
  readonly wake?: boolean;
  readonly task?: string;
  readonly instance?: string;
  readonly timeout: number;
}

const wakeOptions = (o: WakeFlags) => ({ yes: o.yes === true || o.wake === true, task: o.task, instance: o.instance, timeout: o.timeout });

const EXAMPLES = `
Examples:
  $ bastion connect ecs --target aurora          # localhost:5432 -> the Aurora writer, through the Fargate bastion
  $ bastion connect ec2 --host db.internal --port 5432 --local-port 15432
  $ bastion shell ecs                            # ECS Exec into the task
  $ bastion up ec2 && bastion status ec2
  $ bastion status --json | jq .ecs.state
  $ bastion sessions --since 30d --user alice     # auditors: who opened which session, when, to what
  $ bastion transcript alice-0a1b2c3d4e5f67890    # what was typed and printed in one session
  $ bastion preflight                            # before the first deploy: what the VPC would collide with

The bastion is found by the names and tags of bastion.config.json (namePrefix, region); --config, --region and
--profile choose another configuration, region or AWS profile. Sessions run through the AWS CLI and the
session-manager-plugin, which must be on PATH.`;

/** The commander program; `run` gets the exit code through `setExitCode`. */
export function buildProgram(runtime: Runtime, setExitCode: (code: number) => void, contexts: Context[]): Command {
  const stderrStyle = createStyle(colorEnabled(runtime.stderr, runtime.env, undefined));
  const program = new Command('bastion')
    .description('Private, audited access into the VPC through the ssm-bastion stacks: port forwarding, shells, start/stop and status; session history and transcripts for auditors; a preflight before the first deploy.')
    .version(version, '-V, --version')
    .option('--region <region>', 'AWS region of the stacks (default: "region" of the configuration)')
    .option('--profile <profile>', 'AWS profile for the SDK and the AWS CLI (default: AWS_PROFILE / the default chain)')
    .option('--config <file>', 'configuration file (default: $BASTION_CONFIG, else ./bastion.config.json)')
    .option('--no-color', 'no colours (they are only used on a terminal anyway; NO_COLOR is honoured)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => runtime.stdout.write(text),
      writeErr: (text) => runtime.stderr.write(text),
      outputError: (text, write) => write(stderrStyle.red(text)),
    })
    .addHelpText('after', EXAMPLES);

  /** The Context of the command that runs, kept so `run` can close its clients. */
  const contextOf = (command: Command, validation?: ValidationOptions): Context => {
    const ctx = load.context().createContext(runtime, command.optsWithGlobals<GlobalOptions>(), validation);
    contexts.push(ctx);
    return ctx;
  };

  addWakeOptions(
    program
      .command('connect')
      .description(
        `Forward a local port to a host in the VPC (${PORT_FORWARD_DOCUMENT}). Starts a parked bastion (after asking), waits for its agent, and reconnects when the session drops.`,
      )
      .addArgument(variantArgument())
      .option('-t, --target <name>', 'a targets[] entry of the configuration (its host and port)')
      .option('--host <host>', 'remote host (DNS name or IP); overrides the target\'s host')
      .option('-p, --port <port>', 'remote port; overrides the target\'s port', parsePort(false))
      .option('-l, --local-port <port>', 'local port (0: any free port; default: the remote port if free, else any free port)', parsePort(true))
      .option('--no-reconnect', 'end when the session ends instead of reconnecting')
      .option('--dry-run', 'resolve the bastion and print the AWS CLI command instead of running it'),
  ).action(async (variant: Variant, options: WakeFlags & { target?: string; host?: string; port?: number; localPort?: number; reconnect: boolean; dryRun?: boolean }, command: Command) => {
    const connect = load.connect();
    setExitCode(
      await connect.connect(contextOf(command), variant, {
        ...wakeOptions(options),
        target: options.target,
        host: options.host,
        port: options.port,
        localPort: options.localPort,
        reconnect: options.reconnect,
        dryRun: options.dryRun,
      }),
    );
  });

  addWakeOptions(
    program
      .command('shell')
      .description('Open a shell on the bastion: ECS Exec into the task, or a Session Manager shell with the stack\'s session document.')
      .addArgument(variantArgument())
      .option('--command <command>', `ecs: command to run (default: ${DEFAULT_ECS_SHELL})`)
      .option('--dry-run', 'resolve the bastion and print the AWS CLI command instead of running it'),
  ).action(async (variant: Variant, options: WakeFlags & { command?: string; dryRun?: boolean }, command: Command) => {
    const shell = load.shell();
    setExitCode(await shell.shell(contextOf(command), variant, { ...wakeOptions(options), command: options.command, dryRun: options.dryRun }));
  });

  program
    .command('up')
    .description('Start the bastion\'s compute (ECS desired count 1, or start the instance) and wait until its agent is ready.')
    .addArgument(variantArgument())
    .option('--no-wait', 'return once the start is requested')
    .option('--task <id>', 'ecs: the task to wait for when the service runs several')
    .option('--instance <id>', 'ec2: the instance when several carry the stack tags')
    .option('--timeout <seconds>', 'how long to wait for the agent to be ready', parseSeconds, 300)
    .action(async (variant: Variant, options: { wait: boolean; task?: string; instance?: string; timeout: number }, command: Command) => {
      const up = load.up();
      setExitCode(await up.up(contextOf(command), variant, options));
    });

  program
    .command('down')
    .description('Park the bastion\'s compute (ECS desired count 0, or stop the instance). The full park is bastion_enabled=false.')
    .addArgument(variantArgument())
    .option('--instance <id>', 'ec2: the instance when several carry the stack tags')
    .action(async (variant: Variant, options: { instance?: string }, command: Command) => {
      const down = load.down();
      setExitCode(await down.down(contextOf(command), variant, options));
    });

  program
    .command('status')
    .description('Show both bastions (or one): running or parked, task/instance, agent, endpoints, session document, patch compliance.')
    .addArgument(new Argument('[variant]', 'only this bastion: "ecs" or "ec2"').choices(VARIANTS))
    .option('--json', 'machine-readable output')
    .action(async (variant: Variant | undefined, options: { json?: boolean }, command: Command) => {
      const status = load.status();
      setExitCode(await status.status(contextOf(command), variant, options));
    });

  program
    .command('sessions')
    .description(
      "Auditors: recent and active sessions on this deployment's bastions (ECS Exec included): who, which bastion, what (shell, ECS Exec, port forward host:port), start, end, duration, status; newest first.",
    )
    .addArgument(new Argument('[variant]', 'only this bastion: "ecs" or "ec2"').choices(VARIANTS))
    .option('--since <age|date>', 'sessions started since an age (30m, 24h, 7d, 2w) or a UTC date or time (2026-03-01, 2026-03-01T09:30Z)', DEFAULT_SINCE)
    .option('--user <text>', 'only sessions whose principal (ARN, user or role session name) contains this text')
    .option('--active', 'only sessions that are still open')
    .option('--no-cloudtrail', 'skip the CloudTrail lookups (then port-forward host:port and the ECS Exec caller and command stay unknown)')
    .option('--json', 'one JSON document, dates in ISO 8601 UTC')
    .action(async (variant: Variant | undefined, options: { since: string; user?: string; active?: boolean; cloudtrail: boolean; json?: boolean }, command: Command) => {
      const sessions = load.sessions();
      setExitCode(await sessions.sessions(contextOf(command), variant, options));
    });

  program
    .command('transcript')
    .description(
      'Auditors: print what was typed and shown in a session, from CloudWatch Logs or else the S3 archive, and where CloudTrail holds its authoritative record. Port forwards record no keystrokes: it says what is recorded instead.',
    )
    .argument('<session-id>', 'a session id from `bastion sessions`, e.g. alice-0a1b2c3d4e5f67890 or ecs-execute-command-0a1b2c3d4e5f67890')
    .option('--raw', 'print the transcript exactly as recorded, terminal escape sequences included (default: shown safely)')
    .option('--json', 'one JSON document: the session, where the transcript came from, its events and text')
    .action(async (sessionId: string, options: { raw?: boolean; json?: boolean }, command: Command) => {
      const transcript = load.transcript();
      setExitCode(await transcript.transcript(contextOf(command), sessionId, options));
    });

  program
    .command('preflight')
    .description(
      'Before the first deploy: read the VPC (existing mode) or the region\'s zones (create mode) and report what the deploy would collide with, then print the network/endpoints settings that fit. Exit 1 on any blocker.',
    )
    .addArgument(new Argument('[variant]', 'only this stack: "ecs" or "ec2" (default: the stacks of the configuration)').choices(VARIANTS))
    .option('--json', 'machine-readable output')
    .action(async (variant: Variant | undefined, options: { json?: boolean }, command: Command) => {
      const preflight = load.preflight();
      // Both stacks creating the same endpoints in one VPC is what preflight reports and fixes: it reads such a
      // configuration instead of refusing it.
      setExitCode(await preflight.preflight(contextOf(command, { allowSharedVpcEndpoints: true }), variant, options));
    });

  return program;
}

/** Runs the CLI with `argv` (without node and the script) and resolves with the exit code. */
export async function run(argv: readonly string[], runtime: Runtime = defaultRuntime()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const contexts: Context[] = [];
  const program = buildProgram(runtime, (code) => (exitCode = code), contexts);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; a bare `bastion` shows the help as a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const cliError = toCliError(error);
    if (cliError.code !== 'Interrupted') {
      const globals = program.opts<GlobalOptions>();
      runtime.stderr.write(formatError(cliError, createStyle(colorEnabled(runtime.stderr, runtime.env, globals.color))));
    }
    return cliError.exitCode;
  } finally {
    for (const ctx of contexts) ctx.clients.destroy();
  }
}

/** Entry point of bin/bastion.js. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  void run(argv).then((code) => {
    // Exit explicitly: a pending backoff timer or keep-alive socket must not hold the process after Ctrl-C.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}
