import { amazonLinux2023RepositoryBucket, patchingObjectArns, patchManagerBuckets } from '../../modules/patching';

/**
 * The AWS-owned buckets an Amazon Linux 2023 bastion reads to patch itself, for every region, pinned cell by cell.
 * Source: Systems Manager User Guide, "Reference: Amazon S3 buckets for patching operations" (snapshot and
 * Patch Manager module buckets; the per-region suffixes cannot be derived), and "SSM Agent communications with
 * AWS managed S3 buckets" (aws-ssm-<region>). A region missing here, or a changed suffix, fails.
 */

/** The snapshot bucket and the Patch Manager module bucket of each region the user guide lists. */
const DOCUMENTED: Readonly<Record<string, { snapshot: string; modules: string }>> = {
  'us-east-2': { snapshot: 'patch-baseline-snapshot-us-east-2', modules: 'aws-patch-manager-us-east-2-552881074' },
  'us-east-1': { snapshot: 'patch-baseline-snapshot-us-east-1', modules: 'aws-patch-manager-us-east-1-1970c647d' },
  'us-west-1': { snapshot: 'patch-baseline-snapshot-us-west-1', modules: 'aws-patch-manager-us-west-1-8badb4304' },
  'us-west-2': { snapshot: 'patch-baseline-snapshot-us-west-2', modules: 'aws-patch-manager-us-west-2-34d7f99f8' },
  'af-south-1': { snapshot: 'patch-baseline-snapshot-af-south-1-tbxdb5b9', modules: 'aws-patch-manager-af-south-1-bdd5f65a9' },
  'ap-east-1': { snapshot: 'patch-baseline-snapshot-ap-east-1', modules: 'aws-patch-manager-ap-east-1-632356271' },
  'ap-south-2': { snapshot: 'patch-baseline-snapshot-ap-south-2-50209442', modules: 'aws-patch-manager-ap-south-2-32f4b4128' },
  'ap-southeast-3': { snapshot: 'patch-baseline-snapshot-ap-southeast-3-be0a3174', modules: 'aws-patch-manager-ap-southeast-3-aa48fc462' },
  'ap-southeast-4': { snapshot: 'patch-baseline-snapshot-ap-southeast-4-dc6f76ce', modules: 'aws-patch-manager-ap-southeast-4-01e2c40d3' },
  'ap-south-1': { snapshot: 'patch-baseline-snapshot-ap-south-1', modules: 'aws-patch-manager-ap-south-1-cb7c62ff9' },
  'ap-northeast-3': { snapshot: 'patch-baseline-snapshot-ap-northeast-3', modules: 'aws-patch-manager-ap-northeast-3-67373598a' },
  'ap-northeast-2': { snapshot: 'patch-baseline-snapshot-ap-northeast-2', modules: 'aws-patch-manager-ap-northeast-2-10467995c' },
  'ap-southeast-1': { snapshot: 'patch-baseline-snapshot-ap-southeast-1', modules: 'aws-patch-manager-ap-southeast-1-7fdfd9ef7' },
  'ap-southeast-2': { snapshot: 'patch-baseline-snapshot-ap-southeast-2', modules: 'aws-patch-manager-ap-southeast-2-17283a275' },
  'ap-northeast-1': { snapshot: 'patch-baseline-snapshot-ap-northeast-1', modules: 'aws-patch-manager-ap-northeast-1-4849fa78f' },
  'ca-central-1': { snapshot: 'patch-baseline-snapshot-ca-central-1', modules: 'aws-patch-manager-ca-central-1-3148e69e3' },
  'ca-west-1': { snapshot: 'patch-baseline-snapshot-ca-west-1', modules: 'aws-patch-manager-ca-west-1-9e3a4b2f9' },
  'eu-central-1': { snapshot: 'patch-baseline-snapshot-eu-central-1', modules: 'aws-patch-manager-eu-central-1-9163fdaaf' },
  'eu-west-1': { snapshot: 'patch-baseline-snapshot-eu-west-1', modules: 'aws-patch-manager-eu-west-1-5522fb710' },
  'eu-west-2': { snapshot: 'patch-baseline-snapshot-eu-west-2', modules: 'aws-patch-manager-eu-west-2-902a2bc74' },
  'eu-south-1': { snapshot: 'patch-baseline-snapshot-eu-south-1', modules: 'aws-patch-manager-eu-south-1-c52f3f594' },
  'eu-west-3': { snapshot: 'patch-baseline-snapshot-eu-west-3', modules: 'aws-patch-manager-eu-west-3-29bf85721' },
  'eu-south-2': { snapshot: 'patch-baseline-snapshot-eu-south-2-df2c9d70', modules: 'aws-patch-manager-eu-south-2-a4cf248b1' },
  'eu-north-1': { snapshot: 'patch-baseline-snapshot-eu-north-1', modules: 'aws-patch-manager-eu-north-1-795879e9b' },
  'eu-central-2': { snapshot: 'patch-baseline-snapshot-eu-central-2', modules: 'aws-patch-manager-eu-central-2-184ce43c8' },
  'il-central-1': { snapshot: 'patch-baseline-snapshot-il-central-1', modules: 'aws-patch-manager-il-central-1-e221cb57b' },
  'me-south-1': { snapshot: 'patch-baseline-snapshot-me-south-1-uduvl7q8', modules: 'aws-patch-manager-me-south-1-a53fc9dce' },
  'me-central-1': { snapshot: 'patch-baseline-snapshot-me-central-1', modules: 'aws-patch-manager-me-central-1-2932f2f80' },
  'sa-east-1': { snapshot: 'patch-baseline-snapshot-sa-east-1', modules: 'aws-patch-manager-sa-east-1-ddf4b6a09' },
};

