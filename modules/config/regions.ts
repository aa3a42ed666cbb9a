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

/**
 * Regions whose default zones are given by zone id. In the oldest regions, zone letters map to different physical
 * zones in each account created before November 2025 (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html),
 * and some of those zones cannot host the bastion: use1-az3 lacks newer instance families (t4g among them) and
 * some endpoint services, and Fargate runs only in usw1-az1 and usw1-az3 of us-west-1 and in apne1-az1, apne1-az2
 * and apne1-az4 of ap-northeast-1 (FARGATE_ZONE_IDS, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate-Regions.html).
 * A letter default ("us-west-1b") lands on such a zone for some accounts; a zone id names the same physical zone
 * in every account. cn-north-1, where Fargate also skips a zone, is named by id too, so no letter is trusted
 * there. Elsewhere "a" and "b" exist for every account and map alike.
 */
const DEFAULT_ZONE_IDS: Record<string, [string, string]> = {
  'us-east-1': ['use1-az1', 'use1-az2'],
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az2'],
  'cn-north-1': ['cnn1-az1', 'cnn1-az2'],
};

/**
 * Regions where Amazon ECS runs Fargate tasks in some zones only, by zone id
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate-Regions.html, Linux containers). In every
 * other region Fargate runs in each availability zone.
 */
export const FARGATE_ZONE_IDS: Readonly<Record<string, readonly string[]>> = {
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az2', 'apne1-az4'],
  'cn-north-1': ['cnn1-az1', 'cnn1-az2'],
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
  return ids ? [...ids] : [`${region}a`, `${region}b`];
}
