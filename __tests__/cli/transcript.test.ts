/**
 * `bastion transcript <session-id>` end to end inside the process: the session's metadata, its transcript from
 * CloudWatch Logs or the S3 archive (aws-sdk-client-mock), and every answer when there is none.
 */
import { DescribeLogStreamsCommand, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DescribeSessionsCommand, type Session } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { run } from '../../cli/main';
import { bastionNames } from '../../modules/naming';
import { sentSdkCommands, spawnedAwsCliCalls, uncoveredCalls } from './calls';
import { CLUSTER, CONFIG, configDir, fakeRuntime, type FakeRuntime, mockedAwsClients, PREFIX } from './support';

const { ssmMock, logsMock, s3Mock, stsMock, mocks } = mockedAwsClients();

const NOW = Date.parse('2026-03-08T12:00:00Z');
const TASK = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const INSTANCE = 'i-0123456789abcdef0';
const ALICE = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com';
const SHELL_ID = 'alice-0a1b2c3d4e5f67890';
const EXEC_ID = 'ecs-execute-command-0f9e8d7c6b5a43210';
const BUCKET = 'acme-ecs-audit-123456789012-eu-west-1';
const EXEC_KEY = `ecs-exec/${EXEC_ID}.log`;

const SHELL: Session = {
  SessionId: SHELL_ID,
  Target: INSTANCE,
  Status: 'Terminated',
  StartDate: new Date('2026-03-08T09:00:00Z'),
  EndDate: new Date('2026-03-08T09:05:30Z'),
  DocumentName: `${PREFIX}-session-preferences`,
  Owner: ALICE,
};
const EXEC: Session = {
  SessionId: EXEC_ID,
  Target: `ecs:${CLUSTER}_${TASK}_${TASK}-1234567890`,
  Status: 'Terminated',
  StartDate: new Date('2026-03-07T15:00:00Z'),
  EndDate: new Date('2026-03-07T15:20:00Z'),
  DocumentName: 'AmazonECS-ExecuteInteractiveCommand',
  Owner: 'arn:aws:iam::123456789012:user/bob',
};
const FORWARD: Session = {
  SessionId: 'bob-0f1e2d3c4b5a69788',
  Target: INSTANCE,
  Status: 'Terminated',
  StartDate: new Date('2026-03-08T10:00:00Z'),
  EndDate: new Date('2026-03-08T11:00:00Z'),
  DocumentName: 'AWS-StartPortForwardingSessionToRemoteHost',
  Owner: 'arn:aws:iam::123456789012:user/bob',
};

/** Session Manager knows these sessions, in its history or among the active ones. */
function history(ended: Session[], active: Session[] = []) {
  ssmMock.on(DescribeSessionsCommand).callsFake((input: { State: string; Filters: { value: string }[] }) => ({
    Sessions: (input.State === 'Active' ? active : ended).filter((s) => s.SessionId === input.Filters[0]!.value),
  }));
}

/** The agent's streaming format: one JSON object per event, the lines in sessionData. */
const streamed = (timestamp: string, ...lines: string[]) => ({
  timestamp: Date.parse(timestamp),
  // CloudWatch ingests an event a moment after it happened; the transcript's times are the events' own.
  ingestionTime: Date.parse(timestamp) + 2_000,
  message: JSON.stringify({ eventVersion: '1.0', eventTime: timestamp, target: { id: INSTANCE }, userIdentity: { arn: ALICE }, runAsUser: 'ssm-user', sessionId: SHELL_ID, sessionData: lines }),
});

/** The shell's stream in three pages; the last hands back the token it was given. */
function shellInCloudWatch() {
  logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: SHELL_ID }] });
  logsMock.on(GetLogEventsCommand).callsFake((input: { nextToken?: string }) => {
    if (input.nextToken === undefined) {
      return { events: [streamed('2026-03-08T09:00:05Z', 'sh-5.2$ whoami', 'ssm-user'), streamed('2026-03-08T09:01:00Z', 'sh-5.2$ sudo head -1 /etc/shadow', 'root:*:19000:0:99999:7:::')], nextForwardToken: 'f/1' };
    }
    if (input.nextToken === 'f/1') return { events: [streamed('2026-03-08T09:05:29Z', 'sh-5.2$ exit', 'exit')], nextForwardToken: 'f/2' };
    return { events: [], nextForwardToken: 'f/2' };
  });
}

