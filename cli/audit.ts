/**
 * What the auditor's commands (`bastion sessions`, `bastion transcript`) share: where each stack records
 * sessions, what a Session Manager document says about a session, whom an owner ARN names, time formats, and
 * AWS calls whose AccessDenied points at the auditor policy.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { BastionConfig } from '../modules/config';
import { stackNames, TRANSCRIPTS } from '../modules/naming';
import { awsCall } from './aws';
import type { Context } from './context';
import { AUDITOR_POLICY_HINT, CliError, UsageError } from './errors';
import { STACK_OF, type Variant } from './variants';
import { PORT_FORWARD_DOCUMENT } from './aws-cli';

/** The document ECS uses for every ECS Exec session. */
export const ECS_EXEC_DOCUMENT = 'AmazonECS-ExecuteInteractiveCommand';
/** ECS names ECS Exec sessions `ecs-execute-command-<suffix>`; Session Manager names others `<caller>-<suffix>`. */
export const ECS_EXEC_SESSION_PREFIX = 'ecs-execute-command-';
/** The account's default shell preferences document (a session without --document-name). */
export const DEFAULT_SHELL_DOCUMENT = 'SSM-SessionManagerRunShell';
/** Port sessions: the agent relays bytes and records none of them (no transcript, by design). */
export const TUNNEL_DOCUMENTS: readonly string[] = [PORT_FORWARD_DOCUMENT, 'AWS-StartPortForwardingSession', 'AWS-StartSSHSession'];

/** shell (a logged Standard_Stream session), ECS Exec, a port forward or SSH tunnel, or another document. */
export type SessionKind = 'shell' | 'ecs-exec' | 'port-forward' | 'other';

export function sessionKind(document: string | undefined, sessionDocument: string): SessionKind {
  if (document === ECS_EXEC_DOCUMENT) return 'ecs-exec';
  if (document && TUNNEL_DOCUMENTS.includes(document)) return 'port-forward';
  if (document === sessionDocument || document === DEFAULT_SHELL_DOCUMENT) return 'shell';
  return 'other';
}

/** AWS calls of the auditor's commands: an AccessDenied names the action and the auditor policy. */
export function auditCall<T, R = never>(action: string, send: () => Promise<T>, expected: Readonly<Record<string, () => R>> = {}): Promise<T | R> {
  return awsCall(action, send, expected, AUDITOR_POLICY_HINT);
}

// ---------------------------------------------------------------------------------------------- places

/** Where one stack records transcripts, from the configuration (the same names the stack gives them). */
export interface TranscriptStore {
  readonly variant: Variant;
  /** CloudWatch log group with a stream per session, named after the session id. */
  readonly logGroup: string;
  /** Archive bucket, given the account id; undefined when `audit.s3Archive` is false. */
  readonly bucket?: (accountId: string) => string;
  /** Archive key prefix: objects are `<prefix><session-id>.log`. */
  readonly prefix: string;
  /** Retention of the log group in the configuration (the Terraform variable log_retention_days may differ). */
  readonly retentionDays: number;
}

export function transcriptStore(config: BastionConfig, variant: Variant): TranscriptStore {
  const stack = STACK_OF[variant];
  const names = stackNames(config.namePrefix, config.region, stack);
  return {
    variant,
    logGroup: names.logGroup(TRANSCRIPTS[stack].logPurpose),
    bucket: config.audit.s3Archive ? names.auditBucket : undefined,
    prefix: TRANSCRIPTS[stack].s3Prefix,
    retentionDays: config.audit.logRetentionDays,
  };
}

/** The account of the archive bucket's name: the configured one, else the caller's (STS needs no permission). */
export async function accountIdOf(ctx: Context): Promise<string> {
  if (ctx.config.accountId) return ctx.config.accountId;
  const identity = await auditCall('sts:GetCallerIdentity', () => ctx.clients.sts.send(new GetCallerIdentityCommand({})));
  if (!identity.Account) throw new CliError('Aws', 'sts:GetCallerIdentity returned no account id.');
  return identity.Account;
}

/** The parts of an ECS Exec / ECS port-forward target `ecs:<cluster>_<taskId>_<runtimeId>`. */
export function ecsTarget(target: string): { cluster: string; taskId: string; runtimeId: string } | undefined {
  if (!target.startsWith('ecs:')) return undefined;
  // Task and runtime ids have no underscore; a cluster name may, so it is everything before the last two.
  const parts = target.slice(4).split('_');
  if (parts.length < 3) return undefined;
  const runtimeId = parts.pop()!;
  const taskId = parts.pop()!;
  return { cluster: parts.join('_'), taskId, runtimeId };
}

