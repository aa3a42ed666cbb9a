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

/** Two availability zones of the region, written out so no aws_availability_zones lookup is needed. */
export function defaultAvailabilityZones(region: string): string[] {
  const letters = DEFAULT_ZONE_LETTERS[region] ?? ['a', 'b'];
  return letters.map((letter) => `${region}${letter}`);
}
