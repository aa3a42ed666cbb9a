import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { endpointServiceName, s3PrefixListName } from '../../modules/endpoints';
import { policyStatements, resourcesOfType, synthStack, TEST_ACCOUNT } from '../support/synth';

function interfaceServices(tf: ReturnType<typeof synthStack>['tf']): string[] {
  return Object.values(resourcesOfType(tf, 'aws_vpc_endpoint'))
    .filter((e) => e.vpc_endpoint_type === 'Interface')
    .map((e) => String(e.service_name).replace('com.amazonaws.eu-west-1.', ''))
    .sort();
}

describe('VPC endpoints', () => {
  it('gives the ECS bastion what ECS Exec and image pulls need, and nothing for an instance agent', () => {
    expect(interfaceServices(synthStack('ecs-bastion').tf)).toEqual(['ecr.api', 'ecr.dkr', 'kms', 'logs', 'ssmmessages']);
  });

  it('gives the EC2 bastion what the SSM agent needs, and no ECR endpoints', () => {
    expect(interfaceServices(synthStack('ec2-bastion').tf)).toEqual(['ec2messages', 'kms', 'logs', 'ssm', 'ssmmessages']);
  });

  it.each(['cn-north-1', 'cn-northwest-1'])('uses the names %s gives its endpoint services: cn.com.amazonaws for ECR, com.amazonaws for the rest', (region) => {
    // CreateVpcEndpoint refuses com.amazonaws.<cn region>.ecr.api (InvalidServiceName); no plan notices.
    const names = (stack: 'ecs-bastion' | 'ec2-bastion') =>
      Object.values(resourcesOfType(synthStack(stack, { region, ecs: { image: { build: true } } }).tf, 'aws_vpc_endpoint'))
        .map((e) => String(e.service_name))
        .sort();
    expect(names('ecs-bastion')).toEqual(
      [`cn.com.amazonaws.${region}.ecr.api`, `cn.com.amazonaws.${region}.ecr.dkr`, ...['kms', 'logs', 's3', 'ssmmessages'].map((s) => `com.amazonaws.${region}.${s}`)].sort(),
    );
    expect(names('ec2-bastion')).toEqual(['ec2messages', 'kms', 'logs', 's3', 'ssm', 'ssmmessages'].map((s) => `com.amazonaws.${region}.${s}`));
    expect(endpointServiceName('eu-west-1', 'ecr.api')).toBe('com.amazonaws.eu-west-1.ecr.api');
  });
});

// What both stacks share: each property is checked on both, with the S3 buckets each variant reads.
describe.each([
  ['ecs-bastion', ['arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'], ['ssmmessages']],
  ['ec2-bastion', ['arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*', 'arn:aws:s3:::aws-ssm-eu-west-1/*'], ['ec2messages', 'ssm', 'ssmmessages']],
] as const)('VPC endpoints of %s', (stack, s3Reads, sessionManagerServices) => {
  it('enables private DNS and attaches only the endpoint security group', () => {
    const { tf } = synthStack(stack);
    for (const endpoint of Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Interface')) {
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.security_group_ids).toEqual([expect.stringMatching(/aws_security_group\.security-groups_endpoints_.*\.id/)]);
    }
  });

  it('counts every interface endpoint on bastion_enabled, so a parked bastion pays for none', () => {
    const { tf } = synthStack(stack);
    for (const endpoint of Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Interface')) {
      expect(endpoint.count).toBe('${var.bastion_enabled ? 1 : 0}');
    }
  });

  it('keeps the free S3 gateway endpoint when parked, on the route tables', () => {
    const { json } = synthStack(stack);
    expect(json).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_endpoint_type: 'Gateway',
      service_name: 'com.amazonaws.eu-west-1.s3',
      route_table_ids: expect.arrayContaining([expect.stringMatching(/aws_route_table\./)]),
    });
    const gateway = Object.values(resourcesOfType(synthStack(stack).tf, 'aws_vpc_endpoint')).find((e) => e.vpc_endpoint_type === 'Gateway');
    expect(gateway!.count).toBeUndefined();
  });

  // With no NAT, a subnet whose route table lacks the gateway endpoint reaches no S3 at all: image layers, patch
  // repositories and the session archive then fail from the instance or task placed in that zone only.
  it('attaches the S3 gateway endpoint to the route table of every subnet', () => {
    const { tf } = synthStack(stack, { network: { mode: 'create', cidr: '10.20.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] } });
    const gateway = Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).find((e) => e.vpc_endpoint_type === 'Gateway');
    const tables = Object.keys(resourcesOfType(tf, 'aws_route_table')).map((name) => `\${aws_route_table.${name}.id}`);
    expect(tables).toHaveLength(3);
    expect([...(gateway!.route_table_ids as string[])].sort()).toEqual(tables.sort());
  });

  it('places each interface endpoint in every bastion subnet unless singleAz is on: one network interface per zone', () => {
    // An endpoint serves only the zones of its subnets through their own interface; a zone without one depends on another
    // zone. https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
    const { tf } = synthStack(stack);
    const subnets = Object.keys(resourcesOfType(tf, 'aws_subnet')).map((name) => `\${aws_subnet.${name}.id}`);
    expect(subnets.length).toBeGreaterThan(1);
    const interfaces = Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.length).toBeGreaterThan(0);
    for (const endpoint of interfaces) expect(endpoint.subnet_ids).toEqual(subnets);
  });

  it('uses one subnet for the interface endpoints when singleAz is on', () => {
    const { tf } = synthStack(stack, { endpoints: { singleAz: true } });
    const interfaces = Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.length).toBeGreaterThan(0);
    for (const endpoint of interfaces) {
      expect(endpoint.subnet_ids).toMatch(/^\$\{slice\(\[.*\], 0, 1\)\}$/);
    }
  });

  it('limits the S3 endpoint to the AWS-owned buckets the bastion reads and this account’s archive', () => {
    const { tf } = synthStack(stack);
    const statements = Object.entries(policyStatements(tf)).find(([name]) => name.startsWith('s3-endpoint'))![1];
    const resources = statements.flatMap((s) => s.resources ?? []);
    expect(resources).toEqual(expect.arrayContaining([...s3Reads]));
    expect(resources.some((r) => r === '*' || r === 'arn:aws:s3:::*')).toBe(false);
    const archive = statements.find((s) => s.sid === 'SessionArchiveOfThisAccount')!;
    expect(archive.condition).toEqual([{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [TEST_ACCOUNT] }]);
  });

  it('creates only the endpoints left on, in an existing VPC with a NAT gateway', () => {
    const { tf } = synthStack(stack, {
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: [], natGateway: true },
      endpoints: { ssm: 'create', logs: 'none', kms: 'none', s3: 'none', ecr: 'none' },
    });
    expect(interfaceServices(tf).map((s) => s.replace(/^.*\./, ''))).toEqual([...sessionManagerServices]);
    expect(Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).some((e) => e.vpc_endpoint_type === 'Gateway')).toBe(false);
  });

  it('creates nothing for a group the VPC already has', () => {
    const network = { mode: 'existing' as const, vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] };
    const { tf } = synthStack(stack, { network, endpoints: { ssm: 'existing', ecr: 'existing', logs: 'create', kms: 'existing' } });
    expect(interfaceServices(tf)).toEqual(['logs']);
  });
});