/** Which kind of bastion a Session Manager target is: an ECS task, or an instance (EC2 or hybrid). */
export function variantOfTarget(target: string | undefined): Variant | undefined {
  if (!target) return undefined;
  if (target.startsWith('ecs:')) return 'ecs';
  return /^m?i-[0-9a-f]+$/.test(target) ? 'ec2' : undefined;
}

// ---------------------------------------------------------------------------------------------- principals

/** Who a session owner ARN names. */
export interface Principal {
  readonly type: 'iam-user' | 'identity-center' | 'assumed-role' | 'federated-user' | 'root' | 'unknown';
  /** User name, Identity Center user (role session name) or role session name. */
  readonly name: string;
  readonly role?: string;
  /** Identity Center permission set (from the AWSReservedSSO_<set>_<hash> role). */
  readonly permissionSet?: string;
  /** For tables: `alice`, `alice@example.com (SSO AdministratorAccess)`, `deploy-role/ci`. */
  readonly label: string;
}

const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;

export function principalOf(arn: string | undefined): Principal {
  if (!arn) return { type: 'unknown', name: '', label: '?' };
  const resource = /^arn:[^:]+:(?:iam|sts)::\d{12}:(.+)$/.exec(arn)?.[1];
  if (resource === 'root') return { type: 'root', name: 'root', label: 'root' };
  const [kind, ...rest] = (resource ?? '').split('/');
  if (kind === 'user' && rest.length > 0) return { type: 'iam-user', name: rest.at(-1)!, label: rest.at(-1)! };
  if (kind === 'federated-user' && rest.length > 0) return { type: 'federated-user', name: rest[0]!, label: `${rest[0]} (federated)` };
  if (kind === 'assumed-role' && rest.length >= 2) {
    const role = rest[0]!;
    const name = rest.slice(1).join('/');
    const permissionSet = SSO_ROLE.exec(role)?.[1];
    if (permissionSet) return { type: 'identity-center', name, role, permissionSet, label: `${name} (SSO ${permissionSet})` };
    return { type: 'assumed-role', name, role, label: `${role}/${name}` };
  }
  return { type: 'unknown', name: arn, label: arn };
}

// ---------------------------------------------------------------------------------------------- time

/** ISO 8601 in UTC to the second: 2026-03-01T10:00:00Z. */
export function isoSecond(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A duration for tables: 45s, 12m05s, 2h03m, 3d04h. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${pad(Math.floor((s % 86400) / 3600))}h`;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: an age (30m, 24h, 7d, 2w) or a UTC date or time (2026-03-01, 2026-03-01T09:30Z). */
export function parseSince(value: string, now: number): Date {
  const age = /^(\d+)([mhdw])$/.exec(value.trim());
  let since: Date | undefined;
  if (age) since = new Date(now - Number(age[1]) * UNIT_MS[age[2]!]!);
  else if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value.trim())) {
    const text = value.trim();
    // A time without a zone is UTC, like every time this command prints.
    since = new Date(/T/.test(text) && !/(Z|[+-]\d{2}:\d{2})$/.test(text) ? `${text}Z` : text);
  }
  if (!since || Number.isNaN(since.getTime())) {
    throw new UsageError(`--since ${value}: not an age or a date.`, 'Use an age such as 30m, 24h, 7d or 2w, or a UTC date or time such as 2026-03-01 or 2026-03-01T09:30Z.');
  }
  if (since.getTime() > now) throw new UsageError(`--since ${value}: ${isoSecond(since)} is in the future.`);
  return since;
}

// ---------------------------------------------------------------------------------------------- CloudTrail

/** The CloudTrail event that authoritatively records a session's start: ExecuteCommand (ECS), else StartSession. */
export function startEventOf(sessionId: string): 'ExecuteCommand' | 'StartSession' {
  return sessionId.startsWith(ECS_EXEC_SESSION_PREFIX) ? 'ExecuteCommand' : 'StartSession';
}

/**
 * Where CloudTrail holds the authoritative record of a session, as a command to paste: the start event around
 * the session's start (Event history keeps 90 days; an organization trail keeps longer).
 */
export function cloudTrailPointer(region: string, sessionId: string, start?: Date): string {
  const event = startEventOf(sessionId);
  const window = start
    ? ` --start-time ${isoSecond(new Date(start.getTime() - 300_000))} --end-time ${isoSecond(new Date(start.getTime() + 300_000))}`
    : '';
  return [
    `Authoritative record: the CloudTrail ${event} event (who, from which address, with which parameters), and TerminateSession when it was ended:`,
    `  aws cloudtrail lookup-events --region ${region} --lookup-attributes AttributeKey=EventName,AttributeValue=${event}${window} --query "Events[?contains(CloudTrailEvent, '${sessionId}')]"`,
    'CloudTrail Event history keeps 90 days; older events are in your trail (S3 or CloudTrail Lake), if the account has one.',
  ].join('\n');
}
