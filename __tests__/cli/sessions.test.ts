/**
 * `bastion sessions` end to end inside the process: commander, configuration, Session Manager history and
 * CloudTrail (aws-sdk-client-mock), the exact table and JSON document.
 */
import { AccessDeniedException as CloudTrailAccessDenied, type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { AccessDeniedException, DescribeSessionsCommand, type Session } from '@aws-sdk/client-ssm';
import { run } from '../../cli/main';
import { bastionNames } from '../../modules/naming';
import { sentSdkCommands, spawnedAwsCliCalls, uncoveredCalls } from './calls';
import { AURORA_HOST, CLUSTER, fakeRuntime, type FakeRuntime, instance, mockedAwsClients, PREFIX } from './support';

const { ec2Mock, ssmMock, cloudtrailMock, mocks } = mockedAwsClients();

const NOW = Date.parse('2026-03-08T12:00:00Z');
const TASK = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const ECS_TARGET = `ecs:${CLUSTER}_${TASK}_${TASK}-1234567890`;
const INSTANCE = 'i-0123456789abcdef0';
/** An instance of the stack that was parked and replaced: EC2 no longer lists it. */
const OLD_INSTANCE = 'i-0fedcba9876543210';
const ALICE = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com';
const FORWARD_DOC = 'AWS-StartPortForwardingSessionToRemoteHost';

const at = (iso: string) => new Date(iso);

/** Sessions of the account: five of this deployment, two of other clusters and instances. */
const S = {
  aliceExec: {
    SessionId: 'ecs-execute-command-0a1b2c3d4e5f6a7b8',
    Target: ECS_TARGET,
    Status: 'Terminated',
    StartDate: at('2026-03-08T09:00:00Z'),
    EndDate: at('2026-03-08T09:12:05Z'),
    DocumentName: 'AmazonECS-ExecuteInteractiveCommand',
    Owner: ALICE,
  },
  bobForward: {
    SessionId: 'bob-0f1e2d3c4b5a69788',
    Target: INSTANCE,
    Status: 'Connected',
    StartDate: at('2026-03-08T11:30:00Z'),
    DocumentName: FORWARD_DOC,
    Owner: 'arn:aws:iam::123456789012:user/bob',
    Reason: 'INC-1234 slow queries',
  },
  carolShellOnReplacedInstance: {
    SessionId: 'carol-01234567890abcdef',
    Target: OLD_INSTANCE,
    Status: 'Terminated',
    StartDate: at('2026-03-05T08:00:00Z'),
    EndDate: at('2026-03-05T10:03:00Z'),
    DocumentName: `${PREFIX}-session-preferences`,
    Owner: 'arn:aws:sts::123456789012:assumed-role/ops-admin/carol',
  },
  daveFailedForward: {
    SessionId: 'dave-0aaaabbbbccccdddd',
    Target: ECS_TARGET,
    Status: 'Failed',
    StartDate: at('2026-03-02T14:00:00Z'),
    EndDate: at('2026-03-02T14:00:04Z'),
    DocumentName: FORWARD_DOC,
    Owner: 'arn:aws:iam::123456789012:user/dave',
  },
  rootDefaultShell: {
    SessionId: 'root-0123abcd4567ef890',
    Target: INSTANCE,
    Status: 'Terminated',
    StartDate: at('2026-03-07T16:00:00Z'),
    EndDate: at('2026-03-07T16:00:45Z'),
    DocumentName: 'SSM-SessionManagerRunShell',
    Owner: 'arn:aws:iam::123456789012:root',
  },
  otherCluster: {
    SessionId: 'eve-0123456789abcdef0',
    Target: `ecs:payments-prod_${TASK}_${TASK}-1`,
    Status: 'Terminated',
    StartDate: at('2026-03-08T10:00:00Z'),
    EndDate: at('2026-03-08T10:01:00Z'),
    DocumentName: 'AmazonECS-ExecuteInteractiveCommand',
    Owner: 'arn:aws:iam::123456789012:user/eve',
  },
  otherInstance: {
    SessionId: 'frank-0123456789abcdef0',
    Target: 'i-0aaaaaaaaaaaaaaaa',
    Status: 'Terminated',
    StartDate: at('2026-03-08T10:00:00Z'),
    EndDate: at('2026-03-08T10:01:00Z'),
    DocumentName: 'SSM-SessionManagerRunShell',
    Owner: 'arn:aws:iam::123456789012:user/frank',
  },
} satisfies Record<string, Session>;

/** A CloudTrail event as LookupEvents returns it (the record itself is a JSON string). */
function trailEvent(record: Record<string, unknown>): Event {
  return { EventId: String(record.eventID), EventName: String(record.eventName), CloudTrailEvent: JSON.stringify(record) };
}

const BOB_START = trailEvent({
  eventID: 'e-bob',
  eventName: 'StartSession',
  eventSource: 'ssm.amazonaws.com',
  eventTime: '2026-03-08T11:29:59Z',
  sourceIPAddress: '198.51.100.7',
  userIdentity: { arn: 'arn:aws:iam::123456789012:user/bob' },
  requestParameters: { target: INSTANCE, documentName: FORWARD_DOC, parameters: { host: [AURORA_HOST], portNumber: ['5432'], localPortNumber: ['15432'] } },
  responseElements: { sessionId: S.bobForward.SessionId, tokenValue: 'Value hidden due to security reasons.' },
});
// Athena has a StartSession too; an event of another service never describes a Session Manager session.
const ATHENA_START = trailEvent({
  eventID: 'e-athena',
  eventName: 'StartSession',
  eventSource: 'athena.amazonaws.com',
  requestParameters: { workGroup: 'primary' },
  responseElements: { sessionId: S.daveFailedForward.SessionId },
});
const ALICE_EXEC = trailEvent({
  eventID: 'e-alice',
  eventName: 'ExecuteCommand',
  eventSource: 'ecs.amazonaws.com',
  eventTime: '2026-03-08T08:59:59Z',
  sourceIPAddress: '203.0.113.9',
  userIdentity: { arn: ALICE },
  requestParameters: { cluster: CLUSTER, container: 'bastion', command: '/bin/bash', interactive: true, task: TASK },
  responseElements: { session: { sessionId: S.aliceExec.SessionId } },
});

/** History in two pages, one active session; EC2 lists the stack's current instance only. */
function accountWithSessions() {
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance(INSTANCE, 'running')] }] });
  ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string; NextToken?: string }) => {
    if (input.State === 'Active') return { Sessions: [S.bobForward] };
    return input.NextToken === 'history-2'
      ? { Sessions: [S.daveFailedForward, S.otherInstance, S.rootDefaultShell] }
      : { Sessions: [S.aliceExec, S.otherCluster, S.carolShellOnReplacedInstance], NextToken: 'history-2' };
  });
  cloudtrailMock.on(LookupEventsCommand).callsFake((input: { LookupAttributes: { AttributeValue: string }[]; NextToken?: string }) => {
    if (input.LookupAttributes[0]!.AttributeValue === 'ExecuteCommand') return { Events: [ALICE_EXEC] };
    return input.NextToken === 'trail-2' ? { Events: [BOB_START] } : { Events: [ATHENA_START], NextToken: 'trail-2' };
  });
}

