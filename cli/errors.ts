/**
 * Errors the operator sees. Every failure the CLI knows about becomes a CliError with a one-line message
 * (what went wrong) and a hint (what to do about it); SDK errors are translated here, in one place.
 */

/** Process exit codes of `bastion`. */
export const EXIT = {
  ok: 0,
  /** Runtime error: AWS said no, the bastion is not there, a session failed. */
  error: 1,
  /** Usage error: bad flag, missing argument, unknown target. */
  usage: 2,
  /** Ended by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** Machine-readable kind of a CliError (stable: tests and `--json` consumers match on it). */
export type CliErrorCode =
  | 'Usage'
  | 'Config'
  | 'MissingTool'
  | 'NoCredentials'
  | 'ExpiredCredentials'
  | 'InvalidCredentials'
  | 'AccessDenied'
  | 'Network'
  | 'NotDeployed'
  | 'Parked'
  | 'EndpointsParked'
  | 'NoTask'
  | 'SeveralTasks'
  | 'AgentNotRunning'
  | 'Timeout'
  | 'PortInUse'
  | 'SessionFailed'
  | 'NoTranscript'
  | 'Archived'
  | 'Aws'
  | 'Interrupted'
  | 'Internal';

export interface CliErrorOptions {
  /** What the operator can do about it (may span several lines). */
  readonly hint?: string;
  /** @default EXIT.error */
  readonly exitCode?: number;
  readonly cause?: unknown;
}

export class CliError extends Error {
  readonly hint?: string;
  readonly exitCode: number;

  constructor(
    readonly code: CliErrorCode,
    message: string,
    options: CliErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.error;
  }
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The shell convention: 128 + signal number (Ctrl-C: 130). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 15);
}

/** Ctrl-C (or SIGTERM/SIGHUP) while waiting or prompting: ends the command quietly with 128 + the signal. */
export function interruptedError(signal: NodeJS.Signals = 'SIGINT'): CliError {
  return new CliError('Interrupted', `Interrupted (${signal}).`, { exitCode: signalExitCode(signal) });
}

/** A command line that cannot work as written (exit code 2). */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super('Usage', message, { hint, exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}

/**
 * Where the operator finds the permissions the CLI needs. The stacks publish a least-privilege operator
 * policy as a Terraform output; attaching it (or its statements) to the operator's role is the fix.
 */
export const OPERATOR_POLICY_HINT =
  "Attach the operator policy named by the stack output `operator_policy_arn` (`cdktf output <stack>` or `terraform output operator_policy_arn`) to your role or SSO permission set, or ask your AWS administrator to grant the action.";

/**
 * The same for the read-only commands (`sessions`, `transcript`): the stacks publish an auditor policy, which
 * allows exactly their reads.
 */
export const AUDITOR_POLICY_HINT =
  "Attach the auditor policy named by the stack output `auditor_policy_arn` (`cdktf output <stack>` or `terraform output auditor_policy_arn`) to your role or SSO permission set: it is read-only and allows what `bastion sessions` and `bastion transcript` read. Or ask your AWS administrator to grant the action.";

export const PROFILE_HINT =
  'Configure credentials with `aws configure sso` (or `aws configure`), then pass --profile <name> or set AWS_PROFILE; check with `aws sts get-caller-identity`.';

const ACCESS_DENIED_NAMES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'NotAuthorized',
]);
const EXPIRED_NAMES = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID_CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AuthFailure',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** The IAM action named in an AccessDenied message ("... is not authorized to perform: ecs:DescribeTasks on ..."). */
export function parseDeniedAction(message: string): string | undefined {
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
}

/** The principal named in an AccessDenied message ("User: arn:aws:sts::1:assumed-role/x/y is not authorized ..."). */
export function parseDeniedPrincipal(message: string): string | undefined {
  return /User:\s+(arn:[^\s]+)\s+is not authorized/.exec(message)?.[1];
}

/** `policyHint` says which of the stacks' policies grants the action (the operator's, or the auditor's). */
export function accessDenied(action: string, principal?: string, detail?: string, policyHint: string = OPERATOR_POLICY_HINT): CliError {
  const who = principal ? `${principal} is` : 'Your AWS identity is';
  return new CliError('AccessDenied', `Access denied: ${who} not allowed to call ${action}${detail ? ` (${detail})` : ''}.`, {
    hint: `Missing IAM action: ${action}. ${policyHint}`,
  });
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.Code === 'string') return e.Code;
    if (typeof e.code === 'string') return e.code;
  }
  return 'Error';
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}

/**
 * Translates an error thrown by an AWS SDK call into a CliError. `action` is the IAM action of the call
 * (e.g. `ecs:DescribeTasks`): used when AWS's message does not name the denied action itself. `policyHint`
 * names the policy that grants it.
 */
export function fromAwsError(error: unknown, action: string, policyHint: string = OPERATOR_POLICY_HINT): CliError {
  if (error instanceof CliError) return error;
  const name = errorName(error);
  const message = errorMessage(error);
  const syscallCode = (error as { code?: unknown } | undefined)?.code;

  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    if (/expired|refresh/i.test(message)) {
      return new CliError('ExpiredCredentials', `Your AWS credentials have expired: ${message}`, {
        hint: 'Log in again, e.g. `aws sso login --profile <name>`, then retry.',
        cause: error,
      });
    }
    return new CliError('NoCredentials', 'No AWS credentials found (checked --profile/AWS_PROFILE, environment variables, SSO, the shared config files and instance roles).', {
      hint: PROFILE_HINT,
      cause: error,
    });
  }
  if (EXPIRED_NAMES.has(name) || /security token included in the request is expired/i.test(message)) {
    return new CliError('ExpiredCredentials', `Your AWS credentials have expired (${name}).`, {
      hint: 'Log in again, e.g. `aws sso login --profile <name>`, or refresh your temporary keys, then retry.',
      cause: error,
    });
  }
  if (INVALID_CREDENTIAL_NAMES.has(name)) {
    return new CliError('InvalidCredentials', `AWS rejected your credentials (${name}): ${message}`, {
      hint: `The access key is unknown, disabled or for another partition. ${PROFILE_HINT}`,
      cause: error,
    });
  }
  if (ACCESS_DENIED_NAMES.has(name) || /not authorized to perform/i.test(message)) {
    return accessDenied(parseDeniedAction(message) ?? action, parseDeniedPrincipal(message), undefined, policyHint);
  }
  if (name === 'TimeoutError' || (typeof syscallCode === 'string' && NETWORK_CODES.has(syscallCode))) {
    return new CliError('Network', `Could not reach the AWS API for ${action}: ${message}`, {
      hint: 'Check your network, VPN or proxy (HTTPS_PROXY), and that --region names a region that exists.',
      cause: error,
    });
  }
  return new CliError('Aws', `${action} failed: ${name}: ${message}`, { cause: error });
}

/** The CliError for anything thrown (unknown errors keep their message; they are bugs, not operator mistakes). */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error && typeof error === 'object' && (error as { name?: unknown }).name === 'ConfigError') {
    return new CliError('Config', errorMessage(error).replace(/\nNothing was synthesized\.[^\n]*/, ''), {
      hint: 'Fix bastion.config.json (or the file given by --config / BASTION_CONFIG); the allowed keys are in bastion.config.schema.json.',
      cause: error,
    });
  }
  return new CliError('Internal', errorMessage(error), { cause: error });
}
