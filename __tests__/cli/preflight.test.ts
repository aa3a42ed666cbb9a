/**
 * `bastion preflight` end to end inside the process: argument parsing, configuration, the EC2 Describe* calls
 * (aws-sdk-client-mock answering from a small world, by filter and page by page), the checks, the output and
 * the exit code.
 */
import { DescribeInstanceTypeOfferingsCommand, DescribeRouteTablesCommand, DescribeVpcEndpointsCommand, type VpcEndpoint } from '@aws-sdk/client-ec2';
import { run } from '../../cli/main';
import type { Finding } from '../../cli/preflight/findings';
import { parseConfig } from '../../modules/config';
import { bastionNames } from '../../modules/naming';
import { checkRunsAgainstPermissionTable } from './calls';
import {
  DB_GROUP,
  interfaceEndpoint,
  mockWorld,
  OTHER_VPC_ID,
  ownTags,
  RTB_A,
  RTB_B,
  RTB_MAIN,
  S3_ENDPOINT,
  S3_GATEWAY,
  SHARED_ENDPOINT_GROUP,
  subnet,
  SUBNET_A,
  SUBNET_APP,
  SUBNET_B,
  VPC_ID,
  type World,
  world,
} from './preflight-world';
import { configDir, fakeRuntime, mockedAwsClients, PREFIX, REGION } from './support';

const { ecsMock, ec2Mock, ssmMock } = mockedAwsClients();
// Every run is checked against the permission table (cli/permissions.ts), as in commands.test.ts.
const recordRun = checkRunsAgainstPermissionTable([ecsMock, ec2Mock, ssmMock], bastionNames(PREFIX));

/** An ec2-bastion into the world's VPC, with its two private subnets and a database target. */
const EXISTING = {
  namePrefix: PREFIX,
  region: REGION,
  stacks: ['ec2-bastion'],
  network: { mode: 'existing', vpcId: VPC_ID, subnetIds: [SUBNET_A, SUBNET_B] },
  targets: [{ name: 'aurora', port: 5432, securityGroupId: DB_GROUP }],
};

type Config = Record<string, unknown>;

const withConfig = (changes: Config, base: Config = EXISTING): Config => ({ ...base, ...changes });
const existingNetwork = (changes: Config) => ({ network: { ...EXISTING.network, ...changes } });

async function preflight(config: Config, w: World, args: string[] = []) {
  mockWorld(ec2Mock, w);
  const argv = ['preflight', ...args];
  const runtime = fakeRuntime({ cwd: configDir(config) });
  recordRun(argv, runtime);
  const code = await run(argv, runtime);
  return { code, out: runtime.stdout.text, err: runtime.stderr.text };
}

/** The findings of a --json run, and its whole document. */
async function preflightJson(config: Config, w: World, args: string[] = []) {
  const result = await preflight(config, w, [...args, '--json']);
  const document = JSON.parse(result.out) as { findings: Finding[]; suggested: Config; blockers: number; warnings: number };
  return { ...result, document, findings: document.findings };
}

const ofCheck = (findings: readonly Finding[], check: string) => findings.filter((f) => f.check === check);
const levels = (findings: readonly Finding[]) => findings.map((f) => f.level);

/** The settings block at the end of the terminal report. */
function printedBlock(out: string): Config {
  const marker = /Settings that fit this (VPC|region) \(paste into bastion\.config\.json\):\n/.exec(out);
  if (!marker) throw new Error(`no settings block in:\n${out}`);
  return JSON.parse(out.slice(marker.index + marker[0].length)) as Config;
}

const SSM_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'];
const sharedSsmEndpoints = (extra: Partial<VpcEndpoint> = {}) => SSM_SERVICES.map((s) => interfaceEndpoint(s, `vpce-0${s}`, extra));

