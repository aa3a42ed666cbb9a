/**
 * `bastion preflight` where zones are named by id (the default in us-east-1, us-west-1, ap-northeast-1 and
 * cn-north-1, and allowed anywhere) and in the regions where Fargate runs in some zones only.
 */
import type { Finding } from '../../../cli/preflight/findings';
import { type World, world } from '../preflight-world';
import { PREFIX, REGION } from '../support';
import { EXISTING, ofCheck, preflightHarness, withConfig } from './harness';

const { preflightJson } = preflightHarness();

/** The world moved to `region`, whose zones are `zones` ([name, id], in the order of the world's three zones). */
function movedTo(region: string, zones: [string, string][]): World {
  const w = world();
  const names = w.zones.map((z) => z.ZoneName!);
  const rename = (name: string) => zones[names.indexOf(name)]?.[0] ?? name;
  w.zones = zones.map(([ZoneName, ZoneId]) => ({ ZoneName, ZoneId, State: 'available', ZoneType: 'availability-zone', RegionName: region }));
  for (const s of w.subnets) Object.assign(s, { AvailabilityZone: rename(s.AvailabilityZone!), AvailabilityZoneId: zones[names.indexOf(s.AvailabilityZone!)]![1] });
  w.offerings = Object.fromEntries(Object.entries(w.offerings).map(([type, where]) => [type, where.map(rename)]));
  w.services = w.services.map((s) => ({ ...s, ServiceName: s.ServiceName!.replace(REGION, region), AvailabilityZones: (s.AvailabilityZones ?? []).map(rename) }));
  // Copies: the world's endpoints are shared constants.
  w.endpoints = w.endpoints.map((e) => ({ ...e, ServiceName: e.ServiceName!.replace(REGION, region) }));
  return w;
}

const US_EAST_1: [string, string][] = [
  ['us-east-1a', 'use1-az6'],
  ['us-east-1b', 'use1-az2'],
  ['us-east-1c', 'use1-az1'],
];
// An account from before uniform zone letters: its "b" is the zone where Fargate does not run.
const US_WEST_1: [string, string][] = [
  ['us-west-1a', 'usw1-az3'],
  ['us-west-1b', 'usw1-az2'],
  ['us-west-1c', 'usw1-az1'],
];
const AP_NORTHEAST_1: [string, string][] = [
  ['ap-northeast-1a', 'apne1-az4'],
  ['ap-northeast-1b', 'apne1-az3'],
  ['ap-northeast-1c', 'apne1-az1'],
];

const NEW_VPC = { namePrefix: PREFIX };
const blockers = (findings: readonly Finding[]) => findings.filter((f) => f.level === 'blocker');

describe('bastion preflight: zones by id in a new VPC', () => {
  test('us-east-1 with the default zones (use1-az1, use1-az2): found by id, checked under their names, no blocker', async () => {
    const { code, findings, document } = await preflightJson({ ...NEW_VPC, region: 'us-east-1' }, movedTo('us-east-1', US_EAST_1));
    expect(blockers(findings)).toEqual([]);
    expect(code).toBe(0);
    expect(ofCheck(findings, 'zones')).toEqual([{ level: 'ok', check: 'zones', message: 'The subnets go into us-east-1c (use1-az1) and us-east-1b (use1-az2).' }]);
    expect(ofCheck(findings, 'instance-type')).toEqual([{ level: 'ok', check: 'instance-type', message: 't4g.nano is offered in us-east-1c (use1-az1) and us-east-1b (use1-az2).' }]);
    expect(ofCheck(findings, 'endpoint-services').map((f) => f.level)).toEqual(['ok']);
    // The suggested settings keep naming the zones by id, as the configuration does (names and ids do not mix).
    expect(document.suggested.network).toEqual({ mode: 'create', cidr: '10.42.0.0/16', availabilityZones: ['use1-az1', 'use1-az2'] });
  });

  test('a zone id the account does not have is a blocker that names it, and a service missing in a zone is left out by its id', async () => {
    const w = movedTo('us-east-1', US_EAST_1);
    w.services = w.services.map((s) => (s.ServiceName!.endsWith('.kms') ? { ...s, AvailabilityZones: ['us-east-1a', 'us-east-1c'] } : s));
    const { code, findings, document } = await preflightJson({ ...NEW_VPC, region: 'us-east-1', network: { mode: 'create', availabilityZones: ['use1-az1', 'use1-az2', 'use1-az5'] } }, w);
    expect(code).toBe(1);
    expect(blockers(findings).map((f) => [f.check, f.message.split(':')[0], f.fix]).sort()).toEqual([
      [
        'endpoint-services',
        'kms is not offered in us-east-1b (use1-az2)',
        'Leave use1-az2 out of network.availabilityZones (the suggested settings do), or set endpoints.singleAz to true with a first zone that offers it.',
      ],
      // A zone the account lacks offers no service either.
      [
        'endpoint-services',
        'ssm, ssmmessages, ec2messages, ecr.api, ecr.dkr, logs and kms are not offered in use1-az5',
        'Leave use1-az5 out of network.availabilityZones (the suggested settings do), or set endpoints.singleAz to true with a first zone that offers them.',
      ],
      [
        'zones',
        'use1-az5 is not an availability zone of us-east-1 for this account.',
        'Use zones of us-east-1 in network.availabilityZones: us-east-1a (use1-az6), us-east-1b (use1-az2), us-east-1c (use1-az1).',
      ],
    ]);
    expect(document.suggested.network).toMatchObject({ availabilityZones: ['use1-az1', 'use1-az6'] });
  });
});

