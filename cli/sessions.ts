/**
 * `bastion sessions [ecs|ec2]`: who opened which session on this deployment's bastions, when, to what, for how
 * long — from Session Manager's history (DescribeSessions, active and ended), narrowed to this deployment, and
 * completed from CloudTrail (the host:port of a port forward, the caller and command of ECS Exec).
 *
 * Which sessions are this deployment's: ECS targets are `ecs:<cluster>_<taskId>_<runtimeId>`, so the cluster
 * name decides. EC2 targets are instance ids: the stack's instances by their tags (EC2 still lists terminated
 * ones for about an hour), and any session that used the stack's own session document, which also finds the
 * shells of an instance that was parked and replaced long ago. A port forward on such an old instance carries
 * neither, so it cannot be attributed (CloudTrail still has it); the README says so.
 */
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { DescribeSessionsCommand, type Session, type SessionState, type SSMClient } from '@aws-sdk/client-ssm';
import { PREFIX_TAG, STACK_TAG } from '../modules/naming';
import {
  auditCall,
  ecsTarget,
  isoSecond,
  parseSince,
  type Principal,
  principalOf,
  sessionKind,
  type SessionKind,
  variantOfTarget,
} from './audit';
import { lookupSessionEvents, type TrailRecord } from './cloudtrail';
import type { Context } from './context';
import { EXIT } from './errors';
import { renderSessionTable } from './sessions-table';
import { STACK_OF, type Variant, VARIANTS } from './variants';

export interface SessionsOptions {
  /** An age (7d) or a UTC date or time (main.ts gives the default). */
  readonly since: string;
  /** Only sessions whose principal contains this text (case-insensitive). */
  readonly user?: string;
  /** Only sessions that are still open. */
  readonly active?: boolean;
  readonly json?: boolean;
  /** false with --no-cloudtrail: no LookupEvents, so no host:port and no ECS Exec command. */
  readonly cloudtrail: boolean;
}

/** One session of this deployment, as `sessions` prints it. */
export interface AuditedSession {
  readonly sessionId: string;
  readonly variant: Variant;
  /** Task id (ECS) or instance id (EC2). */
  readonly bastion: string;
  readonly target: string;
  /** Session Manager's status: Connected, Connecting, Disconnected, Terminating, Terminated, Failed. */
  readonly status: string;
  readonly active: boolean;
  readonly start?: Date;
  readonly end?: Date;
  /** Session Manager's owner ARN. */
  readonly owner?: string;
  /** The caller: from CloudTrail for ECS Exec (ECS starts the session on the caller's behalf), else the owner. */
  readonly who: Principal;
  readonly document?: string;
  readonly kind: SessionKind;
  /** Port forwards: what StartSession asked for (from CloudTrail). */
  readonly forward?: { readonly host?: string; readonly port?: string; readonly localPort?: string };
  /** ECS Exec: the command run (from CloudTrail). */
  readonly command?: string;
  /** The reason given with `start-session --reason`. */
  readonly reason?: string;
  readonly cloudTrail?: TrailRecord;
}

/** How far back Session Manager's history reaches (the console's session history shows 30 days). */
export const HISTORY_DAYS = 30;
/** 50 pages of 200 sessions: a safety stop, with a note, not a limit anyone should meet. */
const MAX_PAGES = 50;

/** The stack's EC2 instances by tag, in every state (terminated ones too, while EC2 still lists them). */
async function stackInstanceIds(ec2: EC2Client, namePrefix: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await auditCall('ec2:DescribeInstances', () =>
      ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: `tag:${STACK_TAG}`, Values: [STACK_OF.ec2] },
            { Name: `tag:${PREFIX_TAG}`, Values: [namePrefix] },
          ],
          NextToken: nextToken,
        }),
      ),
    );
    for (const reservation of page.Reservations ?? []) for (const i of reservation.Instances ?? []) if (i.InstanceId) ids.add(i.InstanceId);
    nextToken = page.NextToken;
  } while (nextToken);
  return ids;
}

async function describeSessions(ssm: SSMClient, state: SessionState, since: Date): Promise<{ sessions: Session[]; truncated: boolean }> {
  const sessions: Session[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await auditCall('ssm:DescribeSessions', () =>
      ssm.send(
        new DescribeSessionsCommand({ State: state, MaxResults: 200, NextToken: nextToken, Filters: [{ key: 'InvokedAfter', value: isoSecond(since) }] }),
      ),
    );
    sessions.push(...(page.Sessions ?? []));
    nextToken = page.NextToken;
    pages++;
  } while (nextToken && pages < MAX_PAGES);
  return { sessions, truncated: nextToken !== undefined };
}

