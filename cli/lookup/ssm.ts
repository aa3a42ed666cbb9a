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
  /** No missing, failed or non-compliant patch at the last operation. */
  readonly compliant: boolean;
  readonly installed: number;
  readonly missing: number;
  readonly failed: number;
  readonly pendingReboot: number;
  readonly criticalNonCompliant: number;
  readonly securityNonCompliant: number;
}

/** Patch Manager's record of an instance, as `bastion status` reports it (absent counts are 0). */
export function patchStateInfo(state: InstancePatchState): PatchStateInfo {
  const nonCompliant = (state.CriticalNonCompliantCount ?? 0) + (state.SecurityNonCompliantCount ?? 0) + (state.OtherNonCompliantCount ?? 0);
  const missing = state.MissingCount ?? 0;
  const failed = state.FailedCount ?? 0;
  return {
    operation: state.Operation,
    operationEndTime: state.OperationEndTime,
    compliant: nonCompliant === 0 && missing === 0 && failed === 0,
    installed: state.InstalledCount ?? 0,
    missing,
    failed,
    pendingReboot: state.InstalledPendingRebootCount ?? 0,
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
