/**
 * `bastion transcript <session-id>`: the recorded transcript of one session, from CloudWatch Logs, else from the
 * S3 archive (SSE-KMS: S3 decrypts with the caller's kms:Decrypt on the audit key, as for any reader); a clear
 * answer when there is none (port forwards record no keystrokes; expired or never recorded), and always where
 * CloudTrail holds the authoritative record.
 *
 * Where a transcript is: the agent names the CloudWatch stream after the session id and the archive object
 * `<prefix><session-id>.log` (prefix `session-manager/` for the EC2 bastion's document, `ecs-exec/` for ECS
 * Exec). Both lookups go by prefix (DescribeLogStreams, ListObjectsV2), so a differently suffixed name is
 * still found.
 */
import { DescribeLogStreamsCommand, GetLogEventsCommand, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DescribeSessionsCommand, type Session, type SSMClient } from '@aws-sdk/client-ssm';
import {
  accountIdOf,
  auditCall,
  cloudTrailPointer,
  ECS_EXEC_SESSION_PREFIX,
  ecsTarget,
  isoSecond,
  sessionKind,
  type TranscriptStore,
  transcriptStore,
  variantOfTarget,
} from './audit';
import type { Context } from './context';
import { accessDenied, AUDITOR_POLICY_HINT, CliError, EXIT, fromAwsError, parseDeniedAction, parseDeniedPrincipal, UsageError } from './errors';
import type { Variant } from './variants';
import { kindLabel } from './sessions-table';
import { auditedSession, sessionJson } from './sessions';
import { eventsText, safeText } from './transcript-text';

export interface TranscriptOptions {
  readonly json?: boolean;
  /** Print the transcript as recorded, escape sequences included. */
  readonly raw?: boolean;
}

/** Session ids are `<user or role session name>-<suffix>` or `ecs-execute-command-<suffix>`. */
const SESSION_ID = /^(?=.{10,256}$)[\w+=,.@-]+-[A-Za-z0-9]{8,}$/;
const MAX_LOG_PAGES = 1000;
/** Storage classes S3 serves only after a restore. */
const RESTORE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** A transcript found, and where. */
interface Found {
  readonly source: { type: 'cloudwatch'; logGroup: string; logStream: string } | { type: 's3'; bucket: string; key: string; storageClass: string };
  readonly text: string;
  readonly events?: readonly OutputLogEvent[];
}

/** The session in Session Manager's history (about 30 days), else among the active ones. */
async function findSession(ssm: SSMClient, sessionId: string): Promise<{ session: Session; active: boolean } | undefined> {
  for (const state of ['History', 'Active'] as const) {
    const page = await auditCall('ssm:DescribeSessions', () =>
      ssm.send(new DescribeSessionsCommand({ State: state, Filters: [{ key: 'SessionId', value: sessionId }] })),
    );
    const session = page.Sessions?.find((s) => s.SessionId === sessionId);
    if (session) return { session, active: state === 'Active' };
  }
  return undefined;
}

async function fromLogs(ctx: Context, store: TranscriptStore, sessionId: string, checked: string[]): Promise<Found | undefined> {
  const logs = ctx.clients.logs;
  const group = store.logGroup;
  const described = await auditCall('logs:DescribeLogStreams', () => logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: sessionId })), {
    ResourceNotFoundException: () => undefined,
  });
  if (!described) {
    checked.push(`CloudWatch Logs: the log group ${group} does not exist (stack not deployed here?)`);
    return undefined;
  }
  const streams = described.logStreams ?? [];
  const stream = (streams.find((s) => s.logStreamName === sessionId) ?? streams[0])?.logStreamName;
  if (!stream) {
    checked.push(`CloudWatch Logs ${group}: no stream ${sessionId}`);
    return undefined;
  }
  const events: OutputLogEvent[] = [];
  let token: string | undefined;
  // GetLogEvents pages forward until it hands back the token it was given.
  for (let page = 0; page < MAX_LOG_PAGES; page++) {
    const answer = await auditCall('logs:GetLogEvents', () =>
      logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token })),
    );
    events.push(...(answer.events ?? []));
    if (!answer.nextForwardToken || answer.nextForwardToken === token) break;
    token = answer.nextForwardToken;
  }
  if (events.length === 0) {
    checked.push(`CloudWatch Logs ${group}: the stream ${stream} holds no events any more (past the retention)`);
    return undefined;
  }
  return { source: { type: 'cloudwatch', logGroup: group, logStream: stream }, text: eventsText(events), events };
}