describe('VPC endpoints in an existing VPC', () => {
  const network = { mode: 'existing' as const, vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] };

  it('creates no S3 gateway endpoint by default: most VPCs have one, and a route table takes only one', () => {
    for (const stack of ['ecs-bastion', 'ec2-bastion'] as const) {
      const { tf } = synthStack(stack, { network });
      expect(Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Gateway')).toEqual([]);
      // The bastion's S3 egress then goes to the region's AWS-managed S3 prefix list, looked up by its exact name
      // (the gateway endpoint's service name); a wrong name fails the plan.
      expect(Object.values(tf.data?.aws_prefix_list ?? {})).toEqual([{ name: s3PrefixListName('eu-west-1') }]);
      expect(s3PrefixListName('eu-west-1')).toBe('com.amazonaws.eu-west-1.s3');
    }
  });

  it('gives an S3 gateway endpoint it is asked to create AWS’s full-access policy, so others’ S3 access stays as it was', () => {
    for (const stack of ['ecs-bastion', 'ec2-bastion'] as const) {
      const { tf } = synthStack(stack, { network, endpoints: { s3: 'create' } });
      const [gateway] = Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Gateway');
      expect(gateway).toMatchObject({ route_table_ids: '${var.route_table_ids}' });
      expect(gateway.policy).toBeUndefined();
      expect(Object.keys(policyStatements(tf)).some((name) => name.startsWith('s3-endpoint'))).toBe(false);
    }
  });
});

/**
 * The interface endpoints of each group, per stack, one group at a time: the group's services that the stack
 * uses, and nothing of the other groups (which the VPC already has here). Written independently of
 * INTERFACE_ENDPOINT_GROUPS: ECS Exec needs ssmmessages only, the EC2 agent ssm, ssmmessages and ec2messages.
 */
const SERVICES_BY_GROUP: Record<'ecs-bastion' | 'ec2-bastion', Record<'ssm' | 'ecr' | 'logs' | 'kms', string[]>> = {
  'ecs-bastion': { ssm: ['ssmmessages'], ecr: ['ecr.api', 'ecr.dkr'], logs: ['logs'], kms: ['kms'] },
  'ec2-bastion': { ssm: ['ec2messages', 'ssm', 'ssmmessages'], ecr: [], logs: ['logs'], kms: ['kms'] },
};

describe.each(Object.entries(SERVICES_BY_GROUP))('the interface endpoints %s creates for each group', (stack, byGroup) => {
  const network = { mode: 'existing' as const, vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] };
  const allExisting = { ssm: 'existing', ecr: 'existing', logs: 'existing', kms: 'existing', s3: 'existing' } as const;

  it.each(Object.entries(byGroup))('%s: %j', (group, services) => {
    const { tf } = synthStack(stack as 'ecs-bastion' | 'ec2-bastion', { network, endpoints: { ...allExisting, [group]: 'create' } });
    expect(interfaceServices(tf)).toEqual(services);
  });

  it('none at all when the VPC has every group', () => {
    expect(interfaceServices(synthStack(stack as 'ecs-bastion' | 'ec2-bastion', { network, endpoints: allExisting }).tf)).toEqual([]);
  });
});
