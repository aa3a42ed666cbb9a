/**
 * What the command tests share: `bastion …` run in-process (argument parsing, configuration, SDK calls against
 * aws-sdk-client-mock, waiting on a virtual clock, scripted AWS CLI children), every run checked against the
 * permission table, and the SDK answers of a running or parked bastion.
 */
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { run } from '../../../cli/main';
import { bastionNames } from '../../../modules/naming';
import { checkRunsAgainstPermissionTable } from '../calls';
import { AURORA_HOST, CLUSTER, fakeRuntime, type FakeRuntime, INTERFACE_ENDPOINTS, mockedAwsClients, PREFIX, service, task, taskArn } from '../support';

/** The task id of the running bastion task. */
export const ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** Its Session Manager target. */
export const TARGET = `ecs:${CLUSTER}_${ID}_${ID}-1234567890`;
export const FORWARD_DOC = 'AWS-StartPortForwardingSessionToRemoteHost';

/** The argv of `aws ssm start-session` forwarding localPort to the aurora target through `target`. */
export const forwardArgs = (target: string, localPort = 5432, extra: string[] = []) => [
  'ssm',
  'start-session',
  '--target',
  target,
  '--document-name',
  FORWARD_DOC,
  '--parameters',
  `{"host":["${AURORA_HOST}"],"portNumber":["5432"],"localPortNumber":["${localPort}"]}`,
  '--region',
  'eu-west-1',
  ...extra,
];

/**
 * Mocked AWS for the calling test file (reset before each test) and `bastion(args)`, which runs the CLI and
 * records the run for the permission-table check after the test.
 */
export function commandHarness() {
  const aws = mockedAwsClients();
  const { ecsMock, ec2Mock } = aws;
  // Every run is checked against the permission table the authorization simulation proves (cli/permissions.ts).
  const recordRun = checkRunsAgainstPermissionTable(aws.mocks, bastionNames(PREFIX));

  async function bastion(args: string[], runtime: FakeRuntime = fakeRuntime()) {
    recordRun(args, runtime);
    const code = await run(args, runtime);
    return { code, runtime, out: runtime.stdout.text, err: runtime.stderr.text };
  }

  /** The service runs one task per id, each ready for ECS Exec. */
  function ecsRunning(...ids: string[]) {
    const taskIds = ids.length > 0 ? ids : [ID];
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(taskIds.length)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: taskIds.map(taskArn) });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: taskIds.map((id) => task({ id })) });
  }

  /** The service has desired count 0 and no task. */
  function ecsParked() {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service(0)] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  }

  /** The stack's interface endpoints are there, or gone (bastion_enabled=false). */
  const endpoints = (present: boolean) => ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: present ? INTERFACE_ENDPOINTS : [] });

  return { ...aws, bastion, ecsRunning, ecsParked, endpoints };
}
