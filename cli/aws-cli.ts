/**
 * The exact AWS CLI command lines sessions run through (`aws ssm start-session`, `aws ecs execute-command`),
 * as argv after `aws`, and how they are shown for --dry-run. No AWS SDK here: main.ts reads the constants for
 * its help text.
 */

/** The AWS document of `bastion connect`: a port forward from the bastion to a host in the VPC. */
export const PORT_FORWARD_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

/**
 * The ECS Exec command of `bastion shell ecs`: bash when the image has it, else sh. ECS Exec runs the
 * command without a shell, so the choice is made by `sh -c` inside the container.
 */
export const DEFAULT_ECS_SHELL = "/bin/sh -c 'command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l'";

/** Options every AWS CLI command line carries, so the CLI talks to the same account and region as the SDK. */
export interface AwsCliGlobals {
  readonly region: string;
  readonly profile?: string;
}

function globalArgs(globals: AwsCliGlobals): string[] {
  return ['--region', globals.region, ...(globals.profile ? ['--profile', globals.profile] : [])];
}

/** A port forward through the bastion: localhost:localPort → host:port. */
export interface PortForward {
  /** Session Manager target: `ecs:<cluster>_<taskId>_<runtimeId>` or an instance id. */
  readonly target: string;
  /** Remote host the bastion connects to (DNS name or IPv4). */
  readonly host: string;
  readonly port: number;
  readonly localPort: number;
}

/** `aws ssm start-session … --document-name AWS-StartPortForwardingSessionToRemoteHost` (argv after `aws`). */
export function portForwardArgs(forward: PortForward, globals: AwsCliGlobals): string[] {
  const parameters = { host: [forward.host], portNumber: [String(forward.port)], localPortNumber: [String(forward.localPort)] };
  return [
    'ssm',
    'start-session',
    '--target',
    forward.target,
    '--document-name',
    PORT_FORWARD_DOCUMENT,
    '--parameters',
    JSON.stringify(parameters),
    ...globalArgs(globals),
  ];
}

/** `aws ssm start-session --target <instance> --document-name <session document>` (argv after `aws`). */
export function ssmShellArgs(shell: { readonly instanceId: string; readonly documentName: string }, globals: AwsCliGlobals): string[] {
  return ['ssm', 'start-session', '--target', shell.instanceId, '--document-name', shell.documentName, ...globalArgs(globals)];
}

/** An ECS Exec session into a task's container. */
export interface EcsExec {
  readonly cluster: string;
  readonly taskId: string;
  readonly container: string;
  /** @default DEFAULT_ECS_SHELL */
  readonly command?: string;
}

/** `aws ecs execute-command … --interactive --command …` (argv after `aws`). */
export function ecsExecArgs(exec: EcsExec, globals: AwsCliGlobals): string[] {
  return [
    'ecs',
    'execute-command',
    '--cluster',
    exec.cluster,
    '--task',
    exec.taskId,
    '--container',
    exec.container,
    '--interactive',
    '--command',
    exec.command ?? DEFAULT_ECS_SHELL,
    ...globalArgs(globals),
  ];
}

/** Quotes one argument for a POSIX shell, only when it needs it. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_\-.,:/@%+=]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line to show or paste: `aws ssm start-session --target … --parameters '{"host":[…]}'`. */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(' ');
}
