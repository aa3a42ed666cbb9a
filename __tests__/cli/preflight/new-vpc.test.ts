/** `bastion preflight` for a VPC the stacks create: the zones, the region's instance types, and --json. */
import { DescribeAvailabilityZonesCommand } from '@aws-sdk/client-ec2';
import { parseConfig } from '../../../modules/config';
import { world } from '../preflight-world';
import { PREFIX, REGION } from '../support';
import { ofCheck, preflightHarness, printedBlock, withConfig } from './harness';

const { ec2Mock, preflight, preflightJson } = preflightHarness();

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

  test('with endpoints.singleAz only the first zone must offer the services: the endpoints go there alone', async () => {
    const w = world();
    w.services.find((s) => s.ServiceName === `com.amazonaws.${REGION}.ec2messages`)!.AvailabilityZones = [`${REGION}a`, `${REGION}c`];
    const { code, findings } = await preflightJson(withConfig({ endpoints: { singleAz: true } }, CREATE), w);
    expect(code).toBe(0);
    expect(ofCheck(findings, 'endpoint-services')).toEqual([
      { level: 'ok', check: 'endpoint-services', message: 'ssm, ssmmessages, ec2messages, logs and kms are offered in eu-west-1a (euw1-az3).' },
    ]);
  });

  test('a refused DescribeAvailabilityZones fails preflight: in a new VPC the zones are where the subnets go, not a check to skip', async () => {
    const refused = Object.assign(new Error('You are not authorized to perform: ec2:DescribeAvailabilityZones'), { name: 'UnauthorizedOperation' });
    const { code, out, err } = await preflight(CREATE, world(), ['--json'], () => {
      ec2Mock.on(DescribeAvailabilityZonesCommand).rejects(refused);
    });
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err).toMatch(/^error: Access denied: Your AWS identity is not allowed to call ec2:DescribeAvailabilityZones\./);
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

  test('a zone AWS reports other than available: a warning naming its state', async () => {
    const w = world();
    w.zones.find((z) => z.ZoneName === `${REGION}b`)!.State = 'unavailable';
    const { findings } = await preflightJson(CREATE, w);
    expect(ofCheck(findings, 'zones')[0]).toEqual({
      level: 'warning',
      check: 'zones',
      message: 'eu-west-1b (euw1-az1) is unavailable.',
      fix: 'Prefer another zone while AWS reports it so.',
    });
    // The settings leave it for an available zone.
    const { document } = await preflightJson(CREATE, w);
    expect(document.suggested.network).toMatchObject({ availabilityZones: [`${REGION}a`, `${REGION}c`] });
  });

  test('a service the region does not offer at all: one blocker naming it, not one more per zone', async () => {
    const w = world();
    w.services = w.services.filter((s) => s.ServiceName !== `com.amazonaws.${REGION}.kms`);
    const { findings } = await preflightJson(CREATE, w);
    expect(ofCheck(findings, 'endpoint-services')).toEqual([
      {
        level: 'blocker',
        check: 'endpoint-services',
        message: `eu-west-1 offers no interface endpoint service com.amazonaws.${REGION}.kms.`,
        fix: 'Set the endpoint group to "none" and give the subnets a NAT, or deploy in another region.',
      },
    ]);
  });

  test('local zones of the region are not availability zones: not listed among the zones to use', async () => {
    const w = world();
    w.zones.push({ ZoneName: `${REGION}-lhr-1a`, ZoneId: 'euw1-lhr1-az1', State: 'available', ZoneType: 'local-zone', RegionName: REGION });
    const { findings } = await preflightJson(withConfig({ network: { mode: 'create', availabilityZones: [`${REGION}a`, `${REGION}d`] } }, CREATE), w);
    expect(ofCheck(findings, 'zones')[0]!.fix).toBe('Use zones of eu-west-1 in network.availabilityZones: eu-west-1a (euw1-az3), eu-west-1b (euw1-az1), eu-west-1c (euw1-az2).');
  });

  test('a service the region offers as a gateway endpoint only: no interface endpoint in any zone, a blocker per zone', async () => {
    const w = world();
    w.services.find((s) => s.ServiceName === `com.amazonaws.${REGION}.ec2messages`)!.ServiceType = [{ ServiceType: 'Gateway' }];
    const { code, findings } = await preflightJson(CREATE, w);
    expect(code).toBe(1);
    expect(ofCheck(findings, 'endpoint-services').map((f) => [f.level, f.message.split(':')[0]])).toEqual([
      ['blocker', 'ec2messages is not offered in eu-west-1a (euw1-az3)'],
      ['blocker', 'ec2messages is not offered in eu-west-1b (euw1-az1)'],
    ]);
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
