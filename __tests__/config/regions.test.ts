import { FARGATE_ZONE_IDS, parseConfig } from '../../modules/config';
import { defaultAvailabilityZones, dnsSuffixOf, isZoneId, partitionOf, zoneIdPrefix } from '../../modules/config/regions';
import { problemPaths } from './support';

/**
 * Region facts for every AWS region, against the zone-id prefixes AWS documents ("AZ IDs", AWS Regions and
 * Availability Zones) and the partitions: each region is accepted, resolves to its partition and DNS suffix,
 * and gets two default zones of its own that the configuration's zone check accepts.
 */
const ZONE_ID_PREFIXES: Readonly<Record<string, string>> = {
  'us-east-1': 'use1',
  'us-east-2': 'use2',
  'us-west-1': 'usw1',
  'us-west-2': 'usw2',
  'af-south-1': 'afs1',
  'ap-east-1': 'ape1',
  'ap-east-2': 'ape2',
  'ap-south-1': 'aps1',
  'ap-south-2': 'aps2',
  'ap-southeast-1': 'apse1',
  'ap-southeast-2': 'apse2',
  'ap-southeast-3': 'apse3',
  'ap-southeast-4': 'apse4',
  'ap-southeast-5': 'apse5',
  'ap-southeast-7': 'apse7',
  'ap-northeast-1': 'apne1',
  'ap-northeast-2': 'apne2',
  'ap-northeast-3': 'apne3',
  'ca-central-1': 'cac1',
  'ca-west-1': 'caw1',
  'eu-central-1': 'euc1',
  'eu-central-2': 'euc2',
  'eu-west-1': 'euw1',
  'eu-west-2': 'euw2',
  'eu-west-3': 'euw3',
  'eu-south-1': 'eus1',
  'eu-south-2': 'eus2',
  'eu-north-1': 'eun1',
  'il-central-1': 'ilc1',
  'me-south-1': 'mes1',
  'me-central-1': 'mec1',
  'mx-central-1': 'mxc1',
  'sa-east-1': 'sae1',
  'cn-north-1': 'cnn1',
  'cn-northwest-1': 'cnnw1',
  'us-gov-west-1': 'usgw1',
  'us-gov-east-1': 'usge1',
};

/**
 * Default zones where "a" and "b" are not both safe for every account: by zone id in the regions whose letters map
 * to different zones per account, where a letter can land on use1-az3 or on a zone without Fargate.
 */
const SPECIAL_DEFAULT_ZONES: Readonly<Record<string, string[]>> = {
  'us-east-1': ['use1-az1', 'use1-az2'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az2'],
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'cn-north-1': ['cnn1-az1', 'cnn1-az2'],
};

/** "Supported Regions for Amazon ECS on AWS Fargate", Linux containers: the regions whose row names zone ids. */
const FARGATE_ONLY_IN: Readonly<Record<string, string[]>> = {
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az2', 'apne1-az4'],
  'cn-north-1': ['cnn1-az1', 'cnn1-az2'],
};

it('knows the zones Fargate is limited to, as AWS lists them', () => {
  expect(FARGATE_ZONE_IDS).toEqual(FARGATE_ONLY_IN);
});

const partitionOfRegion = (region: string) => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

describe.each(Object.entries(ZONE_ID_PREFIXES))('region %s', (region, prefix) => {
  it(`has zone ids ${prefix}-az<n>, its partition and DNS suffix`, () => {
    expect(zoneIdPrefix(region)).toBe(prefix);
    expect(partitionOf(region)).toBe(partitionOfRegion(region));
    expect(dnsSuffixOf(region)).toBe(region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');
  });

  it('gets two default zones of its own, which the configuration accepts, and where Fargate runs', () => {
    const zones = defaultAvailabilityZones(region);
    expect(zones).toEqual(SPECIAL_DEFAULT_ZONES[region] ?? [`${region}a`, `${region}b`]);
    const fargate = FARGATE_ONLY_IN[region];
    if (fargate) expect(zones.filter((zone) => !fargate.includes(zone))).toEqual([]);
    const config = parseConfig({ region, stacks: ['ec2-bastion'] });
    expect(config.network).toEqual({ mode: 'create', cidr: '10.42.0.0/16', availabilityZones: zones });
    expect(config.partition).toBe(partitionOfRegion(region));
  });

  it('accepts its zones by name and by id, and refuses those of another region', () => {
    const other = region === 'eu-west-1' ? 'eu-west-2' : 'eu-west-1';
    expect(problemPaths({ region, stacks: ['ec2-bastion'], network: { mode: 'create', availabilityZones: [`${region}a`, `${region}c`] } })).toEqual([]);
    expect(problemPaths({ region, stacks: ['ec2-bastion'], network: { mode: 'create', availabilityZones: [`${prefix}-az1`, `${prefix}-az3`] } })).toEqual([]);
    expect(isZoneId(`${prefix}-az3`)).toBe(true);
    expect(isZoneId(`${region}c`)).toBe(false);
    expect(problemPaths({ region, stacks: ['ec2-bastion'], network: { mode: 'create', availabilityZones: [`${other}a`, `${other}b`] } })).toEqual([
      'network.availabilityZones[0]',
      'network.availabilityZones[1]',
    ]);
    expect(problemPaths({ region, stacks: ['ec2-bastion'], network: { mode: 'create', availabilityZones: [`${ZONE_ID_PREFIXES[other]}-az1`] } })).toEqual([
      'network.availabilityZones[0]',
    ]);
  });
});

it.each(['eu-west', 'EU-WEST-1', 'eu-westish-1', 'xx-east-1', 'eu-west-123', 'us-gov-1', 'eu-gov-west-1', 'cn-gov-north-1', ''])('refuses the region %j', (region) => {
  expect(problemPaths({ region })).toContain('region');
});

it('refuses a GovCloud-like S3 backend region outside the US', () => {
  expect(problemPaths({ backend: { type: 's3', bucket: 'tf-state', key: 'bastion', region: 'eu-gov-west-1' } })).toEqual(['backend.region']);
});
