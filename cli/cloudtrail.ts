/**
 * CloudTrail's record of sessions, for what Session Manager's history lacks: the host and port of a port forward
 * (StartSession `requestParameters.parameters`) and the command and caller of an ECS Exec session
 * (ExecuteCommand). LookupEvents reaches 90 days back, answers 50 events a page and two requests a second, so
 * the lookup is bounded, stops as soon as every wanted session is found, and a denial only degrades the output.
 */
import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { auditCall } from './audit';
import { CliError } from './errors';

/** The start event of one session, as CloudTrail recorded it. */
export interface TrailRecord {
  readonly eventName: 'StartSession' | 'ExecuteCommand';
  readonly eventId?: string;
  readonly eventTime?: Date;
  /** ARN of the caller (userIdentity.arn). */
  readonly userArn?: string;
  readonly sourceIp?: string;
  /** StartSession: the document's parameters (host, portNumber, localPortNumber, …). */
  readonly parameters?: Readonly<Record<string, readonly string[]>>;
  /** ExecuteCommand: the command and container. */
  readonly command?: string;
  readonly container?: string;
}

export interface TrailLookup {
  /** Records by session id, for the wanted sessions found. */
  readonly records: ReadonlyMap<string, TrailRecord>;
  /** Why some wanted sessions have no record (denied, the page limit, older than 90 days); undefined if none. */
  readonly note?: string;
}

/** Where each event names the session, and which service's event it must be (Athena has a StartSession too). */
const EVENT_SOURCE = { StartSession: 'ssm.amazonaws.com', ExecuteCommand: 'ecs.amazonaws.com' } as const;

/** CloudTrail Event history: 90 days. */
export const TRAIL_DAYS = 90;
/** 20 pages of 50 events at CloudTrail's 2 requests a second: about 10 seconds at most. */
export const MAX_TRAIL_PAGES = 20;

interface RawEvent {
  eventSource?: string;
  eventID?: string;
  eventTime?: string;
  sourceIPAddress?: string;
  userIdentity?: { arn?: string };
  requestParameters?: { parameters?: Record<string, unknown>; command?: string; container?: string } | null;
  responseElements?: { sessionId?: string; session?: { sessionId?: string } } | null;
}

function parse(text: string | undefined): RawEvent | undefined {
  try {
    return text ? (JSON.parse(text) as RawEvent) : undefined;
  } catch {
    return undefined;
  }
}

function stringLists(parameters: Record<string, unknown> | undefined): Record<string, string[]> | undefined {
  if (!parameters) return undefined;
  return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, (Array.isArray(value) ? value : [value]).map(String)]));
}

function recordOf(eventName: TrailRecord['eventName'], event: RawEvent): [string, TrailRecord] | undefined {
  if (event.eventSource !== EVENT_SOURCE[eventName]) return undefined;
  const sessionId = event.responseElements?.sessionId ?? event.responseElements?.session?.sessionId;
  if (!sessionId) return undefined;
  return [
    sessionId,
    {
      eventName,
      eventId: event.eventID,
      eventTime: event.eventTime ? new Date(event.eventTime) : undefined,
      userArn: event.userIdentity?.arn,
      sourceIp: event.sourceIPAddress,
      parameters: stringLists(event.requestParameters?.parameters),
      command: event.requestParameters?.command,
      container: event.requestParameters?.container,
    },
  ];
}

/**
 * The start events of the wanted sessions from `start` on (at most 90 days back). AccessDenied is not an error
 * here: the sessions are listed without the details, and the note says what was missing.
 */
export async function lookupSessionEvents(
  client: CloudTrailClient,
  eventName: TrailRecord['eventName'],
  window: { readonly start: Date; readonly end: Date },
  wanted: ReadonlySet<string>,
): Promise<TrailLookup> {
  const records = new Map<string, TrailRecord>();
  if (wanted.size === 0) return { records };
  const oldest = window.end.getTime() - TRAIL_DAYS * 86_400_000;
  // A minute of slack: the event is recorded when the API call is made, a moment before the session starts.
  const start = new Date(Math.max(oldest, window.start.getTime() - 60_000));
  let nextToken: string | undefined;
  let pages = 0;
  try {
    do {
      const page = await auditCall('cloudtrail:LookupEvents', () =>
        client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
            StartTime: start,
            EndTime: window.end,
            MaxResults: 50,
            NextToken: nextToken,
          }),
        ),
      );
      pages++;
      for (const event of page.Events ?? []) {
        const record = recordOf(eventName, parse(event.CloudTrailEvent) ?? {});
        if (record && wanted.has(record[0])) records.set(...record);
      }
      nextToken = page.NextToken;
    } while (nextToken && records.size < wanted.size && pages < MAX_TRAIL_PAGES);
  } catch (error) {
    if (error instanceof CliError && error.code === 'AccessDenied') {
      return { records, note: `CloudTrail ${eventName} events not read (cloudtrail:LookupEvents denied: attach the auditor policy, output auditor_policy_arn)` };
    }
    throw error;
  }
  if (records.size === wanted.size) return { records };
  const missing = wanted.size - records.size;
  const why = nextToken
    ? `the lookup stopped after ${pages * 50} ${eventName} events of the account; narrow --since`
    : `not in CloudTrail Event history (older than ${TRAIL_DAYS} days, or not delivered yet: events take up to 15 minutes)`;
  return { records, note: `${missing} ${missing === 1 ? 'session has' : 'sessions have'} no CloudTrail ${eventName} event: ${why}` };
}