/** Regions (newer, China, GovCloud) the user guide gives no module bucket for: the general names only. */
const UNLISTED = ['ap-east-2', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'mx-central-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1'];

const partitionOf = (region: string) => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

describe('the AWS-owned buckets read while patching', () => {
  it.each(Object.entries(DOCUMENTED))('%s: the snapshot, aws-ssm and Patch Manager module buckets of the user guide', (region, { snapshot, modules }) => {
    expect(patchManagerBuckets(region)).toEqual([
      { name: snapshot, purpose: 'patch baseline snapshots' },
      { name: `aws-ssm-${region}`, purpose: 'modules of SSM Command documents, incl. AWS-RunPatchBaseline' },
      { name: modules, purpose: 'Patch Manager modules of AWS-RunPatchBaseline' },
    ]);
    expect(patchingObjectArns('aws', region)).toEqual([`al2023-repos-${region}-de612dc2`, snapshot, `aws-ssm-${region}`, modules].map((b) => `arn:aws:s3:::${b}/*`));
  });

  it.each(UNLISTED)('%s: the general snapshot and aws-ssm names, in its partition', (region) => {
    expect(patchManagerBuckets(region).map((b) => b.name)).toEqual([`patch-baseline-snapshot-${region}`, `aws-ssm-${region}`]);
    const partition = partitionOf(region);
    expect(patchingObjectArns(partition, region)).toEqual(
      [`al2023-repos-${region}-de612dc2`, `patch-baseline-snapshot-${region}`, `aws-ssm-${region}`].map((b) => `arn:${partition}:s3:::${b}/*`),
    );
  });

  it('gives every documented region a module bucket with a 9-hex-digit suffix, and the suffixed snapshot buckets an 8-character one', () => {
    for (const [region, { snapshot, modules }] of Object.entries(DOCUMENTED)) {
      expect(modules).toMatch(new RegExp(`^aws-patch-manager-${region}-[0-9a-f]{9}$`));
      expect(snapshot).toMatch(new RegExp(`^patch-baseline-snapshot-${region}(-[0-9a-z]{8})?$`));
    }
    expect(Object.keys(DOCUMENTED)).toHaveLength(29);
  });

  it('reads the Amazon Linux 2023 repository bucket of each region', () => {
    for (const region of [...Object.keys(DOCUMENTED), ...UNLISTED]) expect(amazonLinux2023RepositoryBucket(region)).toBe(`al2023-repos-${region}-de612dc2`);
  });
});