/** What tells this deployment's sessions apart from the account's others. */
interface Deployment {
  readonly variants: readonly Variant[];
  readonly cluster: string;
  readonly instances: ReadonlySet<string>;
  readonly sessionDocument: string;
}

/** The bastion a session ran on, if it is this deployment's; `replaced`: an EC2 shell found by its document alone. */
function bastionOf(session: Session, deployment: Deployment): { variant: Variant; bastion: string; replaced: boolean } | undefined {
  const target = session.Target ?? '';
  const variant = variantOfTarget(target);
  if (!variant || !deployment.variants.includes(variant)) return undefined;
  if (variant === 'ecs') {
    const parts = ecsTarget(target);
    return parts?.cluster === deployment.cluster ? { variant, bastion: parts.taskId, replaced: false } : undefined;
  }
  if (deployment.instances.has(target)) return { variant, bastion: target, replaced: false };
  return session.DocumentName === deployment.sessionDocument ? { variant, bastion: target, replaced: true } : undefined;
}

/** A Session Manager session as `sessions` and `transcript` show it (before CloudTrail adds to it). */
export function auditedSession(session: Session, place: { variant: Variant; bastion: string }, active: boolean, sessionDocument: string): AuditedSession {
  return {
    sessionId: session.SessionId ?? '',
    variant: place.variant,
    bastion: place.bastion,
    target: session.Target ?? '',
    status: session.Status ?? 'Unknown',
    active,
    start: session.StartDate,
    end: active ? undefined : session.EndDate,
    owner: session.Owner,
    who: principalOf(session.Owner),
    document: session.DocumentName,
    kind: sessionKind(session.DocumentName, sessionDocument),
    reason: session.Reason || undefined,
  };
}

/** Adds what CloudTrail knows: a port forward's parameters, an ECS Exec session's caller and command. */
function withTrail(session: AuditedSession, record: TrailRecord | undefined): AuditedSession {
  if (!record) return session;
  const p = record.parameters ?? {};
  const forward = session.kind === 'port-forward' ? { host: p.host?.[0], port: p.portNumber?.[0], localPort: p.localPortNumber?.[0] } : undefined;
  const who = session.kind === 'ecs-exec' && record.userArn ? principalOf(record.userArn) : session.who;
  return { ...session, who, forward, command: record.command, cloudTrail: record };
}

async function enrich(ctx: Context, sessions: AuditedSession[], now: Date, notes: string[]): Promise<AuditedSession[]> {
  const records = new Map<string, TrailRecord>();
  for (const [eventName, kind] of [['StartSession', 'port-forward'], ['ExecuteCommand', 'ecs-exec']] as const) {
    const wanted = sessions.filter((s) => s.kind === kind);
    if (wanted.length === 0) continue;
    const start = new Date(Math.min(...wanted.map((s) => (s.start ?? now).getTime())));
    const lookup = await lookupSessionEvents(ctx.clients.cloudtrail, eventName, { start, end: now }, new Set(wanted.map((s) => s.sessionId)));
    for (const [id, record] of lookup.records) records.set(id, record);
    if (lookup.note) notes.push(lookup.note);
  }
  return sessions.map((s) => withTrail(s, records.get(s.sessionId)));
}

/** The sessions of the chosen bastions since `since`, newest first, with notes on what could not be known. */
export async function collectSessions(
  ctx: Context,
  variants: readonly Variant[],
  options: SessionsOptions,
  since: Date,
): Promise<{ sessions: AuditedSession[]; notes: string[] }> {
  const now = new Date(ctx.runtime.clock.now());
  const notes: string[] = [];
  const deployment: Deployment = {
    variants,
    cluster: ctx.names.ecsCluster,
    instances: variants.includes('ec2') ? await stackInstanceIds(ctx.clients.ec2, ctx.config.namePrefix) : new Set(),
    sessionDocument: ctx.names.sessionDocument,
  };
  const found = new Map<string, AuditedSession>();
  const replaced = new Set<string>();
  for (const state of options.active ? (['Active'] as const) : (['Active', 'History'] as const)) {
    const { sessions, truncated } = await describeSessions(ctx.clients.ssm, state, since);
    if (truncated) notes.push(`Session Manager's ${state} list stopped after ${MAX_PAGES * 200} sessions of the account; narrow --since`);
    for (const session of sessions) {
      const place = bastionOf(session, deployment);
      // A session that ended between the two lists is in both: the first (Active) answer is kept.
      if (!place || !session.SessionId || found.has(session.SessionId)) continue;
      if (place.replaced) replaced.add(session.SessionId);
      found.set(session.SessionId, auditedSession(session, place, state === 'Active', deployment.sessionDocument));
    }
  }
  if (now.getTime() - since.getTime() > HISTORY_DAYS * 86_400_000) {
    notes.push(`Session Manager's history reaches back about ${HISTORY_DAYS} days; older sessions are only in CloudTrail and the transcripts`);
  }
  // InvokedAfter already narrows the lists; the same bound here keeps the answer exact whatever AWS includes.
  let sessions = [...found.values()].filter((s) => !s.start || s.start.getTime() >= since.getTime());
  if (options.cloudtrail) sessions = await enrich(ctx, sessions, now, notes);
  if (options.user) {
    const needle = options.user.toLowerCase();
    sessions = sessions.filter((s) => [s.owner, s.cloudTrail?.userArn, s.who.label].some((text) => text?.toLowerCase().includes(needle)));
  }
  const onReplaced = sessions.filter((s) => replaced.has(s.sessionId)).length;
  if (onReplaced > 0) {
    notes.unshift(
      `${onReplaced} EC2 ${onReplaced === 1 ? 'shell ran' : 'shells ran'} on instances the stack no longer has (found by the session document); ` +
        'port forwards on such instances cannot be attributed to the stack: look for them in CloudTrail StartSession events',
    );
  }
  sessions.sort((a, b) => (b.start?.getTime() ?? 0) - (a.start?.getTime() ?? 0) || a.sessionId.localeCompare(b.sessionId));
  return { sessions, notes };
}