const runs: { argv: string[]; runtime: FakeRuntime }[] = [];
afterEach(() => {
  const uncovered = runs.splice(0).flatMap(({ argv, runtime }) =>
    uncoveredCalls(argv, sentSdkCommands(mocks), spawnedAwsCliCalls(runtime.spawned, bastionNames(PREFIX))),
  );
  expect(uncovered).toEqual([]); // add each new call to CLI_COMMAND_CALLS in cli/permissions.ts
});

async function bastion(args: string[]) {
  const runtime = fakeRuntime();
  runtime.clock.time = NOW;
  runs.push({ argv: args, runtime });
  const code = await run(args, runtime);
  return { code, out: runtime.stdout.text, err: runtime.stderr.text };
}

const TABLE = [
  'START                 END                   DURATION  STATUS      WHO                                          BASTION                               KIND                                                               SESSION ID',
  '2026-03-08T11:30:00Z  -                     30m00s    Connected   bob                                          ec2 i-0123456789abcdef0               port-forward mydb.cluster-abc123.eu-west-1.rds.amazonaws.com:5432  bob-0f1e2d3c4b5a69788',
  '2026-03-08T09:00:00Z  2026-03-08T09:12:05Z  12m05s    Terminated  alice@example.com (SSO AdministratorAccess)  ecs a1b2c3d4e5f60718293a4b5c6d7e8f90  ECS Exec                                                           ecs-execute-command-0a1b2c3d4e5f6a7b8',
  '2026-03-07T16:00:00Z  2026-03-07T16:00:45Z  45s       Terminated  root                                         ec2 i-0123456789abcdef0               shell (SSM-SessionManagerRunShell)                                 root-0123abcd4567ef890',
  '2026-03-05T08:00:00Z  2026-03-05T10:03:00Z  2h03m     Terminated  ops-admin/carol                              ec2 i-0fedcba9876543210               shell                                                              carol-01234567890abcdef',
  '2026-03-02T14:00:00Z  2026-03-02T14:00:04Z  4s        Failed      dave                                         ecs a1b2c3d4e5f60718293a4b5c6d7e8f90  port-forward (host:port not known)                                 dave-0aaaabbbbccccdddd',
].join('\n');