describe('bastion preflight: regions where Fargate runs in some zones only', () => {
  test('us-west-1, a new VPC by zone letter: the letter that is usw1-az2 in this account is a blocker for the ECS bastion, and the suggestion avoids it', async () => {
    const config = { ...NEW_VPC, region: 'us-west-1', stacks: ['ecs-bastion'], network: { mode: 'create', availabilityZones: ['us-west-1a', 'us-west-1b'] } };
    const { code, findings, document } = await preflightJson(config, movedTo('us-west-1', US_WEST_1));
    expect(code).toBe(1);
    expect(blockers(findings)).toEqual([
      {
        level: 'blocker',
        check: 'zones',
        message:
          "us-west-1b (usw1-az2) is not one of the zones of us-west-1 where Amazon ECS runs Fargate tasks (usw1-az1 and usw1-az3): the ECS bastion's task fails whenever ECS places it there.",
        fix: 'Use zones of usw1-az1 and usw1-az3 in network.availabilityZones (by zone id, which names the same zone in every account).',
      },
    ]);
    expect(document.suggested.network).toMatchObject({ availabilityZones: ['us-west-1a', 'us-west-1c'] });
  });

  test('us-west-1: a zone the account lacks is replaced, in the suggestion, by a zone where Fargate runs', async () => {
    const config = { ...NEW_VPC, region: 'us-west-1', stacks: ['ecs-bastion'], network: { mode: 'create', availabilityZones: ['us-west-1a', 'us-west-1d'] } };
    const { document } = await preflightJson(config, movedTo('us-west-1', US_WEST_1));
    expect(document.suggested.network).toMatchObject({ availabilityZones: ['us-west-1a', 'us-west-1c'] });
  });

  test('us-west-1 with the default zones (usw1-az1, usw1-az3): no blocker for either stack', async () => {
    const { code, findings } = await preflightJson({ ...NEW_VPC, region: 'us-west-1' }, movedTo('us-west-1', US_WEST_1));
    expect(blockers(findings)).toEqual([]);
    expect(code).toBe(0);
  });

  test('the EC2 bastion alone may use the zone', async () => {
    const config = { ...NEW_VPC, region: 'us-west-1', stacks: ['ec2-bastion'], network: { mode: 'create', availabilityZones: ['us-west-1a', 'us-west-1b'] } };
    const { findings, document } = await preflightJson(config, movedTo('us-west-1', US_WEST_1));
    expect(blockers(findings)).toEqual([]);
    expect(document.suggested.network).toMatchObject({ availabilityZones: ['us-west-1a', 'us-west-1b'] });
  });

  test('ap-northeast-1, an existing VPC: a subnet in apne1-az3 is a blocker for the ECS bastion, named by subnet and zone id, and left out of the suggestion', async () => {
    const w = movedTo('ap-northeast-1', AP_NORTHEAST_1);
    const ecs = withConfig({ region: 'ap-northeast-1', stacks: ['ecs-bastion'] });
    const { code, findings, document } = await preflightJson(ecs, w);
    expect(code).toBe(1);
    const subnetB = (EXISTING.network.subnetIds as string[])[1];
    expect(ofCheck(findings, 'zones').filter((f) => f.level === 'blocker')).toEqual([
      {
        level: 'blocker',
        check: 'zones',
        message: `ap-northeast-1b (apne1-az3), the zone of ${subnetB}, is not one of the zones of ap-northeast-1 where Amazon ECS runs Fargate tasks (apne1-az1, apne1-az2 and apne1-az4): the ECS bastion's task fails whenever ECS places it there.`,
        fix: `Leave ${subnetB} out of network.subnetIds and use subnets in apne1-az1, apne1-az2 and apne1-az4, or use the EC2 bastion there.`,
      },
    ]);
    expect((document.suggested.network as { subnetIds: string[] }).subnetIds).not.toContain(subnetB);
    // The EC2 bastion alone: no such blocker.
    const ec2 = await preflightJson(withConfig({ region: 'ap-northeast-1' }), movedTo('ap-northeast-1', AP_NORTHEAST_1));
    expect(ofCheck(ec2.findings, 'zones').filter((f) => f.level === 'blocker')).toEqual([]);
  });

  test('a region without such limits (eu-west-1): every zone is fine for the ECS bastion', async () => {
    const { findings } = await preflightJson(withConfig({ stacks: ['ecs-bastion'] }), world());
    expect(ofCheck(findings, 'zones').filter((f) => f.level === 'blocker')).toEqual([]);
  });
});
