/** Region facts that can be known without calling AWS, so synth and plan need no data source. */

export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** DNS suffix of service endpoints and service principals in a partition. */
export function dnsSuffixOf(region: string): string {
  return partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

// Zones that do not exist for every account: new accounts in ap-northeast-1 get no "b" zone, and many accounts
// in us-west-1 have only "b" and "c". Everywhere else "a" and "b" exist.
const DEFAULT_ZONE_LETTERS: Record<string, [string, string]> = {
  'ap-northeast-1': ['a', 'c'],
  'us-west-1': ['b', 'c'],
};

/**
 * Regions whose default zones are given by zone id. In us-east-1, zone letters map to different physical
 * zones in each account created before November 2025, and one of them, use1-az3, lacks newer instance
 * families (t4g among them) and some endpoint services: a default of "us-east-1a" lands there for some
 * accounts. Zone ids name the same physical zone in every account.
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html
 */
const DEFAULT_ZONE_IDS: Record<string, [string, string]> = {
  'us-east-1': ['use1-az1', 'use1-az2'],
};

const DIRECTIONS: Record<string, string> = {
  east: 'e',
  west: 'w',
  north: 'n',
  south: 's',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** The prefix of the region's zone ids: us-east-1 → use1, ap-northeast-1 → apne1, us-gov-west-1 → usgw1. */
export function zoneIdPrefix(region: string): string {
  const parts = region.split('-');
  const number = parts.pop()!;
  const direction = DIRECTIONS[parts.pop()!] ?? '';
  const area = parts.map((part, i) => (i === 0 ? part : part[0])).join('');
  return `${area}${direction}${number}`;
}

/** Whether a zone of the configuration is a zone id (use1-az1) rather than a zone name (us-east-1a). */
export function isZoneId(zone: string): boolean {
  return /-az\d+$/.test(zone);
}

/**
 * Two availability zones of the region, written out so no aws_availability_zones lookup is needed: by id
 * where letters differ between accounts and a letter can land on a zone that cannot host the bastion.
 */
export function defaultAvailabilityZones(region: string): string[] {
  const ids = DEFAULT_ZONE_IDS[region];
  if (ids) return [...ids];
  const letters = DEFAULT_ZONE_LETTERS[region] ?? ['a', 'b'];
  return letters.map((letter) => `${region}${letter}`);
}
