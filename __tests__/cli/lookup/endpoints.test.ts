import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { describeEndpoints, expectsInterfaceEndpoints } from '../../../cli/lookup/endpoints';
import type { BastionConfig } from '../../../modules/config';
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
