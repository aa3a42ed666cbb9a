/** The stack's VPC endpoints: found by tag, left out when gone, and parked or not in every combination. */
import { DescribeVpcEndpointsCommand, State, type VpcEndpoint } from '@aws-sdk/client-ec2';
import { describeEndpoints, expectsInterfaceEndpoints } from '../../../cli/lookup/endpoints';
import { VARIANTS } from '../../../cli/variants';
import { type BastionConfig, ENDPOINT_GROUPS, ENDPOINT_MODES, type EndpointGroup, type EndpointMode } from '../../../modules/config';
import { PREFIX_TAG, STACK_TAG } from '../../../modules/naming';
import { INTERFACE_ENDPOINTS, mockedAwsClients, PREFIX, REGION } from '../support';

const { ec2Mock, ec2 } = mockedAwsClients();

describe('describeEndpoints', () => {
  const config: Pick<BastionConfig, 'namePrefix' | 'endpoints'> = {
    namePrefix: PREFIX,
    endpoints: { ssm: 'create', ecr: 'create', logs: 'create', kms: 'create', s3: 'create', singleAz: false },
  };

  test('lists the stack endpoints by tag, with short service names', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [...INTERFACE_ENDPOINTS, { VpcEndpointId: 'vpce-gone', ServiceName: `com.amazonaws.${REGION}.kms`, VpcEndpointType: 'Interface', State: 'Deleted' }],
    });
    const endpoints = await describeEndpoints(ec2, config, 'ecs');
    expect(ec2Mock.commandCalls(DescribeVpcEndpointsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: `tag:${STACK_TAG}`, Values: ['ecs-bastion'] },
      { Name: `tag:${PREFIX_TAG}`, Values: [PREFIX] },
    ]);
    expect(endpoints.found.map((e) => e.service)).toEqual(['ec2messages', 'kms', 'logs', 'ssm', 'ssmmessages']);
    expect(endpoints.parked).toBe(false);
  });

  test('parked when interface endpoints are configured but none exists (a gateway endpoint does not count)', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [{ VpcEndpointId: 'vpce-s3', ServiceName: `com.amazonaws.${REGION}.s3`, VpcEndpointType: 'Gateway', State: 'Available' }],
    });
    expect(await describeEndpoints(ec2, config, 'ec2')).toMatchObject({ expected: true, parked: true });
  });

  test('not parked when the configuration turns interface endpoints off (the VPC has a NAT)', async () => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
    const off: typeof config = { ...config, endpoints: { ssm: 'none', ecr: 'create', logs: 'none', kms: 'none', s3: 'none', singleAz: false } };
    expect(await describeEndpoints(ec2, off, 'ec2')).toMatchObject({ expected: false, parked: false });
    // ecr endpoints are only the ECS stack's
    expect(expectsInterfaceEndpoints(off, 'ecs')).toBe(true);
  });
});

describe('the endpoints of a stack in every state', () => {
  const creating: Pick<BastionConfig, 'namePrefix' | 'endpoints'> = {
    namePrefix: PREFIX,
    endpoints: { ssm: 'create', ecr: 'create', logs: 'create', kms: 'create', s3: 'create', singleAz: false },
  };
  const notCreating: typeof creating = { ...creating, endpoints: { ssm: 'existing', ecr: 'none', logs: 'existing', kms: 'none', s3: 'create', singleAz: false } };
  const endpoint = (service: string, type: 'Interface' | 'Gateway', state: string): VpcEndpoint => ({
    VpcEndpointId: `vpce-${service}-${state}`,
    ServiceName: `com.amazonaws.${REGION}.${service}`,
    VpcEndpointType: type,
    State: state as State,
  });
  const FOUND: Record<string, VpcEndpoint[]> = {
    none: [],
    'the S3 gateway only': [endpoint('s3', 'Gateway', 'available')],
    'an interface endpoint': [endpoint('ssm', 'Interface', 'available')],
    'an interface endpoint still pending': [endpoint('ssm', 'Interface', 'pending')],
    'interface and gateway': [endpoint('ssm', 'Interface', 'available'), endpoint('s3', 'Gateway', 'available')],
    'an interface endpoint being deleted': [endpoint('ssm', 'Interface', 'deleting')],
  };

  // [what the stack has, parked when the configuration creates interface endpoints, parked when it does not]
  test.each<[keyof typeof FOUND, boolean, boolean]>([
    ['none', true, false],
    ['the S3 gateway only', true, false],
    ['an interface endpoint', false, false],
    ['an interface endpoint still pending', false, false],
    ['interface and gateway', false, false],
    ['an interface endpoint being deleted', true, false],
  ])('%s: parked %s when interface endpoints are configured, %s when not', async (found, parkedWhenCreating, parkedWhenNot) => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: FOUND[found] });
    expect(await describeEndpoints(ec2, creating, 'ec2')).toMatchObject({ expected: true, parked: parkedWhenCreating });
    expect(await describeEndpoints(ec2, notCreating, 'ec2')).toMatchObject({ expected: false, parked: parkedWhenNot });
  });

  // Every state of a VPC endpoint (the SDK's enum; a new one fails to compile here): listed, or gone.
  const LISTED: Record<State, boolean> = {
    PendingAcceptance: true,
    Pending: true,
    Available: true,
    Partial: true,
    Deleting: false,
    Deleted: false,
    Rejected: false,
    Failed: false,
    Expired: false,
  };
  // The API answers lowercase ("available"), the SDK's enum is capitalised: both spellings, each state.
  const spellings = Object.values(State).flatMap((state) => [state, state.toLowerCase()].map((spelled) => [spelled, LISTED[state]] as const));

  test('the table covers every state of the SDK', () => {
    expect(Object.keys(LISTED).sort()).toEqual(Object.values(State).sort());
  });

  test.each(spellings)('an endpoint in state %s is listed: %s', async (state, listed) => {
    ec2Mock.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [endpoint('ssm', 'Interface', state)] });
    const endpoints = await describeEndpoints(ec2, creating, 'ecs');
    expect(endpoints.found.map((e) => e.state)).toEqual(listed ? [state] : []);
    expect(endpoints.parked).toBe(!listed);
  });

  test.each(VARIANTS)('expectsInterfaceEndpoints (%s) for every combination of endpoint modes', (variant) => {
    // The groups whose "create" makes the stack create interface endpoints: ecr only for the ECS bastion, never s3 (a gateway).
    const interfaceGroups: readonly string[] = variant === 'ecs' ? ['ssm', 'ecr', 'logs', 'kms'] : ['ssm', 'logs', 'kms'];
    const combinations = ENDPOINT_GROUPS.reduce<Record<string, EndpointMode>[]>(
      (partial, group) => partial.flatMap((modes) => ENDPOINT_MODES.map((mode) => ({ ...modes, [group]: mode }))),
      [{}],
    );
    expect(combinations).toHaveLength(ENDPOINT_MODES.length ** ENDPOINT_GROUPS.length);
    const wrong = combinations.filter((modes) => {
      const expected = interfaceGroups.some((group) => modes[group] === 'create');
      return expectsInterfaceEndpoints({ endpoints: { ...(modes as Record<EndpointGroup, EndpointMode>), singleAz: false } }, variant) !== expected;
    });
    expect(wrong).toEqual([]);
  });
});
