import { type BastionConfigInput, parseConfig, stateKey } from '../../modules/config';
import { stackTags } from '../../modules/context';
import { problemsOf } from './support';

const existing = {
  mode: 'existing' as const,
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-0123456789abcdef0'],
  routeTableIds: ['rtb-0123456789abcdef0'],
};

// [what is wrong, the configuration, the JSON path that must be named, a word the message must contain]
const BAD_INPUTS: [string, unknown, string, RegExp][] = [
  ['a misspelt top-level key', { regoin: 'eu-west-1' }, 'regoin', /unknown key/],
  ['a misspelt nested key', { endpoints: { sssm: true } }, 'endpoints.sssm', /unknown key/],
  ['a region that does not exist', { region: 'eu-westish-1' }, 'region', /AWS region/],
  ['an account id with 11 digits', { accountId: '12345678901' }, 'accountId', /12-digit/],
  ['an account id given as a number', { accountId: 123456789012 }, 'accountId', /string/],
  ['an upper-case name prefix', { namePrefix: 'MyBastion' }, 'namePrefix', /lowercase/],
  ['a name prefix too long for S3 bucket names', { namePrefix: 'a'.repeat(25) }, 'namePrefix', /3 to 24/],
  ['a name prefix Systems Manager reserves', { namePrefix: 'aws-bastion' }, 'namePrefix', /reserves the prefix "aws" for Systems Manager document names/],
  ['a name prefix Systems Manager reserves (amzn)', { namePrefix: 'amzn-bastion' }, 'namePrefix', /reserves the prefix "amzn" for Systems Manager document names/],
  ['a name prefix S3 reserves', { namePrefix: 'xn--bastion' }, 'namePrefix', /reserves the prefix "xn--" for S3 bucket names/],
  ['a name prefix with "--", which ECR refuses', { namePrefix: 'team--bastion', stacks: ['ecs-bastion'] }, 'namePrefix', /pull-through cache repository prefix "team--bastion-pub".*single \. _ - or \//],
  ['a name prefix EC2 refuses for security groups', { namePrefix: 'sg-bastion' }, 'namePrefix', /reserves the prefix "sg-" for security group names/],
  [
    'a region whose name makes a bucket name longer than S3 allows',
    { namePrefix: 'a'.repeat(24), region: 'ap-southeast-10', stacks: ['ecs-bastion'] },
    'namePrefix',
    /S3 bucket name .* has 3 to 63 characters/,
  ],
  ['more tags than AWS allows with ours', { tags: Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, 'v'])) }, 'tags', /at most 40/],
  [
    'more targets than a security group has rules for',
    { targets: Array.from({ length: 51 }, (_, i) => ({ name: `t${i}`, port: 5432, cidr: '10.0.0.0/24' })) },
    'targets',
    /at most 50/,
  ],
  ['a name prefix ending with a hyphen', { namePrefix: 'bastion-' }, 'namePrefix', /not ending with a hyphen/],
  ['a tag key in the reserved aws: namespace', { tags: { 'aws:owner': 'me' } }, 'tags["aws:owner"]', /aws:/],
  ['a tag key in the reserved aws: namespace, upper case', { tags: { 'AWS:owner': 'me' } }, 'tags["AWS:owner"]', /in any case/],
  ['a tag value in the reserved aws: namespace', { tags: { owner: 'Aws:me' } }, 'tags.owner', /in any case/],
  ['a tag key the stacks set on every resource', { tags: { Name: 'db' } }, 'tags.Name', /set by the stacks/],
  ['a tag key the stacks set in default_tags (ManagedBy)', { tags: { ManagedBy: 'me' } }, 'tags.ManagedBy', /set by the stacks/],
  ['a tag key in the stacks\' own namespace', { tags: { 'ssm-bastion:stack': 'other' } }, 'tags["ssm-bastion:stack"]', /set by the stacks/],
  ['a tag value that is not a string', { tags: { team: 42 } }, 'tags.team', /string/],
  ['a tag key the stacks set, in another case (IAM role tag keys ignore case)', { tags: { name: 'db' } }, 'tags.name', /only in case, and IAM compares/],
  ['a tag key in the stacks\' own namespace, in another case', { tags: { 'SSM-Bastion:stack': 'x' } }, 'tags["SSM-Bastion:stack"]', /only in case/],
  ['two tag keys that differ only in case', { tags: { Team: 'a', team: 'b' } }, 'tags.team', /key of tags\["Team"\] in another case, and IAM compares/],
  ['a patch group in the reserved aws: namespace (the PatchGroup tag value)', { ec2: { patching: { patchGroup: 'Aws:patching' } } }, 'ec2.patching.patchGroup', /not starting with "aws:"/],
  ['an unknown stack', { stacks: ['lambda-bastion'] }, 'stacks[0]', /ecs-bastion/],
  ['no stacks at all', { stacks: [] }, 'stacks', /at least one/],
  [
    'a stack named twice (read as both stacks by the one-VPC and one-state-file rules)',
    { stacks: ['ecs-bastion', 'ecs-bastion'], network: existing },
    'stacks[1]',
    /names ecs-bastion a second time/,
  ],
  ['an unknown network mode', { network: { mode: 'peered' } }, 'network.mode', /"create" or "existing"/],
  ['a VPC block that is not private', { network: { mode: 'create', cidr: '8.8.0.0/16' } }, 'network.cidr', /private range/],
  ['a VPC block larger than /16', { network: { mode: 'create', cidr: '10.0.0.0/8' } }, 'network.cidr', /\/16 and \/24/],
  ['a VPC block with host bits set', { network: { mode: 'create', cidr: '10.42.0.1/16' } }, 'network.cidr', /host bits/],
  [
    'a zone of another region',
    { region: 'eu-west-1', network: { mode: 'create', availabilityZones: ['eu-west-1a', 'us-east-1b'] } },
    'network.availabilityZones[1]',
    /region eu-west-1/,
  ],
  [
    'a zone id of another region',
    { region: 'eu-west-1', network: { mode: 'create', availabilityZones: ['euw1-az1', 'use1-az2'] } },
    'network.availabilityZones[1]',
    /zone id like "euw1-az1"/,
  ],
  [
    'zone id number 0, which no zone has',
    { region: 'eu-west-1', network: { mode: 'create', availabilityZones: ['euw1-az1', 'euw1-az0'] } },
    'network.availabilityZones[1]',
    /zone id like "euw1-az1"/,
  ],
  [
    'a zone id number with a leading zero',
    { region: 'eu-west-1', network: { mode: 'create', availabilityZones: ['euw1-az01', 'euw1-az2'] } },
    'network.availabilityZones[0]',
    /zone id like "euw1-az1"/,
  ],
  [
    'zone names and zone ids together (the same zone, for some accounts)',
    { network: { mode: 'create', availabilityZones: ['eu-west-1a', 'euw1-az1'] } },
    'network.availabilityZones',
    /names only or ids only/,
  ],
  ['the same zone twice', { network: { mode: 'create', availabilityZones: ['eu-west-1a', 'eu-west-1a'] } }, 'network.availabilityZones', /twice/],
  ['an existing VPC without its id', { network: { mode: 'existing', subnetIds: ['subnet-0123456789abcdef0'] } }, 'network.vpcId', /required/],
  ['a malformed subnet id', { network: { ...existing, subnetIds: ['subnet-xyz'] } }, 'network.subnetIds[0]', /subnet id/],
  [
    'more subnets than an ECS service takes',
    { stacks: ['ecs-bastion'], network: { ...existing, subnetIds: Array.from({ length: 17 }, (_, i) => `subnet-${i.toString(16).padStart(17, '0')}`) } },
    'network.subnetIds',
    /lists 17 subnets, and the ECS service of ecs-bastion takes at most 16/,
  ],
  [
    'an S3 gateway endpoint to create without route tables',
    { network: { ...existing, routeTableIds: [] }, endpoints: { s3: 'create' } },
    'network.routeTableIds',
    /route tables/,
  ],
  ['an endpoint said to exist in a VPC this project creates', { endpoints: { logs: 'existing' } }, 'endpoints.logs', /"existing" is for network.mode "existing"/],
  ['an endpoint group left out in an existing VPC without NAT', { network: existing, endpoints: { kms: 'none' } }, 'endpoints.kms', /natGateway is false/],
  ['Session Manager endpoints off in a VPC without NAT', { endpoints: { ssm: false } }, 'endpoints.ssm', /no NAT/],
  ['ECR endpoints off while the ECS bastion needs them', { endpoints: { ecr: false } }, 'endpoints.ecr', /ecs-bastion/],
  [
    'both stacks in one existing VPC, each creating the same private-DNS endpoints',
    { network: existing, stacks: ['ecs-bastion', 'ec2-bastion'] },
    'stacks',
    /one private-DNS interface endpoint per service and VPC\. Deploy one stack/,
  ],
  [
    'both stacks in one existing VPC, each creating an S3 gateway endpoint on the route tables',
    { network: existing, stacks: ['ecs-bastion', 'ec2-bastion'], endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing', s3: 'create' } },
    'stacks',
    /create the s3 endpoints in the same VPC, and AWS allows one S3 gateway route per route table\. .*endpoints\.s3 to "existing"/,
  ],
  ['an endpoint mode that does not exist', { endpoints: { kms: 'yes' } }, 'endpoints.kms', /"create".*"existing".*"none"/],
  ['a target port above 65535', { targets: [{ name: 'db', port: 70000, cidr: '10.0.0.0/24' }] }, 'targets[0].port', /1 to 65535/],
  ['a fractional target port', { targets: [{ name: 'db', port: 54.32, cidr: '10.0.0.0/24' }] }, 'targets[0].port', /whole number/],
  ['a target with neither security group nor CIDR', { targets: [{ name: 'db', port: 5432 }] }, 'targets[0]', /exactly one/],
  [
    'a target with both security group and CIDR',
    { targets: [{ name: 'db', port: 5432, cidr: '10.0.0.0/24', securityGroupId: 'sg-0123456789abcdef0' }] },
    'targets[0]',
    /exactly one/,
  ],
  ['a target open to the whole internet', { targets: [{ name: 'db', port: 5432, cidr: '0.0.0.0/0' }] }, 'targets[0].cidr', /whole internet/],
  ['half the internet as a target (two such open it all)', { targets: [{ name: 'db', port: 5432, cidr: '128.0.0.0/1' }] }, 'targets[0].cidr', /is 1\/2 of all IPv4 addresses.*a \/8 \(such as 10\.0\.0\.0\/8\) or narrower/],
  ['a target wider than a /8', { targets: [{ name: 'db', port: 5432, cidr: '10.0.0.0/7' }] }, 'targets[0].cidr', /is 1\/128 of all IPv4 addresses/],
  ['a malformed target security group', { targets: [{ name: 'db', port: 5432, securityGroupId: 'sg-123' }] }, 'targets[0].securityGroupId', /security group id/],
  [
    'a target named like one of the bastion\'s own rules',
    { targets: [{ name: 'endpoints', port: 443, cidr: '10.0.0.0/24' }] },
    'targets[0].name',
    /own security group rules.*choose another/,
  ],
  [
    'two targets with the same name',
    { targets: [{ name: 'db', port: 5432, cidr: '10.0.0.0/24' }, { name: 'db', port: 3306, cidr: '10.0.1.0/24' }] },
    'targets[1].name',
    /unique/,
  ],
  ['a target host with a space', { targets: [{ name: 'db', port: 5432, cidr: '10.0.0.0/24', host: 'my db' }] }, 'targets[0].host', /DNS name/],
  ['a retention CloudWatch does not accept', { audit: { logRetentionDays: 100 } }, 'audit.logRetentionDays', /365/],
  ['a provider endpoint for a service the provider does not know', { provider: { endpoints: { foo: 'http://localhost:4566' } } }, 'provider.endpoints.foo', /service name/],
  ['a provider endpoint that is not http(s)', { provider: { endpoints: { s3: 'javascript:alert(1)' } } }, 'provider.endpoints.s3', /http\(s\) URL/],
  ['a provider endpoint with a Terraform expression', { provider: { endpoints: { s3: 'http://localhost:4566/${var.x}' } } }, 'provider.endpoints.s3', /plain URL/],
  [
    'a provider endpoint with a Terraform template directive (the URL Terraform uses would differ)',
    { provider: { endpoints: { s3: 'http://localhost:4566/%{if true}x%{endif}' } } },
    'provider.endpoints.s3',
    /plain URL: .*"%\{"/,
  ],
  ['a provider endpoint that is not a URL', { provider: { endpoints: { s3: 'localhost' } } }, 'provider.endpoints.s3', /URL/i],
  [
    'one local state file for both stacks (each apply would destroy the other stack)',
    { backend: { type: 'local', path: 'state.tfstate' } },
    'backend.path',
    /one state file for both stacks.*\{stack\}/,
  ],
  ['a local state path with a NUL byte, which Terraform cannot open', { backend: { type: 'local', path: 'state/\u0000{stack}.tfstate' } }, 'backend.path', /without control characters/],
  ['a local state path with a DEL character', { backend: { type: 'local', path: 'state/\u007f{stack}.tfstate' } }, 'backend.path', /without control characters/],
  ['an absolute local state path', { backend: { type: 'local', path: '/var/state.tfstate' } }, 'backend.path', /relative/],
  ['an absolute Windows local state path', { backend: { type: 'local', path: 'C:\\state\\{stack}.tfstate' } }, 'backend.path', /relative/],
  [
    'a local state path whose {stack} folder is left again with ".." (one file for both stacks)',
    { backend: { type: 'local', path: 'state/{stack}/../shared.tfstate' } },
    'backend.path',
    /one state file for both stacks \(state\/shared\.tfstate\)/,
  ],
  [
    'a local state path whose {stack} folder is left again with "..", written with Windows separators',
    { backend: { type: 'local', path: 'state\\{stack}\\..\\shared.tfstate' } },
    'backend.path',
    /one state file for both stacks \(state\/shared\.tfstate\)/,
  ],
  ['an S3 state key with a leading slash', { backend: { type: 's3', bucket: 'tf-state', key: '/state/' } }, 'backend.key', /leading "\/"/],
  ['an S3 state key with "//"', { backend: { type: 's3', bucket: 'tf-state', key: 'a//b' } }, 'backend.key', /"\/\/"/],
  [
    'an S3 state key that makes an object key longer than S3 allows',
    { backend: { type: 's3', bucket: 'tf-state', key: 'é'.repeat(503) } },
    'backend.key',
    /within the 1024 bytes \(UTF-8\) S3 allows/,
  ],
  ['an S3 state bucket with adjacent periods', { backend: { type: 's3', bucket: 'my..state', key: 'b' } }, 'backend.bucket', /adjacent periods/],
  ['an S3 state bucket named like an IP address', { backend: { type: 's3', bucket: '192.168.1.1', key: 'b' } }, 'backend.bucket', /IP address/],
  ['an S3 backend without a bucket', { backend: { type: 's3', key: 'bastion' } }, 'backend.bucket', /required/],
  ['an unknown backend type', { backend: { type: 'consul' } }, 'backend.type', /"local" or "s3"/],
  // Found by mutation testing (modules/config): each of these passed synth with one anchor, bound or character class changed.
  ['a region with text before its name', { region: 'xx-eu-west-1' }, 'region', /AWS region/],
  ['a VPC id with a character that is not hexadecimal', { network: { ...existing, vpcId: 'vpc-g123456789abcdef0' } }, 'network.vpcId', /VPC id/],
  ['a subnet id with text before it', { network: { ...existing, subnetIds: ['my-subnet-0123456789abcdef0'] } }, 'network.subnetIds[0]', /subnet id/],
  ['an existing VPC without subnets', { network: { ...existing, subnetIds: [] } }, 'network.subnetIds', /at least one private subnet/],
  [
    'more availability zones than the VPC gets subnets for',
    { network: { mode: 'create', availabilityZones: [...'abcdefg'].map((l) => `eu-west-1${l}`) } },
    'network.availabilityZones',
    /at most 6/,
  ],
  [
    'a zone name with two letters after the region',
    { network: { mode: 'create', availabilityZones: ['eu-west-1ab', 'eu-west-1b'] } },
    'network.availabilityZones[0]',
    /region eu-west-1/,
  ],
  ['a target prefix beyond /32', { targets: [{ name: 'db', port: 5432, cidr: '10.0.0.0/33' }] }, 'targets[0].cidr', /IPv4 CIDR/],
  ['a target address with an octet above 255', { targets: [{ name: 'db', port: 5432, cidr: '10.256.0.0/16' }] }, 'targets[0].cidr', /IPv4 CIDR/],
  ['a target range with host bits set', { targets: [{ name: 'db', port: 5432, cidr: '10.0.0.1/24' }] }, 'targets[0].cidr', /host bits are set/],
  ['a target name of 33 characters', { targets: [{ name: 'a'.repeat(33), port: 5432, cidr: '10.0.0.0/24' }] }, 'targets[0].name', /at most 32 characters/],
  [
    'a target host of 254 characters',
    { targets: [{ name: 'db', port: 5432, cidr: '10.0.0.0/24', host: ['a', 'b', 'c'].map((c) => c.repeat(63)).concat('d'.repeat(62)).join('.') }] },
    'targets[0].host',
    /DNS name/,
  ],
  ['a tag key of 129 characters', { tags: { ['k'.repeat(129)]: 'v' } }, `tags.${'k'.repeat(129)}`, /1 to 128 characters/],
  ['a tag value of 257 characters', { tags: { team: 'v'.repeat(257) } }, 'tags.team', /at most 256 characters/],
  ['the tag key "_index", reserved in the instance metadata tag tree', { stacks: ['ec2-bastion'], tags: { _index: 'x' } }, 'tags._index', /reserved name in the instance metadata tag tree/],
  ['the tag key "..", reserved in the instance metadata tag tree', { stacks: ['ec2-bastion'], tags: { '..': 'x' } }, 'tags[".."]', /reserved name in the instance metadata tag tree/],
  ['a patch group of 257 characters', { ec2: { patching: { patchGroup: 'p'.repeat(257) } } }, 'ec2.patching.patchGroup', /1 to 256/],
  ['an S3 state bucket name of 64 characters', { backend: { type: 's3', bucket: 'b'.repeat(64), key: 'b' } }, 'backend.bucket', /S3 bucket name/],
  ['an S3 state bucket with a period before a hyphen', { backend: { type: 's3', bucket: 'my.-state', key: 'b' } }, 'backend.bucket', /period next to a hyphen/],
  ['an S3 state bucket with a hyphen before a period', { backend: { type: 's3', bucket: 'my-.state', key: 'b' } }, 'backend.bucket', /period next to a hyphen/],
  ['a document that is not an object', ['region'], '(root)', /object/],
];

