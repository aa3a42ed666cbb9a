import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import { fromAwsError, OPERATOR_POLICY_HINT } from './errors';

/** Where the CLI talks to AWS: the stack's region and, optionally, a named profile. */
export interface AwsTarget {
  readonly region: string;
  /** @default - the SDK's default chain (AWS_PROFILE, environment, SSO, instance role) */
  readonly profile?: string;
}

/** The SDK clients the CLI uses; one set per command run. */
export interface AwsClients {
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
  /** The auditor's clients (`bastion sessions`, `bastion transcript`), created on first use. */
  readonly logs: CloudWatchLogsClient;
  readonly s3: S3Client;
  readonly cloudtrail: CloudTrailClient;
  readonly sts: STSClient;
  /** Closes the clients' keep-alive sockets so the process can exit. */
  destroy(): void;
}

export type AwsClientFactory = (target: AwsTarget) => AwsClients;

export const createAwsClients: AwsClientFactory = ({ region, profile }) => {
  const config = { region, ...(profile ? { profile } : {}) };
  const ecs = new ECSClient(config);
  const ec2 = new EC2Client(config);
  const ssm = new SSMClient(config);
  const created: { destroy(): void }[] = [ecs, ec2, ssm];
  // The auditor's clients load their SDK packages only when a command uses them: `connect` stays quick to start.
  const lazy = <T extends { destroy(): void }>(create: () => T) => {
    let client: T | undefined;
    return () => {
      if (!client) created.push((client = create()));
      return client;
    };
  };
  const logs = lazy(() => new (require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(config));
  const s3 = lazy(() => new (require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3')).S3Client(config));
  const cloudtrail = lazy(() => new (require('@aws-sdk/client-cloudtrail') as typeof import('@aws-sdk/client-cloudtrail')).CloudTrailClient(config));
  const sts = lazy(() => new (require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts')).STSClient(config));
  return {
    ecs,
    ec2,
    ssm,
    get logs() {
      return logs();
    },
    get s3() {
      return s3();
    },
    get cloudtrail() {
      return cloudtrail();
    },
    get sts() {
      return sts();
    },
    destroy: () => {
      for (const client of created) client.destroy();
    },
  };
};

/**
 * Runs one SDK call and translates its failure into an actionable CliError. `action` is the IAM action the
 * call needs, so an AccessDenied without the action in its message still names what is missing. `expected`
 * maps error names that are an answer rather than a failure (ClusterNotFoundException: nothing deployed) to
 * a result. `policyHint` names the stack policy that grants the action (default: the operator policy).
 */
export async function awsCall<T, R = never>(
  action: string,
  send: () => Promise<T>,
  expected: Readonly<Record<string, () => R>> = {},
  policyHint: string = OPERATOR_POLICY_HINT,
): Promise<T | R> {
  try {
    return await send();
  } catch (error) {
    const name = (error as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && Object.hasOwn(expected, name)) return expected[name]!();
    throw fromAwsError(error, action, policyHint);
  }
}
