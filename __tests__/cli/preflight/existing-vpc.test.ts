/** `bastion preflight` into an existing VPC: the whole report, the settings it prints, paging through the EC2 answers, and access denied. */
import { DescribeInstanceTypeOfferingsCommand, DescribeRouteTablesCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { parseConfig } from '../../../modules/config';
import { ACCOUNT, DB_GROUP, mockWorld, OTHER_VPC_ID, RTB_A, RTB_B, S3_ENDPOINT, subnet, SUBNET_A, SUBNET_APP, SUBNET_B, VPC_ID, world } from '../preflight-world';
import { REGION } from '../support';
import { EXISTING, existingNetwork, levels, mainScenario, ofCheck, preflightHarness, printedBlock, withConfig } from './harness';

const { ec2Mock, preflightIn, preflight, preflightJson } = preflightHarness();

describe('bastion preflight: an existing VPC', () => {
  test('reports every check by name, the blockers with their fix, and the settings that fit; exit 1', async () => {
    const { code, out, err } = await preflight(EXISTING, mainScenario());
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(out).toBe(
      [
        `Preflight of ec2-bastion into ${VPC_ID}, eu-west-1, namePrefix acme`,
        '',
        'vpc',
        `  ✓ ok       ${VPC_ID} exists; its IPv4 CIDR blocks: 10.0.0.0/16, 100.64.0.0/16. The endpoint security group will admit HTTPS from all of them.`,
        'vpc-sharing',
        `  ✓ ok       ${VPC_ID} belongs to this account (${ACCOUNT}).`,
        'dns',
        `  ✗ blocker  enableDnsHostnames is off in ${VPC_ID}: interface endpoints with private DNS need enableDnsSupport and enableDnsHostnames, so the plan fails (and endpoints the VPC already has do not answer under their AWS names).`,
        `             fix: Turn it on: aws ec2 modify-vpc-attribute --vpc-id ${VPC_ID} --enable-dns-hostnames '{"Value":true}' --region eu-west-1`,
        'dhcp-options',
        `  ✓ ok       ${VPC_ID} resolves through the Amazon DNS server (AmazonProvidedDNS), which answers the endpoints' private DNS names.`,
        'subnets',
        `  ✓ ok       ${SUBNET_A} (first: the EC2 instance goes here): eu-west-1a (euw1-az3), 10.0.1.0/24, route table ${RTB_A}.`,
        `  ✓ ok       ${SUBNET_B}: eu-west-1b (euw1-az1), 10.0.2.0/24, route table ${RTB_B}.`,
        'zones',
        "  ✓ ok       The bastion's subnets are in eu-west-1a (euw1-az3) and eu-west-1b (euw1-az1).",
        'route-tables',
        `  ✓ ok       The bastion's subnets use ${RTB_A} and ${RTB_B}.`,
        'nat',
        '  ✓ ok       No NAT route from the bastion subnets: the bastion reaches AWS through VPC endpoints only.',
        'endpoints.s3',
        `  ✓ ok       The bastion reaches S3 through ${S3_ENDPOINT}, on ${RTB_A} and ${RTB_B}.`,
        'endpoints.ssm',
        `  ✗ blocker  vpce-0ssm (ssm), vpce-0ssmmessages (ssmmessages) and vpce-0ec2messages (ec2messages) already serve ${VPC_ID} with private DNS: AWS refuses a second private-DNS endpoint for a service in one VPC (conflicting DNS domain), so the apply fails.`,
        `             fix: Set endpoints.ssm to "existing": the bastion then uses the VPC's endpoints.`,
        'endpoints.logs',
        "  ✓ ok       This stack creates the logs endpoint with private DNS: every workload of the VPC then reaches logs through it (HTTPS from the VPC's CIDR blocks is admitted).",
        'endpoints.kms',
        "  ✓ ok       This stack creates the kms endpoint with private DNS: every workload of the VPC then reaches kms through it (HTTPS from the VPC's CIDR blocks is admitted).",
        'workload-egress',
        `  ✓ ok       No other network interface of ${VPC_ID} that this account can see reaches AWS today: the endpoints for ssm, ssmmessages, ec2messages, logs and kms take no one's calls over.`,
        'network-acls',
        '  ✓ ok       The network ACLs let HTTPS through between the endpoint subnets and the 3 subnets whose workloads will call them.',
        'endpoint-services',
        '  ✓ ok       ssm, ssmmessages, ec2messages, logs and kms are offered in eu-west-1a (euw1-az3) and eu-west-1b (euw1-az1).',
        'instance-type',
        `  ! warning  t4g.nano is not offered in eu-west-1b (euw1-az1), the zone of ${SUBNET_B}: the instance goes into the first subnet, so this matters only if network.subnetIds is reordered.`,
        'targets',
        `  ✓ ok       targets[0] "aurora": ${DB_GROUP} (aurora) is in ${VPC_ID}.`,
        '',
        '2 blockers, 1 warning: the deploy would fail or not work; fix the blockers first.',
        '',
        'Settings that fit this VPC (paste into bastion.config.json):',
        '{',
        '  "network": {',
        '    "mode": "existing",',
        `    "vpcId": "${VPC_ID}",`,
        '    "subnetIds": [',
        `      "${SUBNET_A}",`,
        `      "${SUBNET_B}"`,
        '    ],',
        '    "routeTableIds": [],',
        '    "natGateway": false',
        '  },',
        '  "endpoints": {',
        '    "ssm": "existing",',
        '    "ecr": "create",',
        '    "logs": "create",',
        '    "kms": "create",',
        '    "s3": "existing",',
        '    "singleAz": false',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('the printed settings pass the configuration check, and with DNS fixed the deploy has no blocker left', async () => {
    const w = mainScenario();
    const block = printedBlock((await preflight(EXISTING, w)).out);
    const fixed = withConfig(block);
    expect(() => parseConfig(fixed)).not.toThrow();
    w.dns[VPC_ID]!.hostnames = true;
    const again = await preflightJson(fixed, w);
    expect(again.document.blockers).toBe(0);
    expect(again.code).toBe(0);
    expect(again.document.suggested).toEqual(block);
  });

  test('DNS support and hostnames off: one blocker each, naming the attribute and the command', async () => {
    const w = world();
    w.dns[VPC_ID] = { support: false, hostnames: false };
    const { code, findings } = await preflightJson(EXISTING, w);
    expect(code).toBe(1);
    expect(ofCheck(findings, 'dns').map((f) => [f.level, f.message.split(':')[0], f.fix])).toEqual([
      ['blocker', `enableDnsSupport is off in ${VPC_ID}`, `Turn it on: aws ec2 modify-vpc-attribute --vpc-id ${VPC_ID} --enable-dns-support '{"Value":true}' --region eu-west-1`],
      ['blocker', `enableDnsHostnames is off in ${VPC_ID}`, `Turn it on: aws ec2 modify-vpc-attribute --vpc-id ${VPC_ID} --enable-dns-hostnames '{"Value":true}' --region eu-west-1`],
    ]);
  });

  test('a DNS attribute answered without a value is not taken for on: a blocker', async () => {
    const w = world();
    w.dns[VPC_ID] = { support: undefined as unknown as boolean, hostnames: true };
    const { code, findings } = await preflightJson(EXISTING, w);
    expect(code).toBe(1);
    expect(ofCheck(findings, 'dns').map((f) => [f.level, f.message.split(':')[0]])).toEqual([['blocker', `enableDnsSupport is off in ${VPC_ID}`]]);
  });

  test('a VPC that is all right: exit 0, ok findings only', async () => {
    const { code, document } = await preflightJson(EXISTING, world());
    expect(code).toBe(0);
    expect([document.blockers, document.warnings]).toEqual([0, 0]);
  });

  test('a CIDR block being disassociated is no longer the VPC\'s: not among the blocks the endpoints admit', async () => {
    const w = world();
    w.vpcs[0]!.CidrBlockAssociationSet!.push({ AssociationId: 'vpc-cidr-assoc-0d0d', CidrBlock: '172.31.0.0/16', CidrBlockState: { State: 'disassociating' } });
    const { findings } = await preflightJson(EXISTING, w);
    expect(ofCheck(findings, 'vpc')[0]!.message).toBe(`${VPC_ID} exists; its IPv4 CIDR blocks: 10.0.0.0/16, 100.64.0.0/16. The endpoint security group will admit HTTPS from all of them.`);
  });

  test('a VPC id that does not exist: one blocker, the subnets said to be elsewhere, the settings as configured', async () => {
    const config = withConfig(existingNetwork({ vpcId: 'vpc-0123456789abcdef9' }));
    const { code, findings, document } = await preflightJson(config, world());
    expect(code).toBe(1);
    expect(ofCheck(findings, 'vpc')).toEqual([
      {
        level: 'blocker',
        check: 'vpc',
        message: 'vpc-0123456789abcdef9 does not exist in eu-west-1 (or this account cannot see it).',
        fix: 'Check network.vpcId, --region and --profile: aws ec2 describe-vpcs --vpc-ids vpc-0123456789abcdef9 --region eu-west-1',
      },
    ]);
    expect(ofCheck(findings, 'subnets').map((f) => f.message)).toEqual([
      `${SUBNET_A} belongs to ${VPC_ID}, not to vpc-0123456789abcdef9.`,
      `${SUBNET_B} belongs to ${VPC_ID}, not to vpc-0123456789abcdef9.`,
    ]);
    expect(findings.map((f) => f.check)).not.toContain('dns');
    expect(document.suggested.network).toEqual({ ...config.network as object, routeTableIds: [], natGateway: false });
    expect(() => parseConfig(withConfig(document.suggested, config))).not.toThrow();
  });

  test('--region names another region than the configuration: the checks run there, and the settings say so', async () => {
    const { code, document } = await preflightJson(withConfig({ region: 'eu-central-1' }), world(), ['--region', REGION]);
    expect(code).toBe(0);
    expect(document).toMatchObject({ region: REGION, suggested: { region: REGION } });
  });

  test('subnets that do not exist or belong to another VPC are blockers', async () => {
    const w = world();
    const foreign = 'subnet-0dddddddddddddd04';
    w.subnets.push(subnet(foreign, 2, '172.31.0.0/20', OTHER_VPC_ID));
    const missing = 'subnet-0999999999999999f';
    const { code, findings } = await preflightJson(withConfig(existingNetwork({ subnetIds: [SUBNET_A, foreign, missing] })), w);
    expect(code).toBe(1);
    expect(ofCheck(findings, 'subnets')).toEqual([
      expect.objectContaining({ level: 'ok' }),
      {
        level: 'blocker',
        check: 'subnets',
        message: `${foreign} belongs to ${OTHER_VPC_ID}, not to ${VPC_ID}.`,
        fix: `List subnets of ${VPC_ID} in network.subnetIds: aws ec2 describe-subnets --filters Name=vpc-id,Values=${VPC_ID} --region eu-west-1`,
      },
      {
        level: 'blocker',
        check: 'subnets',
        message: `${missing} does not exist in eu-west-1.`,
        fix: `Fix network.subnetIds; the VPC's subnets: aws ec2 describe-subnets --filters Name=vpc-id,Values=${VPC_ID} --region eu-west-1`,
      },
    ]);
  });

  test('two subnets in one zone while endpoints are created: a blocker; the settings keep one per zone', async () => {
    const { code, findings, document } = await preflightJson(withConfig(existingNetwork({ subnetIds: [SUBNET_A, SUBNET_APP, SUBNET_B] })), world());
    expect(code).toBe(1);
    expect(ofCheck(findings, 'zones')[0]).toEqual({
      level: 'blocker',
      check: 'zones',
      message: `${SUBNET_A} and ${SUBNET_APP} are all in eu-west-1a (euw1-az3): an interface endpoint takes one subnet per zone, so creating the endpoints fails (DuplicateSubnetsInSameZone).`,
      fix: 'Keep one subnet per zone in network.subnetIds (the suggested settings do), or set endpoints.singleAz to true.',
    });
    expect(document.suggested.network).toMatchObject({ subnetIds: [SUBNET_A, SUBNET_B] });
  });

  test('two subnets in one zone are fine when the endpoints go into the first subnet only', async () => {
    const config = withConfig({ ...existingNetwork({ subnetIds: [SUBNET_A, SUBNET_APP] }), endpoints: { singleAz: true } });
    const { findings } = await preflightJson(config, world());
    expect(levels(ofCheck(findings, 'zones'))).toEqual(['ok']);
  });


  test('pages through route tables, endpoints and instance type offerings', async () => {
    const w = mainScenario();
    w.pageSize = 1;
    const paged = await preflightJson(EXISTING, w);
    expect(ec2Mock.commandCalls(DescribeRouteTablesCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, '1', '2']);
    expect(ec2Mock.commandCalls(DescribeVpcEndpointsCommand)).toHaveLength(4);
    expect(ec2Mock.commandCalls(DescribeInstanceTypeOfferingsCommand).length).toBeGreaterThanOrEqual(1);
    ec2Mock.reset();
    const whole = await preflightJson(EXISTING, mainScenario());
    expect(paged.document).toEqual(whole.document);
  });

  test('pages through instance type offerings to find the zones further on', async () => {
    const w = world();
    w.pageSize = 1;
    w.offerings['t4g.nano'] = [`${REGION}c`, `${REGION}b`, `${REGION}a`];
    const { code } = await preflightJson(EXISTING, w);
    expect(code).toBe(0);
    expect(ec2Mock.commandCalls(DescribeInstanceTypeOfferingsCommand)).toHaveLength(3);
  });

  test('access denied names the missing action and the deployer\'s rights it needs; exit 1', async () => {
    const w = world();
    mockWorld(ec2Mock, w);
    ec2Mock.on(DescribeRouteTablesCommand).rejects(
      Object.assign(new Error('You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: ec2:DescribeRouteTables because no identity-based policy allows the ec2:DescribeRouteTables action'), {
        name: 'UnauthorizedOperation',
      }),
    );
    const { code, out, err } = await preflightIn(EXISTING);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      [
        'error: Access denied: arn:aws:sts::123456789012:assumed-role/dev/me is not allowed to call ec2:DescribeRouteTables.',
        '  Missing IAM action: ec2:DescribeRouteTables. bastion preflight runs with the rights of whoever deploys the stacks and needs read-only EC2 actions (ec2:Describe*, e.g. the AWS managed policy AmazonEC2ReadOnlyAccess); the operator policy of the stacks does not grant them.',
        '',
      ].join('\n'),
    );
  });
});