const REPLACED_NOTE =
  'note: 1 EC2 shell ran on instances the stack no longer has (found by the session document); port forwards on such instances cannot be attributed to the stack: look for them in CloudTrail StartSession events.';

describe('bastion sessions', () => {
  test('lists both bastions’ sessions of the last 7 days, newest first: active and ended, ECS Exec, port forwards, a replaced instance', async () => {
    accountWithSessions();
    const { code, out, err } = await bastion(['sessions']);
    expect(code).toBe(0);
    expect(out).toBe(`${TABLE}\n`);
    expect(err).toBe(
      [
        '5 sessions of the ecs and ec2 bastions (acme, eu-west-1) since 2026-03-01T12:00:00Z, newest first.',
        REPLACED_NOTE,
        'note: 1 session has no CloudTrail StartSession event: not in CloudTrail Event history (older than 90 days, or not delivered yet: events take up to 15 minutes).',
        'A transcript: `bastion transcript <session-id>`.',
        '',
      ].join('\n'),
    );
    // Both lists, paged, from the start of the window; the stack's instances by tag in every state.
    expect(ssmMock.commandCalls(DescribeSessionsCommand).map((call) => call.args[0].input)).toEqual([
      { State: 'Active', MaxResults: 200, NextToken: undefined, Filters: [{ key: 'InvokedAfter', value: '2026-03-01T12:00:00Z' }] },
      { State: 'History', MaxResults: 200, NextToken: undefined, Filters: [{ key: 'InvokedAfter', value: '2026-03-01T12:00:00Z' }] },
      { State: 'History', MaxResults: 200, NextToken: 'history-2', Filters: [{ key: 'InvokedAfter', value: '2026-03-01T12:00:00Z' }] },
    ]);
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:ssm-bastion:stack', Values: ['ec2-bastion'] },
      { Name: 'tag:ssm-bastion:name-prefix', Values: [PREFIX] },
    ]);
    // CloudTrail from just before the oldest port forward, paged until the wanted sessions are found or the pages end.
    const lookups = cloudtrailMock.commandCalls(LookupEventsCommand).map((call) => call.args[0].input);
    expect(lookups.map((input) => [input.LookupAttributes![0]!.AttributeValue, input.NextToken, input.StartTime, input.EndTime])).toEqual([
      ['StartSession', undefined, at('2026-03-02T13:59:00Z'), at('2026-03-08T12:00:00Z')],
      ['StartSession', 'trail-2', at('2026-03-02T13:59:00Z'), at('2026-03-08T12:00:00Z')],
      ['ExecuteCommand', undefined, at('2026-03-08T08:59:00Z'), at('2026-03-08T12:00:00Z')],
    ]);
  });

  test('--json: one document with ISO dates, the principal, the forward’s host and port and the CloudTrail record', async () => {
    accountWithSessions();
    const { code, out } = await bastion(['sessions', '--json']);
    expect(code).toBe(0);
    const document = JSON.parse(out) as { sessions: Record<string, unknown>[] };
    expect(Object.keys(document)).toEqual(['region', 'namePrefix', 'variants', 'since', 'until', 'filters', 'sessions', 'notes']);
    expect({ ...document, sessions: document.sessions.slice(0, 2) }).toEqual({
      region: 'eu-west-1',
      namePrefix: PREFIX,
      variants: ['ecs', 'ec2'],
      since: '2026-03-01T12:00:00Z',
      until: '2026-03-08T12:00:00Z',
      filters: { user: null, active: false },
      notes: [
        '1 EC2 shell ran on instances the stack no longer has (found by the session document); port forwards on such instances cannot be attributed to the stack: look for them in CloudTrail StartSession events',
        '1 session has no CloudTrail StartSession event: not in CloudTrail Event history (older than 90 days, or not delivered yet: events take up to 15 minutes)',
      ],
      sessions: [
        {
          sessionId: 'bob-0f1e2d3c4b5a69788',
          variant: 'ec2',
          bastion: INSTANCE,
          target: INSTANCE,
          status: 'Connected',
          active: true,
          start: '2026-03-08T11:30:00Z',
          end: null,
          durationSeconds: 1800,
          who: 'bob',
          principal: { type: 'iam-user', name: 'bob', role: null, permissionSet: null },
          owner: 'arn:aws:iam::123456789012:user/bob',
          document: FORWARD_DOC,
          kind: 'port-forward',
          forward: { host: AURORA_HOST, port: '5432', localPort: '15432' },
          command: null,
          reason: 'INC-1234 slow queries',
          cloudTrail: { eventName: 'StartSession', eventId: 'e-bob', eventTime: '2026-03-08T11:29:59Z', user: 'arn:aws:iam::123456789012:user/bob', sourceIp: '198.51.100.7' },
        },
        {
          sessionId: 'ecs-execute-command-0a1b2c3d4e5f6a7b8',
          variant: 'ecs',
          bastion: TASK,
          target: ECS_TARGET,
          status: 'Terminated',
          active: false,
          start: '2026-03-08T09:00:00Z',
          end: '2026-03-08T09:12:05Z',
          durationSeconds: 725,
          who: 'alice@example.com (SSO AdministratorAccess)',
          principal: { type: 'identity-center', name: 'alice@example.com', role: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef', permissionSet: 'AdministratorAccess' },
          owner: ALICE,
          document: 'AmazonECS-ExecuteInteractiveCommand',
          kind: 'ecs-exec',
          forward: null,
          command: '/bin/bash',
          reason: null,
          cloudTrail: { eventName: 'ExecuteCommand', eventId: 'e-alice', eventTime: '2026-03-08T08:59:59Z', user: ALICE, sourceIp: '203.0.113.9' },
        },
      ],
    });
    expect(document.sessions.map((s) => [s.sessionId, s.kind, s.forward])).toEqual([
      ['bob-0f1e2d3c4b5a69788', 'port-forward', { host: AURORA_HOST, port: '5432', localPort: '15432' }],
      ['ecs-execute-command-0a1b2c3d4e5f6a7b8', 'ecs-exec', null],
      ['root-0123abcd4567ef890', 'shell', null],
      ['carol-01234567890abcdef', 'shell', null],
      ['dave-0aaaabbbbccccdddd', 'port-forward', null],
    ]);
  });

  test('sessions ecs --active: only the open sessions of the ECS bastion, without EC2 or History calls', async () => {
    ssmMock.on(DescribeSessionsCommand, { State: 'Active' }).resolves({
      Sessions: [S.bobForward, { ...S.aliceExec, Status: 'Connected', EndDate: undefined }],
    });
    cloudtrailMock.on(LookupEventsCommand).resolves({ Events: [ALICE_EXEC] });
    const { code, out, err } = await bastion(['sessions', 'ecs', '--active']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'START                 END  DURATION  STATUS     WHO                                          BASTION                               KIND      SESSION ID',
        '2026-03-08T09:00:00Z  -    3h00m     Connected  alice@example.com (SSO AdministratorAccess)  ecs a1b2c3d4e5f60718293a4b5c6d7e8f90  ECS Exec  ecs-execute-command-0a1b2c3d4e5f6a7b8',
        '',
      ].join('\n'),
    );
    expect(err.split('\n')[0]).toBe('1 active session of the ecs bastion (acme, eu-west-1) since 2026-03-01T12:00:00Z.');
    expect(ssmMock.commandCalls(DescribeSessionsCommand)).toHaveLength(1);
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  test('--user matches part of the principal, --since takes a date, and an empty result says so', async () => {
    accountWithSessions();
    const alice = await bastion(['sessions', '--user', 'ALICE@', '--since', '2026-03-08']);
    expect(alice.out.split('\n').map((line) => line.split('  ')[0])).toEqual(['START', '2026-03-08T09:00:00Z', '']);
    expect(alice.err).toContain('1 session of the ecs and ec2 bastions (acme, eu-west-1) since 2026-03-08T00:00:00Z whose principal contains "ALICE@".');
    const nobody = await bastion(['sessions', 'ec2', '--user', 'mallory', '--since', '24h']);
    expect(nobody.code).toBe(0);
    expect(nobody.out).toBe('');
    expect(nobody.err).toBe('No sessions of the ec2 bastion (acme, eu-west-1) since 2026-03-07T12:00:00Z whose principal contains "mallory".\n');
  });

  test('--no-cloudtrail: no LookupEvents; the forward’s host and port stay unknown', async () => {
    accountWithSessions();
    const { code, out } = await bastion(['sessions', 'ec2', '--no-cloudtrail']);
    expect(code).toBe(0);
    expect(cloudtrailMock.calls()).toHaveLength(0);
    expect(out).toContain('port-forward (host:port not known)  bob-0f1e2d3c4b5a69788');
  });

  test('CloudTrail denied: the sessions are still listed, and a note names the action and the auditor policy', async () => {
    accountWithSessions();
    cloudtrailMock.on(LookupEventsCommand).rejects(
      new CloudTrailAccessDenied({
        message: 'User: arn:aws:sts::123456789012:assumed-role/auditor/zoe is not authorized to perform: cloudtrail:LookupEvents',
        $metadata: {},
      }),
    );
    const { code, out, err } = await bastion(['sessions']);
    expect(code).toBe(0);
    expect(out.split('\n')).toHaveLength(7);
    expect(out).toContain('port-forward (host:port not known)  bob-0f1e2d3c4b5a69788');
    expect(err).toContain(
      'note: CloudTrail StartSession events not read (cloudtrail:LookupEvents denied: attach the auditor policy, output auditor_policy_arn).\n' +
        'note: CloudTrail ExecuteCommand events not read (cloudtrail:LookupEvents denied: attach the auditor policy, output auditor_policy_arn).\n',
    );
  });

  test('Session Manager history denied: exit 1, naming ssm:DescribeSessions and the auditor policy', async () => {
    const message = 'User: arn:aws:sts::123456789012:assumed-role/auditor/zoe is not authorized to perform: ssm:DescribeSessions on resource: *';
    ssmMock.on(DescribeSessionsCommand).rejects(new AccessDeniedException({ message, Message: message, $metadata: {} }));
    const { code, out, err } = await bastion(['sessions', 'ecs']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      'error: Access denied: arn:aws:sts::123456789012:assumed-role/auditor/zoe is not allowed to call ssm:DescribeSessions.\n' +
        '  Missing IAM action: ssm:DescribeSessions. Attach the auditor policy named by the stack output `auditor_policy_arn` (`cdktf output <stack>` or `terraform output auditor_policy_arn`) to your role or SSO permission set: it is read-only and allows what `bastion sessions` and `bastion transcript` read. Or ask your AWS administrator to grant the action.\n',
    );
  });

  test('--since beyond Session Manager’s history says where older sessions are', async () => {
    accountWithSessions();
    const { code, err } = await bastion(['sessions', 'ecs', '--since', '6w', '--no-cloudtrail']);
    expect(code).toBe(0);
    expect(err).toContain("note: Session Manager's history reaches back about 30 days; older sessions are only in CloudTrail and the transcripts.");
  });

  test('ECS Exec: who is the caller CloudTrail names, not the session’s owner; --user and the JSON record find them by it', async () => {
    // ECS starts the session on the caller's behalf: Session Manager's owner need not be the person.
    const ecsRole = 'arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForECS/ecs-execute-command';
    ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string }) => ({ Sessions: input.State === 'Active' ? [] : [{ ...S.aliceExec, Owner: ecsRole }] }));
    cloudtrailMock.on(LookupEventsCommand).resolves({ Events: [ALICE_EXEC] });
    const json = await bastion(['sessions', 'ecs', '--json']);
    const [session] = (JSON.parse(json.out) as { sessions: Record<string, unknown>[] }).sessions;
    expect(session).toMatchObject({ who: 'alice@example.com (SSO AdministratorAccess)', owner: ecsRole, cloudTrail: { user: ALICE } });
    // The caller's role, which only CloudTrail's ARN names (the label shows the permission set).
    const found = await bastion(['sessions', 'ecs', '--user', 'AWSReservedSSO_Administrator']);
    expect(found.err.split('\n')[0]).toBe('1 session of the ecs bastion (acme, eu-west-1) since 2026-03-01T12:00:00Z whose principal contains "AWSReservedSSO_Administrator".');
  });

  test('CloudTrail paging: another session’s event does not end it, and it stops once every wanted session is found', async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance(INSTANCE, 'running')] }] });
    ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string }) => ({ Sessions: input.State === 'Active' ? [S.bobForward] : [] }));
    const otherSession = trailEvent({ eventID: 'e-frank', eventName: 'StartSession', eventSource: 'ssm.amazonaws.com', responseElements: { sessionId: S.otherInstance.SessionId } });
    cloudtrailMock.on(LookupEventsCommand).callsFake((input: { NextToken?: string }) => {
      if (input.NextToken === undefined) return { Events: [otherSession], NextToken: 'trail-2' };
      return input.NextToken === 'trail-2' ? { Events: [BOB_START], NextToken: 'trail-3' } : { Events: [] };
    });
    const { code, out, err } = await bastion(['sessions', 'ec2']);
    expect(code).toBe(0);
    expect(out).toContain(`port-forward ${AURORA_HOST}:5432  bob-0f1e2d3c4b5a69788`);
    expect(err).not.toContain('note:');
    expect(cloudtrailMock.commandCalls(LookupEventsCommand).map((call) => [call.args[0].input.NextToken, call.args[0].input.MaxResults])).toEqual([
      [undefined, 50],
      ['trail-2', 50],
    ]);
  });

  test('CloudTrail paging stops after 20 pages and says how many sessions it missed and why', async () => {
    accountWithSessions();
    cloudtrailMock.on(LookupEventsCommand).callsFake((input: { LookupAttributes: { AttributeValue: string }[] }) =>
      input.LookupAttributes[0]!.AttributeValue === 'ExecuteCommand' ? { Events: [ALICE_EXEC] } : { Events: [ATHENA_START], NextToken: 'more' },
    );
    const { code, err } = await bastion(['sessions']);
    expect(code).toBe(0);
    expect(cloudtrailMock.commandCalls(LookupEventsCommand, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StartSession' }] })).toHaveLength(20);
    expect(err).toContain('note: 2 sessions have no CloudTrail StartSession event: the lookup stopped after 1000 StartSession events of the account; narrow --since.\n');
  });

  test('--since past CloudTrail’s 90 days asks LookupEvents for its 90 days only', async () => {
    const old = { ...S.daveFailedForward, StartDate: at('2025-11-01T00:00:00Z'), EndDate: at('2025-11-01T00:00:04Z') };
    ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string }) => ({ Sessions: input.State === 'Active' ? [] : [old] }));
    cloudtrailMock.on(LookupEventsCommand).resolves({ Events: [] });
    expect((await bastion(['sessions', 'ecs', '--since', '20w'])).code).toBe(0);
    expect(cloudtrailMock.commandCalls(LookupEventsCommand).map((call) => call.args[0].input.StartTime)).toEqual([at('2025-12-08T12:00:00Z')]);
  });

  test('CloudTrail failing other than by a denial is an error (exit 1), not a note that makes the details look merely unread', async () => {
    accountWithSessions();
    cloudtrailMock.on(LookupEventsCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } }));
    const { code, out, err } = await bastion(['sessions']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).not.toContain('note:');
  });

  test('the stack’s instances are read from every page of DescribeInstances: a port forward on the second is listed', async () => {
    ec2Mock.on(DescribeInstancesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'ec2-2'
        ? { Reservations: [{ Instances: [instance(INSTANCE, 'running')] }] }
        : { Reservations: [{ Instances: [instance('i-0bbbbbbbbbbbbbbbb', 'terminated')] }], NextToken: 'ec2-2' },
    );
    ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string }) => ({ Sessions: input.State === 'Active' ? [S.bobForward] : [] }));
    const { code, out } = await bastion(['sessions', 'ec2', '--no-cloudtrail']);
    expect(code).toBe(0);
    expect(out.split('\n').map((line) => line.split('  ').at(-1))).toEqual(['SESSION ID', 'bob-0f1e2d3c4b5a69788', '']);
  });

  test('Session Manager paging stops after 50 pages with a note that the list is incomplete', async () => {
    ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string }) => (input.State === 'Active' ? { Sessions: [] } : { Sessions: [S.aliceExec], NextToken: 'more' }));
    const { code, err } = await bastion(['sessions', 'ecs', '--no-cloudtrail']);
    expect(code).toBe(0);
    expect(ssmMock.commandCalls(DescribeSessionsCommand, { State: 'History' })).toHaveLength(50);
    expect(err).toContain("note: Session Manager's History list stopped after 10000 sessions of the account; narrow --since.\n");
  });

  test.each([
    ['ec2', [`ec2 ${INSTANCE}`, `ec2 ${INSTANCE}`, `ec2 ${OLD_INSTANCE}`]],
    ['ecs', [`ecs ${TASK}`, `ecs ${TASK}`]],
  ])('sessions %s lists only that bastion’s sessions', async (variant, expected) => {
    accountWithSessions();
    const { out } = await bastion(['sessions', variant, '--no-cloudtrail']);
    expect(out.split('\n').slice(1, -1).map((line) => line.split(/ {2,}/)[5])).toEqual(expected);
  });

  test('--since is exact whatever Session Manager answers: a session started at that second is in, an older one out', async () => {
    accountWithSessions();
    const { code, out } = await bastion(['sessions', '--since', '2026-03-05T08:00:00Z', '--no-cloudtrail']);
    expect(code).toBe(0);
    expect(out.split('\n').map((line) => line.split(/ {2,}/).at(-1))).toEqual([
      'SESSION ID',
      'bob-0f1e2d3c4b5a69788',
      'ecs-execute-command-0a1b2c3d4e5f6a7b8',
      'root-0123abcd4567ef890',
      'carol-01234567890abcdef',
      '',
    ]);
  });

  test('the note on Session Manager’s 30 days comes only past them', async () => {
    accountWithSessions();
    expect((await bastion(['sessions', 'ecs', '--since', '30d', '--no-cloudtrail'])).err).not.toContain('30 days');
    expect((await bastion(['sessions', 'ecs', '--since', '31d', '--no-cloudtrail'])).err).toContain("note: Session Manager's history reaches back about 30 days");
  });

  test('a session in both lists (it ended between the two calls) is listed once, as the Active list had it', async () => {
    ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string }) => ({
      Sessions: input.State === 'Active' ? [{ ...S.aliceExec, Status: 'Connected', EndDate: undefined }] : [S.aliceExec],
    }));
    const { out } = await bastion(['sessions', 'ecs', '--no-cloudtrail']);
    expect(out.split('\n').slice(1, -1).map((line) => line.split(/ {2,}/)[3])).toEqual(['Connected']);
  });

  test('sessions that started in the same second are ordered by session id', async () => {
    const same = { ...S.aliceExec, StartDate: at('2026-03-08T09:00:00Z') };
    ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string }) => ({
      Sessions: input.State === 'Active' ? [] : [{ ...same, SessionId: 'ecs-execute-command-0b' }, { ...same, SessionId: 'ecs-execute-command-0a' }],
    }));
    const { out } = await bastion(['sessions', 'ecs', '--no-cloudtrail']);
    expect(out.split('\n').slice(1, -1).map((line) => line.split('  ').at(-1))).toEqual(['ecs-execute-command-0a', 'ecs-execute-command-0b']);
  });

  test.each([
    [['sessions', '--since', 'yesterday'], '--since yesterday: not an age or a date.'],
    [['sessions', '--since', '2026-04-01'], '--since 2026-04-01: 2026-04-01T00:00:00Z is in the future.'],
    [['sessions', 'k8s'], "argument 'variant'. Allowed choices are ecs, ec2"],
  ])('usage error (exit 2): bastion %j', async (args, message) => {
    const { code, err } = await bastion(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(ssmMock.calls()).toHaveLength(0);
  });
});