function archivedError(sessionId: string, bucket: string, key: string, storageClass: string, restore: string | undefined, region: string): CliError {
  const ongoing = restore?.includes('ongoing-request="true"');
  return new CliError('Archived', `The transcript of session ${sessionId} is in S3 ${storageClass} (s3://${bucket}/${key}): the archive's lifecycle moves transcripts there after 90 days.`, {
    hint: [
      ongoing
        ? 'A restore of it is in progress; run this command again when it has finished (Standard: 3-5 hours).'
        : 'It must be restored before anyone can read it. Restoring changes the bucket, so the auditor policy does not allow it: ask an administrator (s3:RestoreObject) to run',
      ...(ongoing ? [] : [`  aws s3api restore-object --bucket ${bucket} --key ${key} --restore-request '{"Days":7,"GlacierJobParameters":{"Tier":"Standard"}}'`, 'then run this command again when the copy is ready (Standard: 3-5 hours).']),
      cloudTrailPointer(region, sessionId),
    ].join('\n'),
  });
}

async function fromArchive(ctx: Context, store: TranscriptStore, sessionId: string, checked: string[]): Promise<Found | undefined> {
  if (!store.bucket) {
    checked.push('S3 archive: off in the configuration (audit.s3Archive is false)');
    return undefined;
  }
  const s3 = ctx.clients.s3;
  const bucket = store.bucket(await accountIdOf(ctx));
  const prefix = `${store.prefix}${sessionId}`;
  const listed = await auditCall('s3:ListBucket', () => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 10 })), {
    NoSuchBucket: () => undefined,
  });
  if (!listed) {
    checked.push(`S3: the archive bucket ${bucket} does not exist`);
    return undefined;
  }
  const key = (listed.Contents?.find((o) => o.Key === `${prefix}.log`) ?? listed.Contents?.[0])?.Key;
  if (!key) {
    checked.push(`S3 s3://${bucket}/${prefix}*: no object`);
    return undefined;
  }
  // HEAD needs s3:GetObject only: when it passes and GET is denied, the missing permission is kms:Decrypt.
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
    // A HEAD answer has no body, so a denial comes as a bare 403 "Forbidden".
    if ((error as { name?: string }).name === 'Forbidden') throw accessDenied('s3:GetObject', undefined, `s3://${bucket}/${key}`, AUDITOR_POLICY_HINT);
    throw fromAwsError(error, 's3:GetObject', AUDITOR_POLICY_HINT);
  });
  const storageClass = head.StorageClass ?? 'STANDARD';
  if (RESTORE_CLASSES.has(storageClass) && !head.Restore?.includes('ongoing-request="false"')) {
    throw archivedError(sessionId, bucket, key, storageClass, head.Restore, ctx.region);
  }
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { source: { type: 's3', bucket, key, storageClass }, text: (await object.Body?.transformToString('utf-8')) ?? '' };
  } catch (error) {
    const { name, message } = error as { name?: string; message?: string };
    if (name === 'InvalidObjectState') throw archivedError(sessionId, bucket, key, storageClass, head.Restore, ctx.region);
    if (name === 'AccessDenied' || name === 'AccessDeniedException') {
      const detail = `S3 decrypts the archive (SSE-KMS, key ${head.SSEKMSKeyId ?? 'the audit key'}) with your kms:Decrypt`;
      throw accessDenied(parseDeniedAction(message ?? '') ?? 'kms:Decrypt', parseDeniedPrincipal(message ?? ''), detail, AUDITOR_POLICY_HINT);
    }
    throw fromAwsError(error, 's3:GetObject', AUDITOR_POLICY_HINT);
  }
}

const WHAT_A_TUNNEL_RECORDS = [
  'Session Manager relays the bytes of a tunnel and records none of them: there is no transcript of a port forward. What is recorded:',
  "  - Session Manager's history: who, which bastion, start and end (`bastion sessions`);",
  '  - CloudTrail StartSession with the document and its parameters (host, portNumber, localPortNumber), and TerminateSession;',
  '  - VPC flow logs (network.mode "create"): the connections from the bastion to the host;',
  "  - the target's own audit log (e.g. database audit logging): what was done there.",
];

