import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { type BastionConfigInput, RESERVED_TARGET_NAMES, type StackName } from '../../modules/config';
import { describeTargets, MAX_RULE_DESCRIPTION, RULE_DESCRIPTION_CHARACTERS } from '../../modules/security-groups';
import { resourcesOfType, synthStack, type TerraformJson } from '../support/synth';

// The security groups are part of the shared foundation: every property is checked on both stacks.
const STACKS: readonly StackName[] = ['ecs-bastion', 'ec2-bastion'];

const targets = [
  { name: 'aurora', port: 5432, securityGroupId: 'sg-0123456789abcdef0' },
  { name: 'redis', port: 6379, cidr: '10.42.200.0/24' },
  { name: 'search', port: 443, securityGroupId: 'sg-0fedcba9876543210', addIngressRule: false },
];

describe.each(STACKS)('BastionSecurityGroups of %s', (stack) => {
  const short = stack === 'ecs-bastion' ? 'ecs' : 'ec2';
  const { json, tf } = synthStack(stack, { targets });
  const ingress = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule'));
  const egress = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule'));
  const bastionSg = '${aws_security_group.security-groups_bastion_';
  const endpointSg = '${aws_security_group.security-groups_endpoints_';

  it('gives the bastion no ingress rule at all', () => {
    expect(ingress.filter((r) => String(r.security_group_id).startsWith(bastionSg))).toEqual([]);
    expect(json).toHaveResourceWithProperties(SecurityGroup, { name: `ssm-bastion-${short}-bastion` });
  });

  it('admits HTTPS into the endpoint group from the bastion group only, not from the VPC CIDR', () => {
    const endpointIngress = ingress.filter((r) => String(r.security_group_id).startsWith(endpointSg));
    expect(endpointIngress).toHaveLength(1);
    expect(endpointIngress[0]).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443 });
    expect(String(endpointIngress[0].referenced_security_group_id)).toContain('security-groups_bastion_');
    expect(endpointIngress[0].cidr_ipv4).toBeUndefined();
  });

  it('lets the bastion out only on 443 to the endpoints and S3, on 80 to S3 (the agent’s HTTP calls), and on each target port', () => {
    const summary = egress.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id ?? r.prefix_list_id ?? r.cidr_ipv4]);
    expect(summary).toEqual(
      expect.arrayContaining([
        [443, 443, expect.stringContaining('security-groups_endpoints_')],
        [443, 443, expect.stringContaining('.prefix_list_id')],
        [80, 80, expect.stringContaining('.prefix_list_id')],
        [5432, 5432, 'sg-0123456789abcdef0'],
        [6379, 6379, '10.42.200.0/24'],
        [443, 443, 'sg-0fedcba9876543210'],
      ]),
    );
    expect(egress).toHaveLength(6);
  });

  it('opens each target security group to the bastion unless told not to', () => {
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: 'sg-0123456789abcdef0',
      from_port: 5432,
      to_port: 5432,
      referenced_security_group_id: expect.stringContaining('security-groups_bastion_'),
    });
    expect(ingress.some((r) => r.security_group_id === 'sg-0fedcba9876543210')).toBe(false);
  });

  it('describes every rule', () => {
    for (const rule of [...ingress, ...egress]) expect(rule.description).toEqual(expect.stringMatching(/\w{3,}/));
    expect(json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { description: 'Bastion to target redis on TCP 6379' });
  });

  it('allows HTTPS to the internet only for an existing VPC with NAT whose endpoints are partly off', () => {
    const withNat = synthStack(stack, {
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: [], natGateway: true },
      endpoints: { logs: 'none', s3: 'none' },
    });
    expect(withNat.json).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443 });
    const everythingOn = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule'));
    expect(everythingOn.some((r) => r.cidr_ipv4 === '0.0.0.0/0')).toBe(false);
  });

  it('allows HTTPS to the internet when only S3 goes through the NAT (docs/existing-vpc.md: "none" means egress 443 to any address)', () => {
    const s3ThroughNat = synthStack(stack, {
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: [], natGateway: true },
      endpoints: { ssm: 'existing', ecr: 'existing', logs: 'existing', kms: 'existing', s3: 'none' },
    });
    const egressRules = Object.values(resourcesOfType(s3ThroughNat.tf, 'aws_vpc_security_group_egress_rule'));
    expect(egressRules.filter((r) => r.cidr_ipv4 === '0.0.0.0/0').map((r) => [r.from_port, r.to_port])).toEqual([[443, 443]]);
  });
});

