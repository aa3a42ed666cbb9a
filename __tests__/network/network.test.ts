import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import type { StackName } from '../../modules/config';
import { resourcesOfType, synthStack } from '../support/synth';

// The network is part of the shared foundation: every property is checked on both stacks.
const STACKS: readonly StackName[] = ['ecs-bastion', 'ec2-bastion'];

describe.each(STACKS)('Network of %s in create mode', (stack) => {
  const { json, tf } = synthStack(stack, {
    region: 'eu-west-1',
    network: { mode: 'create', cidr: '10.20.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
  });

  it('creates a VPC with DNS support and hostnames (private DNS of the endpoints needs both)', () => {
    expect(json).toHaveResourceWithProperties(Vpc, { cidr_block: '10.20.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
  });

  it('creates one private /20 subnet per zone, without public IPs', () => {
    const subnets = Object.values(resourcesOfType(tf, 'aws_subnet'));
    expect(subnets.map((s) => [s.availability_zone, s.cidr_block])).toEqual([
      ['eu-west-1a', '10.20.0.0/20'],
      ['eu-west-1b', '10.20.16.0/20'],
      ['eu-west-1c', '10.20.32.0/20'],
    ]);
    for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
    expect(json).toHaveResourceWithProperties(Subnet, { tags: expect.objectContaining({ Tier: 'private' }) });
  });

  it('has no internet gateway, NAT gateway or route out of the VPC', () => {
    expect(resourcesOfType(tf, 'aws_internet_gateway')).toEqual({});
    expect(resourcesOfType(tf, 'aws_nat_gateway')).toEqual({});
    expect(resourcesOfType(tf, 'aws_route')).toEqual({});
    for (const table of Object.values(resourcesOfType(tf, 'aws_route_table'))) expect(table.route).toBeUndefined();
  });

  it('gives each subnet its own route table', () => {
    expect(Object.keys(resourcesOfType(tf, 'aws_route_table'))).toHaveLength(3);
    expect(Object.keys(resourcesOfType(tf, 'aws_route_table_association'))).toHaveLength(3);
    // Each subnet is associated with the route table of its own zone, not all with one of them.
    const pairs = Object.values(resourcesOfType(tf, 'aws_route_table_association')).map((a) => [a.subnet_id, a.route_table_id]);
    expect(pairs).toEqual(
      ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].map((zone) => [
        expect.stringMatching(new RegExp(`^\\$\\{aws_subnet\\.network_private-${zone}_\\w+\\.id\\}$`)),
        expect.stringMatching(new RegExp(`^\\$\\{aws_route_table\\.network_private-routes-${zone}_\\w+\\.id\\}$`)),
      ]),
    );
  });

  it('strips every rule from the default security group', () => {
    expect(json).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  it('logs all traffic to the encrypted flow log group through a role only VPC Flow Logs of this account can assume', () => {
    expect(json).toHaveResourceWithProperties(FlowLog, { traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs', max_aggregation_interval: 60 });
    // Named like the stack's other resources, so the console and `aws ec2 describe-flow-logs` tell the two stacks apart.
    expect(json).toHaveResourceWithProperties(FlowLog, { tags: { Name: `ssm-bastion-${stack === 'ecs-bastion' ? 'ecs' : 'ec2'}-vpc-flow-log` } });
    const trust = Object.entries(tf.data!.aws_iam_policy_document).find(([name]) => name.includes('flow-logs-role') && name.includes('trust'))![1];
    expect(JSON.stringify(trust)).toContain('vpc-flow-logs.amazonaws.com');
    expect(JSON.stringify(trust)).toContain('aws:SourceAccount');
  });

  it('places subnets by zone id where the configuration names zones by id (the us-east-1 default)', () => {
    const east = synthStack(stack, { region: 'us-east-1' });
    const subnets = Object.values(resourcesOfType(east.tf, 'aws_subnet'));
    expect(subnets.map((s) => [s.availability_zone_id, s.availability_zone])).toEqual([
      ['use1-az1', undefined],
      ['use1-az2', undefined],
    ]);
  });

  it('uses smaller subnets in a small VPC, never below /28', () => {
    const { tf: small } = synthStack(stack, { network: { mode: 'create', cidr: '192.168.10.0/24' } });
    expect(Object.values(resourcesOfType(small, 'aws_subnet')).map((s) => s.cidr_block)).toEqual(['192.168.10.0/28', '192.168.10.16/28']);
  });
});

describe.each(STACKS)('Network of %s in existing mode', (stack) => {
  const { tf } = synthStack(stack, {
    network: {
      mode: 'existing',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      routeTableIds: ['rtb-0123456789abcdef0'],
    },
  });

  it('creates no VPC, subnet, route table or flow log of its own', () => {
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_route_table', 'aws_flow_log', 'aws_default_security_group']) {
      expect(resourcesOfType(tf, type)).toEqual({});
    }
  });

  it('takes the VPC, subnets and route tables as validated variables defaulting to the configuration', () => {
    expect(tf.variable!.vpc_id).toMatchObject({ type: 'string', default: 'vpc-0123456789abcdef0' });
    expect(tf.variable!.subnet_ids).toMatchObject({ type: 'list(string)', default: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] });
    expect(tf.variable!.route_table_ids).toMatchObject({ type: 'list(string)', default: ['rtb-0123456789abcdef0'] });
    for (const name of ['vpc_id', 'subnet_ids', 'route_table_ids']) {
      expect(tf.variable![name].description).toEqual(expect.any(String));
      // ecs-bastion's subnet_ids also holds the ECS service's 16-subnet bound (proved in the Terraform stage).
      expect(tf.variable![name].validation).toHaveLength(name === 'subnet_ids' && stack === 'ecs-bastion' ? 2 : 1);
    }
  });

  it(stack === 'ecs-bastion' ? 'bounds subnet_ids at 16, the most an ECS service takes, and says so' : 'does not bound the number of subnet_ids', () => {
    const { description, validation } = tf.variable!.subnet_ids as { description: string; validation: { condition: string; error_message: string }[] };
    if (stack === 'ecs-bastion') {
      expect(validation[1]).toMatchObject({ condition: '${length(var.subnet_ids) <= 16}', error_message: expect.stringMatching(/^subnet_ids may list at most 16 subnets/) });
      expect(description).toMatch(/; at most 16\.$/);
    } else {
      expect(description).not.toMatch(/at most/);
    }
  });

  it('places the security groups in the given VPC', () => {
    for (const group of Object.values(resourcesOfType(tf, 'aws_security_group'))) expect(group.vpc_id).toBe('${var.vpc_id}');
  });

  it('reads the VPC at plan time and fails the plan, naming the attribute, when DNS support or hostnames is off', () => {
    const lookups = Object.values(tf.data?.aws_vpc ?? {});
    expect(lookups).toHaveLength(1);
    const [lookup] = lookups as { id: string; lifecycle: { postcondition: { condition: string; error_message: string }[] } }[];
    expect(lookup.id).toBe('${var.vpc_id}');
    expect(lookup.lifecycle.postcondition.map((rule) => rule.condition)).toEqual(['${self.enable_dns_support}', '${self.enable_dns_hostnames}']);
    expect(lookup.lifecycle.postcondition[0].error_message).toMatch(/has enableDnsSupport turned off.*--enable-dns-support Value=true/);
    expect(lookup.lifecycle.postcondition[1].error_message).toMatch(/has enableDnsHostnames turned off.*--enable-dns-hostnames Value=true/);
  });

  // A block being disassociated (or failed) stays in cidr_block_associations for a while; the endpoints and the
  // bastion's rules must serve only the blocks the VPC really has, read at plan time so added blocks are picked up.
  it('serves every CIDR block associated with the VPC at plan time, and only the associated ones', () => {
    const loops = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule'))
      .concat(Object.values(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule')))
      .map((rule) => rule.for_each)
      .filter((loop): loop is string => typeof loop === 'string' && loop.includes('cidr_block_associations'));
    expect(loops.length).toBeGreaterThan(0);
    for (const loop of loops) {
      expect(loop).toMatch(/^\$\{toset\(\[ for key, val in toset\(data\.aws_vpc\.network_existing-vpc_\w+\.cidr_block_associations\): val\.cidr_block if val\.state == "associated"\]\)\}$/);
    }
  });

  it('does not require DNS hostnames when every endpoint group goes through a NAT gateway', () => {
    const nat = synthStack(stack, {
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], natGateway: true },
      endpoints: { ssm: 'none', ecr: 'none', logs: 'none', kms: 'none', s3: 'none' },
    });
    expect(Object.values(nat.tf.data?.aws_vpc ?? {})).toEqual([{ id: '${var.vpc_id}' }]);
  });
});
