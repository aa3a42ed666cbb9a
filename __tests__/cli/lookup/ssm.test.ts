/** What Systems Manager reports of the EC2 bastion: session document, patch compliance, SSM agent. */
import {
  DescribeDocumentCommand,
  DescribeInstanceInformationCommand,
  DescribeInstancePatchStatesCommand,
  type InstancePatchState,
  InvalidDocument,
  PingStatus,
} from '@aws-sdk/client-ssm';
import { describePatchState, describeSessionDocument, describeSsmAgent, patchStateInfo } from '../../../cli/lookup/ssm';
import { mockedAwsClients, PREFIX } from '../support';

const { ssmMock, ssm } = mockedAwsClients();

describe('session document and patch compliance', () => {
  test('the session document, present or missing', async () => {
    ssmMock.on(DescribeDocumentCommand).resolvesOnce({ Document: { Name: 'acme-session-preferences', Status: 'Active', DocumentVersion: '3' } });
    expect(await describeSessionDocument(ssm, 'acme-session-preferences')).toEqual({ name: 'acme-session-preferences', present: true, status: 'Active', version: '3' });
    ssmMock.on(DescribeDocumentCommand).rejects(new InvalidDocument({ message: 'Document not found', $metadata: {} }));
    expect(await describeSessionDocument(ssm, 'acme-session-preferences')).toEqual({ name: 'acme-session-preferences', present: false });
  });

  test('compliance follows missing, failed and non-compliant counts', async () => {
    const base = { InstanceId: 'i-a', PatchGroup: PREFIX, BaselineId: 'pb-1', OperationStartTime: new Date(0), OperationEndTime: new Date('2026-11-22T03:10:00Z'), Operation: 'Scan' as const };
    ssmMock
      .on(DescribeInstancePatchStatesCommand)
      .resolvesOnce({ InstancePatchStates: [{ ...base, InstalledCount: 120, MissingCount: 0, FailedCount: 0, CriticalNonCompliantCount: 0 }] })
      .resolvesOnce({ InstancePatchStates: [{ ...base, InstalledCount: 118, MissingCount: 2, FailedCount: 0, SecurityNonCompliantCount: 2 }] })
      .resolvesOnce({ InstancePatchStates: [] });
    expect(await describePatchState(ssm, 'i-a')).toMatchObject({ compliant: true, installed: 120, operation: 'Scan' });
    expect(await describePatchState(ssm, 'i-a')).toMatchObject({ compliant: false, missing: 2, securityNonCompliant: 2 });
    expect(await describePatchState(ssm, 'i-a')).toBeUndefined();
    expect(ssmMock.commandCalls(DescribeInstancePatchStatesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-a'] });
  });

  test('the patch state of another instance is not taken for this one', async () => {
    ssmMock.on(DescribeInstancePatchStatesCommand).resolves({
      InstancePatchStates: [
        { InstanceId: 'i-b', PatchGroup: PREFIX, BaselineId: 'pb-1', OperationStartTime: new Date(0), OperationEndTime: new Date(0), Operation: 'Scan', MissingCount: 3 },
        { InstanceId: 'i-a', PatchGroup: PREFIX, BaselineId: 'pb-1', OperationStartTime: new Date(0), OperationEndTime: new Date(0), Operation: 'Install', InstalledCount: 7 },
      ],
    });
    expect(await describePatchState(ssm, 'i-a')).toMatchObject({ operation: 'Install', compliant: true, installed: 7, missing: 0 });
  });
});

describe('patch compliance for every combination of counts', () => {
  // The counts Patch Manager reports that make an instance non-compliant; each may be absent, 0 or more. AWS:
  // nodes with patches pending a reboot are NON_COMPLIANT (DescribePatchGroupState), and so are installed
  // rejected patches (RejectedPatchesAction BLOCK).
  const BLOCKING = [
    'CriticalNonCompliantCount',
    'SecurityNonCompliantCount',
    'OtherNonCompliantCount',
    'MissingCount',
    'FailedCount',
    'InstalledPendingRebootCount',
    'InstalledRejectedCount',
  ] as const;
  const VALUES = [undefined, 0, 3];
  const base: InstancePatchState = { InstanceId: 'i-a', PatchGroup: PREFIX, BaselineId: 'pb-1', OperationStartTime: new Date(0), OperationEndTime: new Date(0), Operation: 'Scan' };
  const combinations = BLOCKING.reduce<Partial<InstancePatchState>[]>(
    (partial, count) => partial.flatMap((state) => VALUES.map((value) => ({ ...state, [count]: value }))),
    [{}],
  );

  test(`compliant exactly when none of ${BLOCKING.join(', ')} is above 0 (all ${combinations.length} combinations)`, () => {
    expect(combinations).toHaveLength(3 ** BLOCKING.length);
    const wrong = combinations.filter((counts) => {
      const compliant = BLOCKING.every((count) => !counts[count]);
      return patchStateInfo({ ...base, ...counts }).compliant !== compliant;
    });
    expect(wrong).toEqual([]);
  });

  test.each<[string, boolean, Partial<InstancePatchState>]>([
    ['nothing reported beyond the operation', true, {}],
    ['everything installed', true, { InstalledCount: 120, InstalledOtherCount: 4, NotApplicableCount: 900 }],
    ['installed, waiting for a reboot', false, { InstalledCount: 118, InstalledPendingRebootCount: 2 }],
    ['a rejected patch installed before it was rejected', false, { InstalledCount: 120, InstalledRejectedCount: 1 }],
    ['patches not approved yet, reported as not applicable', true, { InstalledCount: 120, UnreportedNotApplicableCount: 7, NotApplicableCount: 3 }],
    ...BLOCKING.map((count): [string, boolean, Partial<InstancePatchState>] => [`${count} 1`, false, { [count]: 1 }]),
  ])('%s → compliant: %s', (_what, compliant, counts) => {
    expect(patchStateInfo({ ...base, ...counts }).compliant).toBe(compliant);
  });

  test('absent counts read as 0', () => {
    expect(patchStateInfo(base)).toEqual({
      operation: 'Scan',
      operationEndTime: new Date(0),
      compliant: true,
      installed: 0,
      missing: 0,
      failed: 0,
      pendingReboot: 0,
      installedRejected: 0,
      criticalNonCompliant: 0,
      securityNonCompliant: 0,
    });
  });
});

describe('the SSM agent for every registration state', () => {
  // Each ping status of the SDK's enum is passed on as is; none at all reads as Unknown.
  test.each<[string, string, { PingStatus?: PingStatus }]>([
    ...Object.values(PingStatus).map((status): [string, string, { PingStatus: PingStatus }] => [status, status, { PingStatus: status }]),
    ['no ping status', 'Unknown', {}],
  ])('%s → pingStatus %s', async (_what, pingStatus, info) => {
    ssmMock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-a', ...info }] });
    expect(await describeSsmAgent(ssm, 'i-a')).toMatchObject({ pingStatus });
  });

  test('never registered (or another instance only) → undefined', async () => {
    ssmMock.on(DescribeInstanceInformationCommand).resolvesOnce({ InstanceInformationList: [] }).resolves({ InstanceInformationList: [{ InstanceId: 'i-b', PingStatus: 'Online' }] });
    expect(await describeSsmAgent(ssm, 'i-a')).toBeUndefined();
    expect(await describeSsmAgent(ssm, 'i-a')).toBeUndefined();
  });
});
