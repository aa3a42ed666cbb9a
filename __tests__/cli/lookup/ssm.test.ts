import { DescribeDocumentCommand, DescribeInstancePatchStatesCommand, InvalidDocument } from '@aws-sdk/client-ssm';
import { describePatchState, describeSessionDocument } from '../../../cli/lookup/ssm';
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
});