const runs: { argv: string[]; runtime: FakeRuntime }[] = [];
afterEach(() => {
  const uncovered = runs.splice(0).flatMap(({ argv, runtime }) =>
    uncoveredCalls(argv, sentSdkCommands(mocks), spawnedAwsCliCalls(runtime.spawned, bastionNames(PREFIX))),
  );
  expect(uncovered).toEqual([]); // add each new call to CLI_COMMAND_CALLS in cli/permissions.ts
});

async function bastion(args: string[], config?: object) {
  const runtime = fakeRuntime(config ? { cwd: configDir(config) } : {});
  runtime.clock.time = NOW;
  runs.push({ argv: args, runtime });
  const code = await run(args, runtime);
  return { code, out: runtime.stdout.text, err: runtime.stderr.text };
}

/** The closing lines: CloudTrail's start event of the session, around its start when Session Manager knows it. */
const pointer = (event: string, id: string, window?: [start: string, end: string]) =>
  [
    `Authoritative record: the CloudTrail ${event} event (who, from which address, with which parameters), and TerminateSession when it was ended:`,
    `  aws cloudtrail lookup-events --region eu-west-1 --lookup-attributes AttributeKey=EventName,AttributeValue=${event}${window ? ` --start-time ${window[0]} --end-time ${window[1]}` : ''} --query "Events[?contains(CloudTrailEvent, '${id}')]"`,
    'CloudTrail Event history keeps 90 days; older events are in your trail (S3 or CloudTrail Lake), if the account has one.',
  ].join('\n');
const SHELL_POINTER = pointer('StartSession', SHELL_ID, ['2026-03-08T08:55:00Z', '2026-03-08T09:05:00Z']);