describe('configuration validation', () => {
  it.each(BAD_INPUTS)('refuses %s, naming the field', (_what, input, path, message) => {
    const problems = problemsOf(input);
    const problem = problems.find((p) => p.path === path);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it.each(['Name', ...Object.keys(stackTags({ tags: {}, namePrefix: 'acme' }, 'ec2-bastion'))])('refuses the tag key %s, which the stacks set themselves', (key) => {
    const problem = problemsOf({ tags: { [key]: 'mine' } }).find((p) => p.message.includes('set by the stacks'));
    expect(problem?.path).toMatch(/^tags/);
  });

  it('reports every problem at once, not only the first', () => {
    const problems = problemsOf({ region: 'nowhere', namePrefix: 'X', targets: [{ name: 'db', port: 0, cidr: '10.0.0.0/24' }] });
    expect(problems.map((p) => p.path).sort()).toEqual(['namePrefix', 'region', 'targets[0].port']);
  });

  it('puts the path, the bad value and what is allowed on one line of the message', () => {
    expect(() => parseConfig({ targets: [{ name: 'db', port: 70000, cidr: '10.0.0.0/24' }] })).toThrow(
      /targets\[0\]\.port: 70000: must be a port from 1 to 65535/,
    );
  });

  it('takes an S3 state key whose longest object key, <key>/<stack>.tfstate, has exactly the 1,024 bytes S3 allows', () => {
    const key = 'é'.repeat(502);
    expect(new TextEncoder().encode(`${key}/ecs-bastion.tfstate`).length).toBe(1024);
    expect(parseConfig({ backend: { type: 's3', bucket: 'tf-state', key } }).backend).toMatchObject({ key });
  });

  it('takes a local state path of its own per stack: {stack} for both stacks, any path for one', () => {
    expect(parseConfig({ backend: { type: 'local', path: 'state/{stack}.tfstate' } }).backend).toEqual({ type: 'local', path: 'state/{stack}.tfstate' });
    expect(parseConfig({ stacks: ['ec2-bastion'], backend: { type: 'local', path: 'state.tfstate' } }).backend).toEqual({ type: 'local', path: 'state.tfstate' });
  });

  it('takes 16 subnets, the most an ECS service takes, for ecs-bastion in an existing VPC', () => {
    const subnetIds = Array.from({ length: 16 }, (_, i) => `subnet-${i.toString(16).padStart(17, '0')}`);
    expect(parseConfig({ stacks: ['ecs-bastion'], network: { ...existing, subnetIds } }).network).toMatchObject({ subnetIds });
  });

  it('takes a whole private network, a /8, as a target range', () => {
    expect(parseConfig({ targets: [{ name: 'corp', port: 5432, cidr: '10.0.0.0/8' }] }).targets[0]?.cidr).toBe('10.0.0.0/8');
  });

  it('accepts an empty document and fills in the defaults (new VPC, both stacks, zones of the region)', () => {
    const config = parseConfig({ region: 'ap-northeast-1' });
    expect(config.stacks).toEqual(['ecs-bastion', 'ec2-bastion']);
    expect(config.network).toEqual({ mode: 'create', cidr: '10.42.0.0/16', availabilityZones: ['apne1-az1', 'apne1-az2'] });
    expect(config.endpoints).toEqual({ ssm: 'create', ecr: 'create', logs: 'create', kms: 'create', s3: 'create', singleAz: false });
  });

  it('uses the S3 gateway endpoint an existing VPC already has by default, and creates the interface endpoints', () => {
    const { endpoints } = parseConfig({ network: existing, stacks: ['ecs-bastion'] });
    expect(endpoints).toEqual({ ssm: 'create', ecr: 'create', logs: 'create', kms: 'create', s3: 'existing', singleAz: false });
  });

  it('lets an existing VPC with a NAT gateway leave endpoint groups out', () => {
    const input: BastionConfigInput = { network: { ...existing, natGateway: true }, endpoints: { ssm: 'none', ecr: 'none', logs: 'none', kms: 'none', s3: 'none' } };
    expect(parseConfig(input).endpoints).toMatchObject({ ssm: 'none', ecr: 'none', logs: 'none', kms: 'none', s3: 'none' });
  });

  it('lets an existing VPC declare every group as already there, without a NAT gateway', () => {
    const modes = { ssm: 'existing', ecr: 'existing', logs: 'existing', kms: 'existing', s3: 'existing' } as const;
    expect(parseConfig({ network: existing, endpoints: modes }).endpoints).toMatchObject(modes);
  });

  it('keeps the booleans of older configurations working: true is "create", false is "none"', () => {
    const input: BastionConfigInput = { network: { ...existing, natGateway: true }, stacks: ['ec2-bastion'], endpoints: { ssm: true, logs: false, s3: true } };
    expect(parseConfig(input).endpoints).toMatchObject({ ssm: 'create', logs: 'none', s3: 'create' });
    expect(problemsOf({ endpoints: { ssm: false } })).toContainEqual(expect.objectContaining({ path: 'endpoints.ssm', value: 'none', message: expect.stringMatching(/no NAT/) }));
  });

  it('checks only the names of resources the configuration creates: no archive, no bucket name to refuse', () => {
    // "xn--" is reserved for S3 bucket names only; without the archive the ec2-bastion stack creates no bucket.
    const input = { namePrefix: 'xn--bastion', stacks: ['ec2-bastion'] } as const;
    expect(problemsOf({ ...input, audit: { s3Archive: true } })).toEqual([expect.objectContaining({ path: 'namePrefix', message: expect.stringMatching(/S3 bucket/) })]);
    expect(parseConfig({ ...input, audit: { s3Archive: false } }).namePrefix).toBe('xn--bastion');
  });

  it('lets an EC2-only deployment leave the ECR endpoints out', () => {
    expect(parseConfig({ stacks: ['ec2-bastion'], endpoints: { ecr: 'none' } }).endpoints.ecr).toBe('none');
  });

  it('lets both stacks share an existing VPC whose endpoints exist already', () => {
    const modes = { ssm: 'existing', ecr: 'create', logs: 'existing', kms: 'existing', s3: 'existing' } as const;
    expect(parseConfig({ network: existing, endpoints: modes }).stacks).toEqual(['ecs-bastion', 'ec2-bastion']);
  });

  it('writes the default zones of us-east-1 as zone ids, so no account lands on use1-az3 by letter', () => {
    expect(parseConfig({ region: 'us-east-1' }).network).toMatchObject({ availabilityZones: ['use1-az1', 'use1-az2'] });
    expect(parseConfig({ region: 'us-east-1', network: { mode: 'create', availabilityZones: ['use1-az4', 'use1-az6'] } }).network).toMatchObject({
      availabilityZones: ['use1-az4', 'use1-az6'],
    });
    expect(parseConfig({ region: 'us-east-1', network: { mode: 'create', availabilityZones: ['us-east-1a', 'us-east-1f'] } }).network).toMatchObject({
      availabilityZones: ['us-east-1a', 'us-east-1f'],
    });
  });

  it.each(['endpoints', 'existing-endpoints', 's3', 's3-http', 'aws-apis'])('refuses the target name %s, which one of the bastion\'s own rules has', (name) => {
    const problem = problemsOf({ targets: [{ name, port: 443, cidr: '10.0.0.0/24' }] }).find((p) => p.path === 'targets[0].name');
    expect(problem?.message).toMatch(/own security group rules/);
  });

  it('takes the longest values each pattern allows: 32-character target names, 253-character hosts, 128/256-character tags, 63-character buckets', () => {
    const host = ['a', 'b', 'c'].map((c) => c.repeat(63)).concat('d'.repeat(61)).join('.');
    expect(host).toHaveLength(253);
    const config = parseConfig({
      targets: [{ name: 'a'.repeat(32), port: 5432, cidr: '10.0.0.0/24', host }],
      tags: { ['k'.repeat(128)]: 'v'.repeat(256) },
      ec2: { patching: { patchGroup: 'p'.repeat(256) } },
      backend: { type: 's3', bucket: 'b'.repeat(63), key: 'b' },
    });
    expect(config.targets[0]).toMatchObject({ name: 'a'.repeat(32), host });
    expect(config.tags).toEqual({ ['k'.repeat(128)]: 'v'.repeat(256) });
    expect(config.ec2.patching.patchGroup).toBe('p'.repeat(256));
    expect(config.backend).toMatchObject({ bucket: 'b'.repeat(63) });
  });

  it('drops every trailing "/" of an S3 key prefix, so a key ending in "//" still gives an object key without "//"', () => {
    expect(parseConfig({ backend: { type: 's3', bucket: 'tf-state', key: 'bastion//' } }).backend).toMatchObject({ key: 'bastion//' });
    expect(stateKey('bastion//', 'ecs-bastion')).toBe('bastion/ecs-bastion.tfstate');
  });

  it('derives the partition from the region', () => {
    expect(parseConfig({ region: 'us-gov-west-1', stacks: ['ec2-bastion'] }).partition).toBe('aws-us-gov');
    expect(parseConfig({ region: 'eu-central-1' }).partition).toBe('aws');
  });
});
