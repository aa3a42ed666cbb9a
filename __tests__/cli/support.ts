/**
 * What the operator CLI tests share: the fakes of fakes.ts (re-exported), plus builders for the SDK responses
 * of a deployed bastion and aws-sdk-client-mock behind the SDK clients. No real AWS, no real sleeps.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, type Instance, type State, type VpcEndpoint } from '@aws-sdk/client-ec2';
import { ECSClient, type Service, type Task } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { CLUSTER, PREFIX, REGION, SERVICE } from './fakes';

export * from './fakes';

/** The ARN of a task of the test cluster. */
export const taskArn = (id: string) => `arn:aws:ecs:${REGION}:123456789012:task/${CLUSTER}/${id}`;

/** What a test says about a task; the rest is a healthy bastion task. */
export interface TaskShape {
  readonly id: string;
  readonly lastStatus?: string;
  readonly agent?: string | null;
  readonly runtimeId?: string | null;
  readonly exec?: boolean;
  /** The deployment that started the task (ECS sets the service deployment's id). */
  readonly startedBy?: string;
}

/** A DescribeTasks task: the `bastion` container with its ECS Exec agent, plus a sidecar to be ignored. */
export function task({ id, lastStatus = 'RUNNING', agent = 'RUNNING', runtimeId, exec = true, startedBy }: TaskShape): Task {
  return {
    taskArn: taskArn(id),
    startedBy,
    lastStatus,
    desiredStatus: 'RUNNING',
    enableExecuteCommand: exec,
    availabilityZone: `${REGION}a`,
    containers: [
      { name: 'log-router', runtimeId: `${id}-9999999999`, managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] },
      {
        name: 'bastion',
        runtimeId: runtimeId === null ? undefined : (runtimeId ?? `${id}-1234567890`),
        managedAgents: agent === null ? undefined : [{ name: 'ExecuteCommandAgent', lastStatus: agent }],
      },
    ],
  };
}

/** A DescribeServices service of the test deployment, ACTIVE, running as many tasks as it wants. */
export function service(desiredCount: number, extra: Partial<Service> = {}): Service {
  return { serviceName: SERVICE, status: 'ACTIVE', desiredCount, runningCount: desiredCount, pendingCount: 0, ...extra };
}

/** A DescribeInstances instance of the ec2-bastion stack in the given state. */
export function instance(id: string, state: string): Instance {
  return {
    InstanceId: id,
    State: { Name: state as never },
    InstanceType: 't4g.nano',
    Tags: [
      { Key: 'Name', Value: `${PREFIX}-ec2-bastion` },
      { Key: 'PatchGroup', Value: PREFIX },
    ],
  };
}

// The SDK types the state as "Available"; the API answers "available". The CLI accepts both.
export const INTERFACE_ENDPOINTS: VpcEndpoint[] = ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'].map((service, i) => ({
  VpcEndpointId: `vpce-0000000000000000${i}`,
  ServiceName: `com.amazonaws.${REGION}.${service}`,
  VpcEndpointType: 'Interface',
  State: i % 2 === 0 ? 'Available' : ('available' as State),
}));

/**
 * SDK clients for the region of the tests with aws-sdk-client-mock behind them, reset before each test of the
 * file that calls this.
 */
export function mockedAwsClients() {
  const ecsMock = mockClient(ECSClient);
  const ec2Mock = mockClient(EC2Client);
  const ssmMock = mockClient(SSMClient);
  // The auditor's clients (`bastion sessions`, `bastion transcript`).
  const logsMock = mockClient(CloudWatchLogsClient);
  const s3Mock = mockClient(S3Client);
  const cloudtrailMock = mockClient(CloudTrailClient);
  const stsMock = mockClient(STSClient);
  const mocks = [ecsMock, ec2Mock, ssmMock, logsMock, s3Mock, cloudtrailMock, stsMock];
  beforeEach(() => {
    for (const mock of mocks) mock.reset();
  });
  // Test files share their worker's modules (__tests__/support/runner): the next file mocks the real clients.
  afterAll(() => {
    for (const mock of mocks) mock.restore();
  });
  return {
    ecsMock,
    ec2Mock,
    ssmMock,
    logsMock,
    s3Mock,
    cloudtrailMock,
    stsMock,
    /** Every mock, for the permission-table check of what a run sent (calls.ts). */
    mocks,
    ecs: new ECSClient({ region: REGION }),
    ec2: new EC2Client({ region: REGION }),
    ssm: new SSMClient({ region: REGION }),
  };
}