describe('bastion transcript', () => {
  test('an EC2 shell: the streamed transcript from CloudWatch Logs, every page, then where CloudTrail has the record', async () => {
    history([SHELL]);
    shellInCloudWatch();
    const { code, out, err } = await bastion(['transcript', SHELL_ID]);
    expect(code).toBe(0);
    expect(out).toBe('sh-5.2$ whoami\nssm-user\nsh-5.2$ sudo head -1 /etc/shadow\nroot:*:19000:0:99999:7:::\nsh-5.2$ exit\nexit\n');
    expect(err).toBe(
      [
        `Session ${SHELL_ID}: shell on the ec2 bastion (${INSTANCE}), by alice@example.com (SSO AdministratorAccess), 2026-03-08T09:00:00Z to 2026-03-08T09:05:30Z, Terminated.`,
        `Transcript from CloudWatch Logs /acme/ec2/sessions, stream ${SHELL_ID} (3 events):`,
        SHELL_POINTER,
        '',
      ].join('\n'),
    );
    expect(logsMock.commandCalls(DescribeLogStreamsCommand)[0]!.args[0].input).toEqual({ logGroupName: '/acme/ec2/sessions', logStreamNamePrefix: SHELL_ID });
    expect(logsMock.commandCalls(GetLogEventsCommand).map((call) => call.args[0].input.nextToken)).toEqual([undefined, 'f/1', 'f/2']);
    // From the head: without startFromHead, GetLogEvents starts with the newest events and the transcript loses its start.
    expect(logsMock.commandCalls(GetLogEventsCommand)[0]!.args[0].input).toEqual({ logGroupName: '/acme/ec2/sessions', logStreamName: SHELL_ID, startFromHead: true, nextToken: undefined });
    expect(s3Mock.calls()).toHaveLength(0);
    expect(stsMock.calls()).toHaveLength(0);
  });

  test('--json: the session, the source, the events with their times, and the text', async () => {
    history([SHELL]);
    shellInCloudWatch();
    const { code, out } = await bastion(['transcript', SHELL_ID, '--json']);
    expect(code).toBe(0);
    const document = JSON.parse(out) as Record<string, unknown> & { session: Record<string, unknown>; events: { time: string; message: string }[] };
    expect(Object.keys(document)).toEqual(['sessionId', 'session', 'source', 'events', 'text']);
    expect(document.sessionId).toBe(SHELL_ID);
    expect(document.session).toMatchObject({ sessionId: SHELL_ID, variant: 'ec2', bastion: INSTANCE, kind: 'shell', who: 'alice@example.com (SSO AdministratorAccess)', durationSeconds: 330 });
    expect(document.source).toEqual({ type: 'cloudwatch', logGroup: '/acme/ec2/sessions', logStream: SHELL_ID });
    expect(document.events.map((e) => e.time)).toEqual(['2026-03-08T09:00:05Z', '2026-03-08T09:01:00Z', '2026-03-08T09:05:29Z']);
    expect(JSON.parse(document.events[0]!.message)).toMatchObject({ sessionData: ['sh-5.2$ whoami', 'ssm-user'] });
    expect(document.text).toBe('sh-5.2$ whoami\nssm-user\nsh-5.2$ sudo head -1 /etc/shadow\nroot:*:19000:0:99999:7:::\nsh-5.2$ exit\nexit\n');
  });

  test('an open session: what was recorded so far, and a note that it is still open', async () => {
    history([], [{ ...SHELL, Status: 'Connected', EndDate: undefined }]);
    shellInCloudWatch();
    const { code, err } = await bastion(['transcript', SHELL_ID]);
    expect(code).toBe(0);
    expect(err).toContain('2026-03-08T09:00:00Z to now (still open), Connected.');
    expect(err).toContain('note: the session is still open; this is what was recorded so far.');
  });

  const RECORDED =
    '\u001b]0;root@ip-10-42-0-7\u0007\u001b[01;32mroot@ip-10-42-0-7\u001b[00m:/# ls\r\nbin  etc\r\n' +
    'root@ip-10-42-0-7:/# rm -rf /tmp/x\b\b\b\b\b\b\b\b\b\bcat /etc/passwd\r\n';

  function execOnlyInTheArchive() {
    history([EXEC]);
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [] });
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: EXEC_KEY, StorageClass: 'STANDARD_IA' }] });
    s3Mock.on(HeadObjectCommand).resolves({ StorageClass: 'STANDARD_IA', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k' });
    s3Mock.on(GetObjectCommand).resolves({ Body: { transformToString: async () => RECORDED } as never });
  }

  test('an ECS Exec session only in the archive: found by prefix, decrypted by S3, escape sequences made harmless', async () => {
    execOnlyInTheArchive();
    const { code, out, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(0);
    expect(out).toBe('root@ip-10-42-0-7:/# ls\nbin  etc\nroot@ip-10-42-0-7:/# rm -rf /tmp/x^H^H^H^H^H^H^H^H^H^Hcat /etc/passwd\n');
    expect(err).toBe(
      [
        `Session ${EXEC_ID}: ECS Exec on the ecs bastion (${TASK}), by bob, 2026-03-07T15:00:00Z to 2026-03-07T15:20:00Z, Terminated.`,
        `Transcript from the archive s3://${BUCKET}/${EXEC_KEY} (STANDARD_IA, decrypted by S3 with the audit key):`,
        pointer('ExecuteCommand', EXEC_ID, ['2026-03-07T14:55:00Z', '2026-03-07T15:05:00Z']),
        '',
      ].join('\n'),
    );
    expect(logsMock.commandCalls(DescribeLogStreamsCommand)[0]!.args[0].input).toEqual({ logGroupName: '/acme/ecs/exec', logStreamNamePrefix: EXEC_ID });
    expect(s3Mock.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toEqual({ Bucket: BUCKET, Prefix: `ecs-exec/${EXEC_ID}`, MaxKeys: 10 });
    expect(s3Mock.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET, Key: EXEC_KEY });
  });

  test('--raw prints the bytes as recorded; a configured accountId names the bucket without STS', async () => {
    execOnlyInTheArchive();
    const { code, out } = await bastion(['transcript', EXEC_ID, '--raw'], { ...CONFIG, accountId: '123456789012' });
    expect(code).toBe(0);
    expect(out).toBe(RECORDED);
    expect(stsMock.calls()).toHaveLength(0);
  });

  test('a port forward: no transcript by design, what is recorded instead, and the CloudTrail record (exit 1)', async () => {
    history([FORWARD]);
    const { code, out, err } = await bastion(['transcript', FORWARD.SessionId!]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      [
        `Session ${FORWARD.SessionId}: port-forward (host:port not known) on the ec2 bastion (${INSTANCE}), by bob, 2026-03-08T10:00:00Z to 2026-03-08T11:00:00Z, Terminated.`,
        `error: Session ${FORWARD.SessionId} was a port forward (AWS-StartPortForwardingSessionToRemoteHost): no keystrokes or data are recorded.`,
        '  Session Manager relays the bytes of a tunnel and records none of them: there is no transcript of a port forward. What is recorded:',
        "    - Session Manager's history: who, which bastion, start and end (`bastion sessions`);",
        '    - CloudTrail StartSession with the document and its parameters (host, portNumber, localPortNumber), and TerminateSession;',
        '    - VPC flow logs (network.mode "create"): the connections from the bastion to the host;',
        "    - the target's own audit log (e.g. database audit logging): what was done there.",
        ...pointer('StartSession', FORWARD.SessionId!, ['2026-03-08T09:55:00Z', '2026-03-08T10:05:00Z'])
          .split('\n')
          .map((line) => `  ${line}`),
        '',
      ].join('\n'),
    );
    expect(logsMock.calls()).toHaveLength(0);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  test('missing or expired: says where it looked, the retention and the lifecycle (exit 1)', async () => {
    history([]);
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: 'carol-0123456789abcdef0' }] });
    logsMock.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    s3Mock.on(ListObjectsV2Command).resolves({});
    const { code, out, err } = await bastion(['transcript', 'carol-0123456789abcdef0']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      [
        "Session carol-0123456789abcdef0 is not in Session Manager's history (it keeps about 30 days); looking for its transcript anyway.",
        'error: No transcript of session carol-0123456789abcdef0 in CloudWatch Logs or the archive.',
        '  Looked in:',
        '    - CloudWatch Logs /acme/ec2/sessions: the stream carol-0123456789abcdef0 holds no events any more (past the retention)',
        '    - S3 s3://acme-ec2-audit-123456789012-eu-west-1/session-manager/carol-0123456789abcdef0*: no object',
        '  CloudWatch Logs keeps transcripts for log_retention_days (365 days in the configuration; the Terraform variable may set another value); the archive keeps them for good, those of 128 KB or more in S3 Standard-IA after 30 days and Glacier after 90 (then this command says how to restore one), smaller ones in S3 Standard.',
        '  A session has no transcript when it was a port forward, used a document without logging (e.g. the account default SSM-SessionManagerRunShell), failed before its shell started, or is still open (ECS Exec uploads the transcript when the session ends).',
        ...pointer('StartSession', 'carol-0123456789abcdef0')
          .split('\n')
          .map((line) => `  ${line}`),
        '',
      ].join('\n'),
    );
  });

  test('no log group and the archive off: both said, and no S3 call', async () => {
    history([]);
    logsMock.on(DescribeLogStreamsCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }));
    const { code, err } = await bastion(['transcript', EXEC_ID], { ...CONFIG, audit: { s3Archive: false } });
    expect(code).toBe(1);
    expect(err).toContain('    - CloudWatch Logs: the log group /acme/ecs/exec does not exist (stack not deployed here?)\n');
    expect(err).toContain('    - S3 archive: off in the configuration (audit.s3Archive is false)\n');
    expect(s3Mock.calls()).toHaveLength(0);
    expect(stsMock.calls()).toHaveLength(0);
  });

  test('in Glacier: says so and how an administrator restores it, instead of failing obscurely (exit 1)', async () => {
    execOnlyInTheArchive();
    s3Mock.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER', ServerSideEncryption: 'aws:kms' });
    const { code, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(1);
    expect(err).toContain(`error: The transcript of session ${EXEC_ID} is in S3 GLACIER (s3://${BUCKET}/${EXEC_KEY}): the archive's lifecycle moves transcripts there after 90 days.\n`);
    expect(err).toContain(
      `    aws s3api restore-object --bucket ${BUCKET} --key ${EXEC_KEY} --restore-request '{"Days":7,"GlacierJobParameters":{"Tier":"Standard"}}'\n`,
    );
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  test('in Deep Archive: said the same way, and no GetObject is tried', async () => {
    execOnlyInTheArchive();
    s3Mock.on(HeadObjectCommand).resolves({ StorageClass: 'DEEP_ARCHIVE', ServerSideEncryption: 'aws:kms' });
    const { code, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(1);
    expect(err).toContain(`is in S3 DEEP_ARCHIVE (s3://${BUCKET}/${EXEC_KEY})`);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  test('the exact stream of the session, not another one that shares its prefix', async () => {
    history([]);
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: `${SHELL_ID}0` }, { logStreamName: SHELL_ID }] });
    logsMock.on(GetLogEventsCommand).resolves({ events: [streamed('2026-03-08T09:00:05Z', 'exit')], nextForwardToken: 'f/0' });
    await bastion(['transcript', SHELL_ID]);
    expect(logsMock.commandCalls(GetLogEventsCommand)[0]!.args[0].input).toMatchObject({ logStreamName: SHELL_ID });
  });

  test('a restored Glacier copy is read; a restore in progress is said', async () => {
    execOnlyInTheArchive();
    s3Mock.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER', Restore: 'ongoing-request="false", expiry-date="Fri, 13 Mar 2026 00:00:00 GMT"' });
    expect((await bastion(['transcript', EXEC_ID])).code).toBe(0);
    s3Mock.on(HeadObjectCommand).resolves({ StorageClass: 'GLACIER', Restore: 'ongoing-request="true"' });
    const pending = await bastion(['transcript', EXEC_ID]);
    expect(pending.code).toBe(1);
    expect(pending.err).toContain('  A restore of it is in progress; run this command again when it has finished (Standard: 3-5 hours).\n');
  });

  test('kms:Decrypt denied on the archive: the error names it and the auditor policy', async () => {
    execOnlyInTheArchive();
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const { code, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(1);
    expect(err).toContain(
      'error: Access denied: Your AWS identity is not allowed to call kms:Decrypt (S3 decrypts the archive (SSE-KMS, key arn:aws:kms:eu-west-1:123456789012:key/k) with your kms:Decrypt).\n' +
        '  Missing IAM action: kms:Decrypt. Attach the auditor policy named by the stack output `auditor_policy_arn`',
    );
  });

  test('reading the object denied: a bare 403 on HEAD names s3:GetObject and the auditor policy', async () => {
    execOnlyInTheArchive();
    s3Mock.on(HeadObjectCommand).rejects(Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } }));
    const { code, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(1);
    expect(err).toContain(`error: Access denied: Your AWS identity is not allowed to call s3:GetObject (s3://${BUCKET}/${EXEC_KEY}).\n  Missing IAM action: s3:GetObject. Attach the auditor policy`);
  });

  test('a stream or archive object named otherwise after the session id is still found, and the header names it', async () => {
    history([SHELL]);
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [{ logStreamName: `${SHELL_ID}.log` }] });
    logsMock.on(GetLogEventsCommand).callsFake((input: { nextToken?: string }) => ({ events: input.nextToken ? [] : [streamed('2026-03-08T09:00:05Z', 'exit')], nextForwardToken: 'f/0' }));
    const logs = await bastion(['transcript', SHELL_ID]);
    expect(logs.code).toBe(0);
    expect(logs.err).toContain(`Transcript from CloudWatch Logs /acme/ec2/sessions, stream ${SHELL_ID}.log (1 events):\n`);
    execOnlyInTheArchive();
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `ecs-exec/${EXEC_ID}-1.log` }] });
    const archive = await bastion(['transcript', EXEC_ID]);
    expect(archive.code).toBe(0);
    expect(archive.err).toContain(`Transcript from the archive s3://${BUCKET}/ecs-exec/${EXEC_ID}-1.log (STANDARD_IA, decrypted by S3 with the audit key):\n`);
  });

  test('the exact archive object of the session, not another one that shares its prefix', async () => {
    execOnlyInTheArchive();
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `ecs-exec/${EXEC_ID}-1.log` }, { Key: EXEC_KEY }] });
    expect((await bastion(['transcript', EXEC_ID])).code).toBe(0);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET, Key: EXEC_KEY });
  });

  test('GetObject refused as InvalidObjectState (not readable until restored): said like Glacier, not as an AWS failure', async () => {
    execOnlyInTheArchive();
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('The operation is not valid for the object\'s storage class'), { name: 'InvalidObjectState', $metadata: { httpStatusCode: 403 } }));
    const { code, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(1);
    expect(err).toContain(`error: The transcript of session ${EXEC_ID} is in S3 STANDARD_IA (s3://${BUCKET}/${EXEC_KEY}): the archive's lifecycle moves transcripts there after 90 days.\n`);
  });

  test('no archive bucket: said among the places looked in (exit 1)', async () => {
    history([EXEC]);
    logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [] });
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    s3Mock.on(ListObjectsV2Command).rejects(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }));
    const { code, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(1);
    expect(err).toContain(`error: No transcript of session ${EXEC_ID} in CloudWatch Logs or the archive.\n  Looked in:\n    - CloudWatch Logs /acme/ecs/exec: no stream ${EXEC_ID}\n    - S3: the archive bucket ${BUCKET} does not exist\n`);
  });

  test('CloudWatch Logs denied: an access error naming the action, not "no log group", and no look in the archive', async () => {
    history([SHELL]);
    const message = `User: arn:aws:sts::123456789012:assumed-role/auditor/zoe is not authorized to perform: logs:DescribeLogStreams`;
    logsMock.on(DescribeLogStreamsCommand).rejects(Object.assign(new Error(message), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const { code, out, err } = await bastion(['transcript', SHELL_ID]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('error: Access denied: arn:aws:sts::123456789012:assumed-role/auditor/zoe is not allowed to call logs:DescribeLogStreams.\n');
    expect(s3Mock.calls()).toHaveLength(0);
  });

  test('listing the archive denied: an access error naming s3:ListBucket, not "the bucket does not exist"', async () => {
    execOnlyInTheArchive();
    s3Mock.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    const { code, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(1);
    expect(err).toContain('error: Access denied: Your AWS identity is not allowed to call s3:ListBucket');
    expect(err).not.toContain('does not exist');
  });

  test('a session on another cluster is not this deployment’s (exit 1, nothing read)', async () => {
    history([{ ...EXEC, Target: `ecs:payments-prod_${TASK}_${TASK}-1` }]);
    const { code, err } = await bastion(['transcript', EXEC_ID]);
    expect(code).toBe(1);
    expect(err).toContain(`error: Session ${EXEC_ID} ran on ecs:payments-prod_${TASK}_${TASK}-1, not on a bastion of this deployment (acme).`);
    expect(logsMock.calls()).toHaveLength(0);
  });

  test.each([['../etc/passwd'], ['alice 0a1b2c3d4e5f'], ['*'], ['ecs'], ['alice-'], ['alice-0a1b2c3']])('%j is not a session id (exit 2, no AWS call)', async (id) => {
    const { code, err } = await bastion(['transcript', id]);
    expect(code).toBe(2);
    expect(err).toContain(`"${id}" is not a session id.`);
    expect(ssmMock.calls()).toHaveLength(0);
  });
});