/** A session as one JSON object: ISO dates, null for what is unknown, so every session has the same keys. */
export function sessionJson(s: AuditedSession, now: Date): Record<string, unknown> {
  const iso = (date?: Date) => (date ? isoSecond(date) : null);
  const end = s.end ?? (s.active ? now : undefined);
  return {
    sessionId: s.sessionId,
    variant: s.variant,
    bastion: s.bastion,
    target: s.target,
    status: s.status,
    active: s.active,
    start: iso(s.start),
    end: iso(s.end),
    durationSeconds: s.start && end ? Math.max(0, Math.floor((end.getTime() - s.start.getTime()) / 1000)) : null,
    who: s.who.label,
    principal: { type: s.who.type, name: s.who.name, role: s.who.role ?? null, permissionSet: s.who.permissionSet ?? null },
    owner: s.owner ?? null,
    document: s.document ?? null,
    kind: s.kind,
    forward: s.forward ? { host: s.forward.host ?? null, port: s.forward.port ?? null, localPort: s.forward.localPort ?? null } : null,
    command: s.command ?? null,
    reason: s.reason ?? null,
    cloudTrail: s.cloudTrail
      ? { eventName: s.cloudTrail.eventName, eventId: s.cloudTrail.eventId ?? null, eventTime: iso(s.cloudTrail.eventTime), user: s.cloudTrail.userArn ?? null, sourceIp: s.cloudTrail.sourceIp ?? null }
      : null,
  };
}

export async function sessions(ctx: Context, variant: Variant | undefined, options: SessionsOptions): Promise<number> {
  const now = ctx.runtime.clock.now();
  const since = parseSince(options.since, now);
  const variants = variant ? [variant] : [...VARIANTS];
  const result = await collectSessions(ctx, variants, options, since);
  const where = { region: ctx.region, namePrefix: ctx.config.namePrefix };
  if (options.json) {
    const document = {
      ...where,
      variants,
      since: isoSecond(since),
      until: isoSecond(new Date(now)),
      filters: { user: options.user ?? null, active: options.active === true },
      sessions: result.sessions.map((s) => sessionJson(s, new Date(now))),
      notes: result.notes,
    };
    ctx.runtime.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return EXIT.ok;
  }
  const count = result.sessions.length;
  const noun = `${options.active ? 'active ' : ''}${count === 1 ? 'session' : 'sessions'}`;
  const bastions = `${variants.join(' and ')} ${variants.length === 1 ? 'bastion' : 'bastions'}`;
  const user = options.user ? ` whose principal contains "${options.user}"` : '';
  ctx.info(
    `${count === 0 ? 'No' : count} ${noun} of the ${bastions} (${where.namePrefix}, ${where.region}) since ${isoSecond(since)}${user}` +
      `${count > 1 ? ', newest first' : ''}.`,
  );
  if (count > 0) ctx.runtime.stdout.write(renderSessionTable(result.sessions, new Date(now), ctx.names.sessionDocument, ctx.outStyle));
  for (const note of result.notes) ctx.info(ctx.style.yellow(`note: ${note}.`));
  if (count > 0) ctx.info(ctx.style.dim('A transcript: `bastion transcript <session-id>`.'));
  return EXIT.ok;
}