describe.each(STACKS)('targets of %s that share a destination and port', (stack) => {
  // An Aurora writer and reader endpoint behind one security group: AWS refuses a duplicate rule, so there is one.
  const { tf } = synthStack(stack, {
    targets: [
      { name: 'aurora-writer', port: 5432, securityGroupId: 'sg-0123456789abcdef0', host: 'writer.example.internal' },
      { name: 'aurora-reader', port: 5432, securityGroupId: 'sg-0123456789abcdef0', host: 'reader.example.internal' },
      { name: 'aurora-admin', port: 5433, securityGroupId: 'sg-0123456789abcdef0' },
    ],
  });

  it('get one egress rule and one ingress rule per distinct destination and port, naming every target', () => {
    const egress = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule')).filter((r) => r.referenced_security_group_id === 'sg-0123456789abcdef0');
    expect(egress.map((r) => [r.from_port, r.description]).sort()).toEqual([
      [5432, 'Bastion to targets aurora-writer, aurora-reader on TCP 5432'],
      [5433, 'Bastion to target aurora-admin on TCP 5433'],
    ]);
    const ingress = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule')).filter((r) => r.security_group_id === 'sg-0123456789abcdef0');
    expect(ingress.map((r) => r.from_port).sort()).toEqual([5432, 5433]);
  });
});

describe.each(STACKS)('BastionSecurityGroups of %s in an existing VPC (shared with other workloads)', (stack) => {
  const short = stack === 'ecs-bastion' ? 'ecs' : 'ec2';
  const network = { mode: 'existing' as const, vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] };
  const vpcBlocks = (tf: TerraformJson) => {
    const [name] = Object.keys(tf.data?.aws_vpc ?? {});
    return `\${toset([ for key, val in toset(data.aws_vpc.${name}.cidr_block_associations): val.cidr_block if val.state == "associated"])}`;
  };

  it('admits HTTPS into the endpoints it creates from every associated block of the VPC, as AWS’s own endpoints would, and nothing wider', () => {
    const { tf } = synthStack(stack, { network });
    const endpointIngress = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule')).filter((r) =>
      String(r.security_group_id).includes('security-groups_endpoints_'),
    );
    expect(endpointIngress).toEqual([
      expect.objectContaining({ for_each: vpcBlocks(tf), cidr_ipv4: '${each.value}', ip_protocol: 'tcp', from_port: 443, to_port: 443 }),
    ]);
    expect(endpointIngress[0].referenced_security_group_id).toBeUndefined();
  });

  it('reaches endpoints the VPC already has through the VPC’s blocks, and S3 through its prefix list, with no egress to the internet', () => {
    const modes = { ssm: 'existing', logs: 'existing', kms: 'existing', ecr: 'existing', s3: 'existing' } as const;
    const { tf } = synthStack(stack, { network, endpoints: modes });
    const egress = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule'));
    expect(egress.map((r) => [r.from_port, r.cidr_ipv4 ?? r.prefix_list_id ?? r.referenced_security_group_id]).sort()).toEqual(
      [
        [443, '${each.value}'],
        [443, '${data.aws_prefix_list.s3-prefix-list.id}'],
        [80, '${data.aws_prefix_list.s3-prefix-list.id}'],
      ].sort(),
    );
    expect(egress.find((r) => r.cidr_ipv4 === '${each.value}')!.for_each).toBe(vpcBlocks(tf));
    expect(tf.data?.aws_prefix_list).toEqual({ 's3-prefix-list': { name: 'com.amazonaws.eu-west-1.s3' } });
    expect(Object.values(resourcesOfType(tf, 'aws_security_group')).map((group) => group.name)).toEqual([`ssm-bastion-${short}-bastion`]);
    expect(Object.keys(resourcesOfType(tf, 'aws_vpc_endpoint'))).toEqual([]);
  });
});

describe.each(STACKS)('rule descriptions of %s with many targets on one destination', (stack) => {
  // Up to 50 targets may share a security group and port; AWS refuses a rule description over 255 characters.
  const names = Array.from({ length: 7 }, (_, i) => `t${String(i).padStart(2, '0')}${'x'.repeat(29)}`);
  const { tf } = synthStack(stack, { targets: names.map((name) => ({ name, port: 5432, securityGroupId: 'sg-0123456789abcdef0' })) });
  const rules = [...Object.values(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule')), ...Object.values(resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule'))];

  it('stay within 255 characters, naming as many targets as fit and counting the rest', () => {
    const described = rules.map((rule) => String(rule.description)).filter((text) => text.includes(names[0]));
    expect(described).toHaveLength(2);
    for (const text of described) {
      expect(text.length).toBeLessThanOrEqual(MAX_RULE_DESCRIPTION);
      expect(text).toMatch(/^(Bastion to targets|ssm-bastion bastion to) t00x+, .*, \d more on TCP 5432$/);
    }
  });
});

