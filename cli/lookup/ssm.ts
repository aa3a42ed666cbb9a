/**
 * What Systems Manager knows of the EC2 bastion: its SSM agent's registration, the stack's session document and
 * the instance's last Patch Manager operation.
 */
import {
  DescribeDocumentCommand,
  DescribeInstanceInformationCommand,
  DescribeInstancePatchStatesCommand,
  type InstancePatchState,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { awsCall } from '../aws';

/** The SSM agent's registration of an instance. */
export interface SsmAgentInfo {
  /** Online | ConnectionLost | Inactive */
  readonly pingStatus: string;
  readonly agentVersion?: string;
  readonly lastPingAt?: Date;
  readonly platform?: string;
}

/** The SSM agent's registration of an instance (undefined: the agent never registered). */
export async function describeSsmAgent(ssm: SSMClient, instanceId: string): Promise<SsmAgentInfo | undefined> {
  const result = await awsCall('ssm:DescribeInstanceInformation', () =>
    ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] })),
  );
  const info = result.InstanceInformationList?.find((i) => i.InstanceId === instanceId);
  if (!info) return undefined;
  return {
    pingStatus: info.PingStatus ?? 'Unknown',
    agentVersion: info.AgentVersion,
    lastPingAt: info.LastPingDateTime,
    platform: [info.PlatformName, info.PlatformVersion].filter(Boolean).join(' ') || undefined,
  };
}

/** The stack's session document (the logged shell of `bastion shell ec2`). */
export interface SessionDocumentInfo {
  readonly name: string;
  readonly present: boolean;
  readonly status?: string;
  readonly version?: string;
}

/** The session document by name; a missing one is `present: false`, not an error. */
export async function describeSessionDocument(ssm: SSMClient, name: string): Promise<SessionDocumentInfo> {
  const result = await awsCall('ssm:DescribeDocument', () => ssm.send(new DescribeDocumentCommand({ Name: name })), {
    InvalidDocument: () => undefined,
  });
  if (!result?.Document) return { name, present: false };
  return { name, present: true, status: result.Document.Status, version: result.Document.DocumentVersion };
}

/** The instance's last Patch Manager operation, with the counts `bastion status` prints. */
export interface PatchStateInfo {
  /** Scan or Install. */
  readonly operation?: string;
  readonly operationEndTime?: Date;
  /** No patch in a non-compliant state at the last operation (NON_COMPLIANT_COUNTS). */
  readonly compliant: boolean;
  readonly installed: number;
  readonly missing: number;
  readonly failed: number;
  /** Installed, but not in effect until the instance reboots (rebootOption NoReboot, or a reboot that failed). */
  readonly pendingReboot: number;
  /** Installed although the baseline rejects them (installed before they were rejected, or outside Patch Manager). */
  readonly installedRejected: number;
  readonly criticalNonCompliant: number;
  readonly securityNonCompliant: number;
}

/**
 * The counts of InstancePatchState that make an instance NON_COMPLIANT, as AWS defines them: missing and
 * failed patches, patches installed but waiting for a reboot ("The status of these managed nodes is
 * NON_COMPLIANT", DescribePatchGroupState: InstancesWithInstalledPendingRebootPatches), installed rejected
 * patches ("considered noncompliant with the patch baseline", PatchBaseline RejectedPatchesAction), and the
 * non-compliant counts by severity. The severity counts may be absent (older agents), so each state is read
 * on its own. https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstancePatchState.html
 */
export const NON_COMPLIANT_COUNTS = [
  'MissingCount',
  'FailedCount',
  'InstalledPendingRebootCount',
  'InstalledRejectedCount',
  'CriticalNonCompliantCount',
  'SecurityNonCompliantCount',
  'OtherNonCompliantCount',
] as const satisfies readonly (keyof InstancePatchState)[];

/** Patch Manager's record of an instance, as `bastion status` reports it (absent counts are 0). */
export function patchStateInfo(state: InstancePatchState): PatchStateInfo {
  return {
    operation: state.Operation,
    operationEndTime: state.OperationEndTime,
    compliant: NON_COMPLIANT_COUNTS.every((count) => (state[count] ?? 0) === 0),
    installed: state.InstalledCount ?? 0,
    missing: state.MissingCount ?? 0,
    failed: state.FailedCount ?? 0,
    pendingReboot: state.InstalledPendingRebootCount ?? 0,
    installedRejected: state.InstalledRejectedCount ?? 0,
    criticalNonCompliant: state.CriticalNonCompliantCount ?? 0,
    securityNonCompliant: state.SecurityNonCompliantCount ?? 0,
  };
}

/** The instance's last Patch Manager operation (undefined: never scanned). */
export async function describePatchState(ssm: SSMClient, instanceId: string): Promise<PatchStateInfo | undefined> {
  const result = await awsCall('ssm:DescribeInstancePatchStates', () =>
    ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: [instanceId] })),
  );
  const state = result.InstancePatchStates?.find((s) => s.InstanceId === instanceId);
  return state ? patchStateInfo(state) : undefined;
}
