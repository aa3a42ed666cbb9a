import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { fromAwsError } from './errors';

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
  /** Closes the clients' keep-alive sockets so the process can exit. */
  destroy(): void;
}

export type AwsClientFactory = (target: AwsTarget) => AwsClients;

export const createAwsClients: AwsClientFactory = ({ region, profile }) => {
  const config = { region, ...(profile ? { profile } : {}) };
  const ecs = new ECSClient(config);
  const ec2 = new EC2Client(config);
  const ssm = new SSMClient(config);
  return {
    ecs,
    ec2,
    ssm,
    destroy: () => {
      ecs.destroy();
      ec2.destroy();
      ssm.destroy();
    },
  };
};

/**
 * Runs one SDK call and translates its failure into an actionable CliError. `action` is the IAM action the
 * call needs, so an AccessDenied without the action in its message still names what is missing. `expected`
 * maps error names that are an answer rather than a failure (ClusterNotFoundException: nothing deployed) to
 * a result.
 */
export async function awsCall<T, R = never>(
  action: string,
  send: () => Promise<T>,
  expected: Readonly<Record<string, () => R>> = {},
): Promise<T | R> {
  try {
    return await send();
  } catch (error) {
    const name = (error as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && Object.hasOwn(expected, name)) return expected[name]!();
    throw fromAwsError(error, action);
  }
}