export async function transcript(ctx: Context, sessionId: string, options: TranscriptOptions): Promise<number> {
  if (!SESSION_ID.test(sessionId)) {
    throw new UsageError(`"${sessionId}" is not a session id.`, 'Session ids look like alice-0a1b2c3d4e5f67890 or ecs-execute-command-0a1b2c3d4e5f67890; `bastion sessions` lists them.');
  }
  const found = await findSession(ctx.clients.ssm, sessionId);
  const session = found?.session;
  const variant: Variant = variantOfTarget(session?.Target) ?? (sessionId.startsWith(ECS_EXEC_SESSION_PREFIX) ? 'ecs' : 'ec2');
  const pointer = cloudTrailPointer(ctx.region, sessionId, session?.StartDate);
  const ecs = ecsTarget(session?.Target ?? '');
  if (ecs && ecs.cluster !== ctx.names.ecsCluster) {
    throw new CliError('NoTranscript', `Session ${sessionId} ran on ${session!.Target}, not on a bastion of this deployment (${ctx.config.namePrefix}).`, {
      hint: `Its transcript is wherever cluster ${ecs.cluster} sends ECS Exec logs.\n${pointer}`,
    });
  }
  const audited = found ? auditedSession(found.session, { variant, bastion: ecs?.taskId ?? session!.Target ?? '?' }, found.active, ctx.names.sessionDocument) : undefined;
  if (audited) {
    const when = `${audited.start ? isoSecond(audited.start) : '?'} to ${audited.end ? isoSecond(audited.end) : audited.active ? 'now (still open)' : '?'}`;
    ctx.info(`Session ${sessionId}: ${kindLabel(audited, ctx.names.sessionDocument)} on the ${variant} bastion (${audited.bastion}), by ${audited.who.label}, ${when}, ${audited.status}.`);
  } else {
    ctx.info(`Session ${sessionId} is not in Session Manager's history (it keeps about 30 days); looking for its transcript anyway.`);
  }
  const kind = session ? sessionKind(session.DocumentName, ctx.names.sessionDocument) : undefined;
  if (kind === 'port-forward') {
    throw new CliError('NoTranscript', `Session ${sessionId} was a port forward (${session!.DocumentName}): no keystrokes or data are recorded.`, {
      hint: [...WHAT_A_TUNNEL_RECORDS, pointer].join('\n'),
    });
  }
  const store = transcriptStore(ctx.config, variant);
  const checked: string[] = [];
  const result = (await fromLogs(ctx, store, sessionId, checked)) ?? (await fromArchive(ctx, store, sessionId, checked));
  if (!result) {
    throw new CliError('NoTranscript', `No transcript of session ${sessionId} in CloudWatch Logs or the archive.`, {
      hint: [
        'Looked in:',
        ...checked.map((line) => `  - ${line}`),
        `CloudWatch Logs keeps transcripts for log_retention_days (${store.retentionDays} days in the configuration; the Terraform variable may set another value); the archive keeps them for good, those of 128 KB or more in S3 Standard-IA after 30 days and Glacier after 90 (then this command says how to restore one), smaller ones in S3 Standard.`,
        'A session has no transcript when it was a port forward, used a document without logging (e.g. the account default SSM-SessionManagerRunShell), failed before its shell started, or is still open (ECS Exec uploads the transcript when the session ends).',
        pointer,
      ].join('\n'),
    });
  }
  if (options.json) {
    const document = {
      sessionId,
      session: audited ? sessionJson(audited, new Date(ctx.runtime.clock.now())) : null,
      source: result.source,
      events: result.events?.map((e) => ({ time: e.timestamp === undefined ? null : isoSecond(new Date(e.timestamp)), message: e.message ?? '' })) ?? null,
      text: result.text,
    };
    ctx.runtime.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    const source = result.source;
    ctx.info(
      source.type === 'cloudwatch'
        ? `Transcript from CloudWatch Logs ${source.logGroup}, stream ${source.logStream} (${result.events!.length} events):`
        : `Transcript from the archive s3://${source.bucket}/${source.key} (${source.storageClass}, decrypted by S3 with the audit key):`,
    );
    ctx.runtime.stdout.write(options.raw ? result.text : safeText(result.text));
  }
  if (audited?.active) ctx.info(ctx.style.yellow('note: the session is still open; this is what was recorded so far.'));
  ctx.info(ctx.style.dim(pointer));
  return EXIT.ok;
}