/** The VPC of the main scenario: DNS hostnames off, the ssm endpoints already there, t4g.nano only in zone a. */
function mainScenario(): World {
  const w = world();
  w.dns[VPC_ID]!.hostnames = false;
  w.endpoints.push(...sharedSsmEndpoints());
  w.offerings['t4g.nano'] = [`${REGION}a`];
  return w;
}

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
        'dns',
        `  ✗ blocker  enableDnsHostnames is off in ${VPC_ID}: interface endpoints with private DNS need enableDnsSupport and enableDnsHostnames, so the plan fails (and endpoints the VPC already has do not answer under their AWS names).`,
        `             fix: Turn it on: aws ec2 modify-vpc-attribute --vpc-id ${VPC_ID} --enable-dns-hostnames '{"Value":true}' --region eu-west-1`,
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

  test('a VPC that is all right: exit 0, ok findings only', async () => {
    const { code, document } = await preflightJson(EXISTING, world());
    expect(code).toBe(0);
    expect([document.blockers, document.warnings]).toEqual([0, 0]);
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

  describe('the S3 gateway endpoint', () => {
    const createS3 = withConfig({ ...existingNetwork({ routeTableIds: [RTB_A, RTB_B] }), endpoints: { s3: 'create' } });

    test('"create" where a route table already carries an S3 endpoint: a blocker per table, suggesting "existing"', async () => {
      const { code, findings, document } = await preflightJson(createS3, world());
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual(
        [RTB_A, RTB_B].map((table) => ({
          level: 'blocker',
          check: 'endpoints.s3',
          message: `${table} already carries the S3 route of ${S3_ENDPOINT}: a route table takes the S3 prefix-list route of one gateway endpoint only, so creating this stack's fails (RouteAlreadyExists).`,
          fix: `Set endpoints.s3 to "existing": the bastion then uses ${S3_ENDPOINT}.`,
        })),
      );
      expect(document.suggested).toMatchObject({ network: { routeTableIds: [] }, endpoints: { s3: 'existing' } });
    });

    test('"existing" with the endpoint on the subnets\' route tables: ok', async () => {
      const { code, findings } = await preflightJson(EXISTING, world());
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        { level: 'ok', check: 'endpoints.s3', message: `The bastion reaches S3 through ${S3_ENDPOINT}, on ${RTB_A} and ${RTB_B}.` },
      ]);
    });

    test('"existing" with an endpoint policy of its own: a warning to check it', async () => {
      const w = world();
      w.endpoints = [{ ...S3_GATEWAY, PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-bucket/*' }] }) }];
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(0);
      expect(levels(ofCheck(findings, 'endpoints.s3'))).toEqual(['ok', 'warning']);
      expect(ofCheck(findings, 'endpoints.s3')[1]!.message).toMatch(new RegExp(`^${S3_ENDPOINT} has a policy of its own: make sure it allows`));
    });

    test('"existing" where a subnet\'s route table has no S3 route and no NAT: a blocker that says how to add the table', async () => {
      const w = world();
      w.endpoints = [{ ...S3_GATEWAY, RouteTableIds: [RTB_A] }];
      const { code, findings, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.s3',
          message: `endpoints.s3 is "existing", but ${SUBNET_B}'s route table ${RTB_B} carries no S3 gateway endpoint route and no NAT route: the bastion there cannot reach S3, which ec2-bastion (Patch Manager downloads patches and baselines from S3) needs.`,
          fix: `Put the VPC's S3 endpoint on that route table: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${S3_ENDPOINT} --add-route-table-ids ${RTB_B} --region eu-west-1`,
        },
        { level: 'ok', check: 'endpoints.s3', message: `The bastion reaches S3 through ${S3_ENDPOINT}, on ${RTB_A}.` },
      ]);
      expect(document.suggested.endpoints).toMatchObject({ s3: 'existing' });
    });

    test('"existing" where the route table goes out through a NAT: a warning (S3 through the NAT)', async () => {
      const w = world();
      w.endpoints = [];
      for (const table of w.routeTables.filter((t) => t.RouteTableId !== RTB_MAIN)) {
        table.Routes = [...table.Routes!, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a0a0a0a0a0a0a0a0', State: 'active' }];
      }
      const { code, findings } = await preflightJson(withConfig({ endpoints: { ssm: 'create' } }), w);
      expect(code).toBe(0);
      expect(levels(ofCheck(findings, 'endpoints.s3'))).toEqual(['warning', 'warning']);
      expect(ofCheck(findings, 'endpoints.s3')[0]!.message).toBe(
        `${SUBNET_A} (${RTB_A}) has no S3 gateway endpoint route: its S3 traffic goes through nat-0a0a0a0a0a0a0a0a0, at NAT data-processing prices.`,
      );
    });

    test('"create" on a route table other subnets use: a warning (their S3 traffic changes path; the open policy refuses nothing)', async () => {
      const w = world();
      w.endpoints = [];
      w.routeTables.find((t) => t.RouteTableId === RTB_A)!.Associations!.push({ SubnetId: SUBNET_APP });
      w.routeTables.find((t) => t.RouteTableId === RTB_MAIN)!.Associations = [{ Main: true }];
      const { code, findings } = await preflightJson(createS3, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        {
          level: 'warning',
          check: 'endpoints.s3',
          message: `${RTB_A} also serves ${SUBNET_APP}: their S3 traffic in this region will go through the endpoint this stack creates (AWS's default full-access policy, so nothing is refused), and it goes away if the stack is destroyed.`,
          fix: 'If other teams own those subnets, add the S3 gateway endpoint to the VPC yourself and set endpoints.s3 to "existing".',
        },
        { level: 'ok', check: 'endpoints.s3', message: `This stack creates the S3 gateway endpoint, on ${RTB_A} and ${RTB_B}.` },
      ]);
    });

    test('"create" on the main route table: a warning while another subnet uses it implicitly, no warning once none does', async () => {
      const w = world();
      w.endpoints = [];
      w.routeTables = w.routeTables.filter((t) => t.RouteTableId === RTB_MAIN);
      const onMain = withConfig({ ...existingNetwork({ routeTableIds: [RTB_MAIN] }), endpoints: { s3: 'create' } });
      const shared = await preflightJson(onMain, w);
      expect(ofCheck(shared.findings, 'endpoints.s3').map((f) => [f.level, f.message.split(':')[0]])).toEqual([
        ['warning', `${RTB_MAIN} also serves ${SUBNET_APP} (it is the main route table)`],
        ['ok', `This stack creates the S3 gateway endpoint, on ${RTB_MAIN}.`.split(':')[0]],
      ]);
      ec2Mock.reset();
      w.subnets = w.subnets.filter((s) => s.SubnetId !== SUBNET_APP);
      const alone = await preflightJson(onMain, w);
      expect(ofCheck(alone.findings, 'endpoints.s3')).toEqual([
        { level: 'ok', check: 'endpoints.s3', message: `This stack creates the S3 gateway endpoint, on ${RTB_MAIN}.` },
      ]);
    });

    test('"create" on dedicated route tables of a VPC without S3 endpoint: ok', async () => {
      const w = world();
      w.endpoints = [];
      const { code, findings } = await preflightJson(createS3, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        { level: 'ok', check: 'endpoints.s3', message: `This stack creates the S3 gateway endpoint, on ${RTB_A} and ${RTB_B}.` },
      ]);
    });

    test('"create" without the route table of a subnet: a blocker (that subnet would have no S3)', async () => {
      const w = world();
      w.endpoints = [];
      const config = withConfig({ ...existingNetwork({ routeTableIds: [RTB_A] }), endpoints: { s3: 'create' } });
      const { code, findings, document } = await preflightJson(config, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'route-tables')).toEqual([
        {
          level: 'blocker',
          check: 'route-tables',
          message: `${SUBNET_B} uses route table ${RTB_B}, which is not in network.routeTableIds: the S3 endpoint this stack creates would not serve it, and it has no NAT route: the bastion there cannot reach S3.`,
          fix: `Add ${RTB_B} to network.routeTableIds.`,
        },
      ]);
      expect(document.suggested).toMatchObject({ network: { routeTableIds: [RTB_A, RTB_B] }, endpoints: { s3: 'create' } });
    });
  });

  describe('interface endpoints with private DNS', () => {
    test('a group set to "create" where the VPC has the endpoints: a blocker, suggesting "existing"', async () => {
      const w = world();
      w.endpoints.push(...sharedSsmEndpoints());
      const { code, findings, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(levels(ofCheck(findings, 'endpoints.ssm'))).toEqual(['blocker']);
      expect(document.suggested.endpoints).toMatchObject({ ssm: 'existing' });
    });

    test('a group set to "existing" where the VPC has them: ok, and their security group admits the subnets', async () => {
      const w = world();
      w.endpoints.push(...sharedSsmEndpoints());
      const { code, findings } = await preflightJson(withConfig({ endpoints: { ssm: 'existing' } }), w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.ssm').map((f) => [f.level, f.message])).toEqual(
        SSM_SERVICES.map((s) => ['ok', `${s}: the bastion uses vpce-0${s} (private DNS).`]),
      );
      expect(ofCheck(findings, 'endpoint-security-groups').map((f) => f.message)).toEqual(
        SSM_SERVICES.map((s) => `vpce-0${s} (${s}) admits HTTPS from the bastion subnets.`),
      );
    });

    test('only part of a group exists: "create" is refused, and the fix names what is missing', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('ssmmessages', 'vpce-0ssmmessages'));
      const { findings } = await preflightJson(EXISTING, w);
      expect(ofCheck(findings, 'endpoints.ssm')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.ssm',
          message: `vpce-0ssmmessages (ssmmessages) already serves ${VPC_ID} with private DNS: AWS refuses a second private-DNS endpoint for a service in one VPC (conflicting DNS domain), so the apply fails.`,
          fix: 'Set endpoints.ssm to "existing": the bastion then uses the VPC\'s endpoint. The VPC has none for ssm and ec2messages: add them with private DNS as well, or let them go through a NAT (network.natGateway).',
        },
      ]);
    });

    test('an endpoint without private DNS is no collision', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs', { PrivateDnsEnabled: false }));
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.logs')[0]).toEqual({
        level: 'ok',
        check: 'endpoints.logs',
        message: 'vpce-0logs serves logs without private DNS: no conflict.',
      });
    });

    test('this deployment\'s own endpoints (by their tags) are not collisions; another prefix\'s are', async () => {
      const w = world();
      const own = { Tags: ownTags('ec2-bastion') };
      w.endpoints.push(...sharedSsmEndpoints(own), interfaceEndpoint('logs', 'vpce-0logs', own));
      w.endpoints.push(interfaceEndpoint('kms', 'vpce-0kms', { Tags: [{ Key: 'ssm-bastion:stack', Value: 'ec2-bastion' }, { Key: 'ssm-bastion:name-prefix', Value: 'other-team' }] }));
      const { code, findings, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.ssm').map((f) => [f.level, f.message])).toEqual(
        SSM_SERVICES.map((s) => ['ok', `vpce-0${s} (${s}) is this deployment's own endpoint.`]),
      );
      expect(levels(ofCheck(findings, 'endpoints.logs'))).toEqual(['ok']);
      expect(levels(ofCheck(findings, 'endpoints.kms'))).toEqual(['blocker']);
      expect(document.suggested.endpoints).toMatchObject({ ssm: 'create', logs: 'create', kms: 'existing' });
    });

    test('the endpoints of the ecs-bastion are collisions for an ec2-bastion deployed next to it', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('ssmmessages', 'vpce-0ssmmessages', { Tags: ownTags('ecs-bastion') }));
      const { findings } = await preflightJson(EXISTING, w);
      expect(levels(ofCheck(findings, 'endpoints.ssm'))).toEqual(['blocker']);
    });

    test('"existing" where the VPC has none and no NAT: a blocker that says why the stack needs it', async () => {
      const { code, findings } = await preflightJson(withConfig({ endpoints: { kms: 'existing' } }), world());
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.kms')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.kms',
          message: 'endpoints.kms is "existing", but the VPC has no private-DNS endpoint for kms, and network.natGateway is false: ec2-bastion (sessions are encrypted with the audit KMS key) cannot work.',
          fix: 'Set endpoints.kms to "create".',
        },
      ]);
    });

    test('"existing" where the endpoint has private DNS off: a blocker that offers to turn it on', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('kms', 'vpce-0kms', { PrivateDnsEnabled: false }));
      const { findings } = await preflightJson(withConfig({ endpoints: { kms: 'existing' } }), w);
      expect(ofCheck(findings, 'endpoints.kms')[0]).toMatchObject({
        level: 'blocker',
        message: expect.stringContaining("(vpce-0kms has private DNS off, so the agents, which call the service's regional name, do not reach it)"),
        fix: 'Turn on private DNS: aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0kms --private-dns-enabled --region eu-west-1; or set endpoints.kms to "create".',
      });
    });

    test('a reused endpoint whose security group does not admit a subnet: a warning with the rule to add', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs'));
      w.securityGroups.find((g) => g.GroupId === SHARED_ENDPOINT_GROUP)!.IpPermissions = [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.1.0/24' }], UserIdGroupPairs: [{ GroupId: 'sg-0aaaaaaaaaaaaaaa1' }] },
      ];
      const { code, findings } = await preflightJson(withConfig({ endpoints: { logs: 'existing' } }), w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoint-security-groups')).toEqual([
        {
          level: 'warning',
          check: 'endpoint-security-groups',
          message: `vpce-0logs (logs): its security group ${SHARED_ENDPOINT_GROUP} admits no HTTPS from ${SUBNET_B} (10.0.2.0/24) by address range; rules naming security groups or prefix lists are not counted.`,
          fix: `aws ec2 authorize-security-group-ingress --group-id ${SHARED_ENDPOINT_GROUP} --protocol tcp --port 443 --cidr 10.0.2.0/24 --region eu-west-1`,
        },
      ]);
    });
  });

  describe('NAT', () => {
    const natRoute = { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a0a0a0a0a0a0a0a0', State: 'active' as const };
    const withNat = (w: World) => {
      for (const table of w.routeTables.filter((t) => t.RouteTableId !== RTB_MAIN)) table.Routes = [...table.Routes!, natRoute];
      return w;
    };
    const logsNone = withConfig({ ...existingNetwork({ natGateway: true }), endpoints: { logs: 'none' } });

    test('a group set to "none" without a NAT route: a blocker', async () => {
      const { code, findings } = await preflightJson(logsNone, world());
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.logs')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.logs',
          message: 'endpoints.logs is "none", but the bastion subnets have no NAT route: ec2-bastion (sessions and patch runs log to CloudWatch Logs) cannot work.',
          fix: 'Set endpoints.logs to "create", or "existing" if the VPC has the endpoint.',
        },
      ]);
      expect(ofCheck(findings, 'nat')).toEqual([
        {
          level: 'warning',
          check: 'nat',
          message: `network.natGateway is true, but ${SUBNET_A} (${RTB_A}) and ${SUBNET_B} (${RTB_B}) have no 0.0.0.0/0 route through a NAT.`,
          fix: 'Set network.natGateway to false, or route those subnets through a NAT gateway.',
        },
      ]);
    });

    test('a group set to "none" with a NAT route: ok, and kept in the settings', async () => {
      const { code, findings, document } = await preflightJson(logsNone, withNat(world()));
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.logs')).toEqual([
        { level: 'ok', check: 'endpoints.logs', message: 'endpoints.logs is "none": the bastion reaches logs through the NAT.' },
      ]);
      expect(document.suggested).toMatchObject({ network: { natGateway: true }, endpoints: { logs: 'none' } });
    });

    test('a group set to "existing" whose endpoint the VPC lacks: through the NAT when configured (a warning), else a blocker', async () => {
      const kmsExisting = withConfig({ ...existingNetwork({ natGateway: true }), endpoints: { kms: 'existing' } });
      const viaNat = await preflightJson(kmsExisting, withNat(world()));
      expect(viaNat.code).toBe(0);
      expect(ofCheck(viaNat.findings, 'endpoints.kms')).toEqual([
        { level: 'warning', check: 'endpoints.kms', message: 'The VPC has no private-DNS endpoint for kms: the bastion reaches it through the NAT.' },
      ]);
      ec2Mock.reset();
      const noRoute = await preflightJson(kmsExisting, world());
      expect(ofCheck(noRoute.findings, 'endpoints.kms')[0]!.message).toBe(
        'endpoints.kms is "existing", but the VPC has no private-DNS endpoint for kms, and the bastion subnets have no NAT route: ec2-bastion (sessions are encrypted with the audit KMS key) cannot work.',
      );
    });

    test('a NAT route the configuration does not know of: ok, and the settings say natGateway true', async () => {
      const { findings, document } = await preflightJson(EXISTING, withNat(world()));
      expect(ofCheck(findings, 'nat')[0]!.message).toBe(
        'Every bastion subnet reaches the internet through nat-0a0a0a0a0a0a0a0a0. network.natGateway can be true (the suggested settings say so): then whatever no endpoint serves goes through it.',
      );
      expect(document.suggested.network).toMatchObject({ natGateway: true });
    });

    test('a subnet whose route goes to an internet gateway: a warning (the bastion has no public IP)', async () => {
      const { findings } = await preflightJson(withConfig(existingNetwork({ subnetIds: [SUBNET_APP] })), world());
      expect(ofCheck(findings, 'nat')[0]).toEqual({
        level: 'warning',
        check: 'nat',
        message: `${SUBNET_APP} routes 0.0.0.0/0 to igw-0a0a0a0a0a0a0a0a0: a public subnet. The bastion gets no public IP, so that route does not take it anywhere.`,
        fix: 'Use private subnets for the bastion.',
      });
    });
  });

  describe('zones and instance type', () => {
    test('a zone without the instance type: a warning, exit 0 when nothing else', async () => {
      const w = world();
      w.offerings['t4g.nano'] = [`${REGION}a`, `${REGION}c`];
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'instance-type')).toEqual([
        {
          level: 'warning',
          check: 'instance-type',
          message: `t4g.nano is not offered in eu-west-1b (euw1-az1), the zone of ${SUBNET_B}: the instance goes into the first subnet, so this matters only if network.subnetIds is reordered.`,
        },
      ]);
    });

    test('the first subnet\'s zone without the instance type: a blocker; the settings put a subnet that has it first', async () => {
      const w = world();
      w.offerings['t4g.nano'] = [`${REGION}b`];
      const { code, findings, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'instance-type')).toEqual([
        {
          level: 'blocker',
          check: 'instance-type',
          message: `t4g.nano is not offered in eu-west-1a (euw1-az3), the zone of the first subnet ${SUBNET_A}, where the EC2 bastion goes: the apply fails.`,
          fix: 'Put a subnet of a zone that offers it first in network.subnetIds (it is offered in eu-west-1b), or choose another ec2.instanceType.',
        },
      ]);
      expect(document.suggested.network).toMatchObject({ subnetIds: [SUBNET_B, SUBNET_A] });
    });

    test('the ecs bastion alone does not ask for instance type offerings', async () => {
      const config = withConfig({ stacks: ['ecs-bastion'] });
      const { code, findings } = await preflightJson(config, world());
      expect(code).toBe(0);
      expect(findings.map((f) => f.check)).not.toContain('instance-type');
      expect(ec2Mock.commandCalls(DescribeInstanceTypeOfferingsCommand)).toHaveLength(0);
    });
  });

  describe('targets', () => {
    test('a target group that does not exist is a blocker; one in another VPC a warning', async () => {
      const w = world();
      w.securityGroups.push({ GroupId: 'sg-0bbbbbbbbbbbbbbb2', GroupName: 'cache', VpcId: OTHER_VPC_ID });
      const targets = [
        { name: 'aurora', port: 5432, securityGroupId: 'sg-0aaaaaaaaaaaaaaa1' },
        { name: 'cache', port: 6379, securityGroupId: 'sg-0bbbbbbbbbbbbbbb2' },
        { name: 'web', port: 443, cidr: '10.0.9.0/24' },
      ];
      const { code, findings } = await preflightJson(withConfig({ targets }), w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'targets')).toEqual([
        {
          level: 'blocker',
          check: 'targets',
          message: 'targets[0] "aurora": sg-0aaaaaaaaaaaaaaa1 does not exist in eu-west-1.',
          fix: 'Fix the securityGroupId of the target (the security group of the database).',
        },
        {
          level: 'warning',
          check: 'targets',
          message: `targets[1] "cache": sg-0bbbbbbbbbbbbbbb2 belongs to ${OTHER_VPC_ID}, not to ${VPC_ID}: the bastion's rules can reference it only across a VPC peering; without one the apply fails.`,
          fix: `Use a security group of ${VPC_ID}, or give the target a cidr instead.`,
        },
      ]);
    });
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
    const argv = ['preflight'];
    const runtime = fakeRuntime({ cwd: configDir(EXISTING) });
    recordRun(argv, runtime);
    const code = await run(argv, runtime);
    expect(code).toBe(1);
    expect(runtime.stdout.text).toBe('');
    expect(runtime.stderr.text).toBe(
      [
        'error: Access denied: arn:aws:sts::123456789012:assumed-role/dev/me is not allowed to call ec2:DescribeRouteTables.',
        '  Missing IAM action: ec2:DescribeRouteTables. bastion preflight runs with the rights of whoever deploys the stacks and needs read-only EC2 actions (ec2:Describe*, e.g. the AWS managed policy AmazonEC2ReadOnlyAccess); the operator policy of the stacks does not grant them.',
        '',
      ].join('\n'),
    );
  });
});

describe('bastion preflight: a VPC the stacks create', () => {
  const CREATE = { namePrefix: PREFIX, region: REGION, stacks: ['ec2-bastion'], network: { mode: 'create', availabilityZones: [`${REGION}a`, `${REGION}b`] } };

  test('--json: one document with the findings and the settings', async () => {
    const w = world();
    w.offerings['t4g.nano'] = [`${REGION}a`, `${REGION}c`];
    const { code, out } = await preflight(CREATE, w, ['--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      region: 'eu-west-1',
      namePrefix: 'acme',
      stacks: ['ec2-bastion'],
      networkMode: 'create',
      blockers: 0,
      warnings: 1,
      findings: [
        { level: 'ok', check: 'zones', message: 'The subnets go into eu-west-1a (euw1-az3) and eu-west-1b (euw1-az1).' },
        {
          level: 'ok',
          check: 'endpoint-services',
          message: 'ssm, ssmmessages, ec2messages, logs and kms are offered in eu-west-1a (euw1-az3) and eu-west-1b (euw1-az1).',
        },
        {
          level: 'warning',
          check: 'instance-type',
          message: 't4g.nano is not offered in eu-west-1b (euw1-az1): the instance goes into the first zone, so this matters only if network.availabilityZones is reordered.',
        },
      ],
      suggested: {
        network: { mode: 'create', cidr: '10.42.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
        endpoints: { ssm: 'create', ecr: 'create', logs: 'create', kms: 'create', s3: 'create', singleAz: false },
      },
    });
  });

  test('a service not offered in a zone: a blocker; the settings take another zone', async () => {
    const w = world();
    w.services.find((s) => s.ServiceName === `com.amazonaws.${REGION}.ec2messages`)!.AvailabilityZones = [`${REGION}a`, `${REGION}c`];
    const { code, out } = await preflight(CREATE, w);
    expect(code).toBe(1);
    expect(out).toContain(
      [
        'endpoint-services',
        '  ✗ blocker  ec2messages is not offered in eu-west-1b (euw1-az1): an interface endpoint takes subnets only in zones its service supports, so creating it fails.',
        '             fix: Leave eu-west-1b out of network.availabilityZones (the suggested settings do), or set endpoints.singleAz to true with a first zone that offers it.',
      ].join('\n'),
    );
    const block = printedBlock(out);
    expect(block.network).toEqual({ mode: 'create', cidr: '10.42.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1c'] });
    expect(() => parseConfig(withConfig(block, CREATE))).not.toThrow();
    ec2Mock.reset();
    expect((await preflight(withConfig(block, CREATE), w)).code).toBe(0);
  });

  test('a zone the account does not have: a blocker listing the zones it has', async () => {
    const { code, findings } = await preflightJson(withConfig({ network: { mode: 'create', availabilityZones: [`${REGION}a`, `${REGION}d`] } }, CREATE), world());
    expect(code).toBe(1);
    expect(ofCheck(findings, 'zones')[0]).toEqual({
      level: 'blocker',
      check: 'zones',
      message: 'eu-west-1d is not an availability zone of eu-west-1 for this account.',
      fix: 'Use zones of eu-west-1 in network.availabilityZones: eu-west-1a (euw1-az3), eu-west-1b (euw1-az1), eu-west-1c (euw1-az2).',
    });
  });

  test('us-east-1: names use1-az3 by its id, whatever its letter in this account', async () => {
    const w = world();
    w.zones = [
      { ZoneName: 'us-east-1a', ZoneId: 'use1-az6', State: 'available' },
      { ZoneName: 'us-east-1b', ZoneId: 'use1-az3', State: 'available' },
      { ZoneName: 'us-east-1c', ZoneId: 'use1-az1', State: 'available' },
    ];
    w.offerings['t4g.nano'] = ['us-east-1a', 'us-east-1c'];
    w.services = w.services.map((s) => ({ ...s, ServiceName: s.ServiceName!.replace(REGION, 'us-east-1'), AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }));
    const config = { ...CREATE, region: 'us-east-1', stacks: ['ecs-bastion', 'ec2-bastion'], network: { mode: 'create', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
    const { findings, document } = await preflightJson(config, w);
    expect(ofCheck(findings, 'zones')).toContainEqual({
      level: 'warning',
      check: 'zones',
      message:
        'us-east-1b (use1-az3) is use1-az3, the us-east-1 zone that lacks newer instance families and some endpoint services, and where Fargate does not run. Zone letters map to different zones in each account: compare zone ids.',
      fix: 'Prefer another zone in network.availabilityZones.',
    });
    expect(document.suggested.network).toMatchObject({ availabilityZones: ['us-east-1a', 'us-east-1c'] });
  });
});

describe('bastion preflight: stacks and usage', () => {
  const TWO_STACKS = withConfig({ stacks: ['ecs-bastion', 'ec2-bastion'], endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing' } });

  test('both stacks in one VPC: the settings never ask both to create a shared endpoint', async () => {
    const w = world();
    w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs'));
    const { code, out } = await preflight(TWO_STACKS, w);
    expect(code).toBe(1);
    expect(out).toContain(
      'fix: Create the kms endpoint (private DNS) in the VPC once, for both stacks, or deploy each stack from its own configuration.',
    );
    const block = printedBlock(out);
    expect(block.endpoints).toEqual({ ssm: 'existing', ecr: 'create', logs: 'existing', kms: 'existing', s3: 'existing', singleAz: false });
    expect(() => parseConfig(withConfig(block, TWO_STACKS))).not.toThrow();
  });

  test('a variant checks that stack only, and the settings name it', async () => {
    const w = world();
    const { code, document } = await preflightJson(TWO_STACKS, w, ['ecs']);
    expect(code).toBe(1);
    expect(document.suggested.stacks).toEqual(['ecs-bastion']);
    expect(ec2Mock.commandCalls(DescribeInstanceTypeOfferingsCommand)).toHaveLength(0);
    expect(() => parseConfig(withConfig(document.suggested, TWO_STACKS))).not.toThrow();
  });

  test('an unknown variant is a usage error (exit 2)', async () => {
    const argv = ['preflight', 'lambda'];
    const runtime = fakeRuntime({ cwd: configDir(EXISTING) });
    recordRun(argv, runtime);
    expect(await run(argv, runtime)).toBe(2);
    expect(runtime.stderr.text).toContain("error: command-argument value 'lambda' is invalid for argument 'variant'. Allowed choices are ecs, ec2.");
  });
});