describe('describeTargets', () => {
  it('lists every name when they fit, and falls back to a count when not even one does', () => {
    expect(describeTargets('Bastion to targets', ['a', 'b'], 5432)).toBe('Bastion to targets a, b on TCP 5432');
    expect(describeTargets('x'.repeat(250), ['aurora'], 5432)).toBe(`${'x'.repeat(250)} 1 targets on TCP 5432`);
  });

  it('keeps every name while the description is at most 255 characters, the limit included', () => {
    // 'L a on TCP 5432' is 15 characters with a one-letter lead: a lead of 241 makes exactly 255.
    expect(describeTargets('x'.repeat(241), ['a'], 5432)).toHaveLength(MAX_RULE_DESCRIPTION);
    expect(describeTargets('x'.repeat(241), ['a'], 5432)).toBe(`${'x'.repeat(241)} a on TCP 5432`);
    expect(describeTargets('x'.repeat(242), ['a'], 5432)).toBe(`${'x'.repeat(242)} 1 targets on TCP 5432`);
  });
});

describe.each(STACKS)('RESERVED_TARGET_NAMES on %s', (stack) => {
  // Every rule of the bastion's own is `bastion-to-<name>` or `<name>-from-<source>`: a target of that name would
  // collide with it. The list is what the configuration refuses; it must name exactly the rules the stacks write.
  const existing = { mode: 'existing' as const, vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] };
  const variants = [
    {},
    { network: existing },
    { network: existing, endpoints: { ssm: 'existing', ecr: 'existing', logs: 'existing', kms: 'existing', s3: 'existing' } },
    { network: { ...existing, natGateway: true }, endpoints: { ssm: 'none', ecr: 'none', logs: 'none', kms: 'none', s3: 'none' } },
  ] as const;

  it('names exactly the rules the stacks write for themselves, in every network and endpoint mode', () => {
    const ruleNames = variants.flatMap((input) => {
      const { tf } = synthStack(stack, input);
      const ids = [...Object.keys(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule')), ...Object.keys(resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule'))];
      return ids.map((id) => /^security-groups_(?:bastion-to-(.+)|(.+)-from-[a-z]+)_[0-9A-F]{8}$/.exec(id)).map((match) => match?.[1] ?? match?.[2] ?? 'unexpected id');
    });
    expect([...new Set(ruleNames)].sort()).toEqual([...RESERVED_TARGET_NAMES].sort());
  });
});

describe.each(STACKS)('security group and rule descriptions of %s', (stack) => {
  // EC2 refuses a description with a character outside its set (a quote, an apostrophe, an ellipsis) at apply
  // time only: the provider's aws_vpc_security_group_*_rule checks neither the set nor the length at plan time.
  const existing = { mode: 'existing' as const, vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] };
  const longest = 'z'.repeat(24);
  const variants: BastionConfigInput[] = [
    { namePrefix: longest, targets: [...targets, { name: `a${'0'.repeat(31)}`, port: 5432, securityGroupId: 'sg-0123456789abcdef0' }] },
    { network: existing, targets },
    { network: existing, endpoints: { ssm: 'existing', ecr: 'existing', logs: 'existing', kms: 'existing', s3: 'existing' } },
    { network: { ...existing, natGateway: true }, endpoints: { ssm: 'none', ecr: 'none', logs: 'none', kms: 'none', s3: 'none' } },
    { network: { ...existing, natGateway: true }, endpoints: { logs: 'none', s3: 'create' } },
  ];

  it.each(variants.map((input, i) => [i, input] as const))('use only the characters EC2 accepts, within 255 (variant %i)', (_i, input) => {
    const { tf } = synthStack(stack, input);
    const described = ['aws_security_group', 'aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_ingress_rule'].flatMap((type) =>
      Object.values(resourcesOfType(tf, type)).map((resource) => String(resource.description)),
    );
    expect(described.length).toBeGreaterThan(2);
    for (const text of described) {
      expect({ text, allowed: RULE_DESCRIPTION_CHARACTERS.test(text) }).toEqual({ text, allowed: true });
      expect(text.length).toBeLessThanOrEqual(MAX_RULE_DESCRIPTION);
    }
  });
});
