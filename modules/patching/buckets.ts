/**
 * The AWS-owned S3 buckets an Amazon Linux 2023 instance reads while it is patched. With no NAT they are reached
 * through the S3 gateway endpoint, whose policy (and the instance role) must name them. Sources:
 * - Systems Manager User Guide, "Reference: Amazon S3 buckets for patching operations" (the region tables below)
 *   and "SSM Agent communications with AWS managed S3 buckets" (aws-ssm-<region>);
 * - Application Migration Service User Guide, troubleshooting "Missing Amazon Linux 2023 repository access"
 *   (al2023-repos-<region>-de612dc2, reached through the S3 dual-stack endpoint).
 * Deliberately left out: aws-windows-downloads-* (Windows only), amazon-ssm-<region> (agent updates through
 * AWS-UpdateSSMAgent; AL2023 updates amazon-ssm-agent from its own repository), amazon-ssm-packages-*,
 * <region>-birdwatcher-prod and aws-ssm-document-attachments-* (Distributor, which the bastion does not use),
 * aws-patchmanager-macos-* (macOS).
 */

// Buckets holding the AWS-RunPatchBaseline modules (Linux and Windows Server); each has a per-region suffix.
const PATCH_MANAGER_BUCKETS: Readonly<Record<string, string>> = {
  'us-east-2': 'aws-patch-manager-us-east-2-552881074',
  'us-east-1': 'aws-patch-manager-us-east-1-1970c647d',
  'us-west-1': 'aws-patch-manager-us-west-1-8badb4304',
  'us-west-2': 'aws-patch-manager-us-west-2-34d7f99f8',
  'af-south-1': 'aws-patch-manager-af-south-1-bdd5f65a9',
  'ap-east-1': 'aws-patch-manager-ap-east-1-632356271',
  'ap-south-2': 'aws-patch-manager-ap-south-2-32f4b4128',
  'ap-southeast-3': 'aws-patch-manager-ap-southeast-3-aa48fc462',
  'ap-southeast-4': 'aws-patch-manager-ap-southeast-4-01e2c40d3',
  'ap-south-1': 'aws-patch-manager-ap-south-1-cb7c62ff9',
  'ap-northeast-3': 'aws-patch-manager-ap-northeast-3-67373598a',
  'ap-northeast-2': 'aws-patch-manager-ap-northeast-2-10467995c',
  'ap-southeast-1': 'aws-patch-manager-ap-southeast-1-7fdfd9ef7',
  'ap-southeast-2': 'aws-patch-manager-ap-southeast-2-17283a275',
  'ap-northeast-1': 'aws-patch-manager-ap-northeast-1-4849fa78f',
  'ca-central-1': 'aws-patch-manager-ca-central-1-3148e69e3',
  'ca-west-1': 'aws-patch-manager-ca-west-1-9e3a4b2f9',
  'eu-central-1': 'aws-patch-manager-eu-central-1-9163fdaaf',
  'eu-west-1': 'aws-patch-manager-eu-west-1-5522fb710',
  'eu-west-2': 'aws-patch-manager-eu-west-2-902a2bc74',
  'eu-south-1': 'aws-patch-manager-eu-south-1-c52f3f594',
  'eu-west-3': 'aws-patch-manager-eu-west-3-29bf85721',
  'eu-south-2': 'aws-patch-manager-eu-south-2-a4cf248b1',
  'eu-north-1': 'aws-patch-manager-eu-north-1-795879e9b',
  'eu-central-2': 'aws-patch-manager-eu-central-2-184ce43c8',
  'il-central-1': 'aws-patch-manager-il-central-1-e221cb57b',
  'me-south-1': 'aws-patch-manager-me-south-1-a53fc9dce',
  'me-central-1': 'aws-patch-manager-me-central-1-2932f2f80',
  'sa-east-1': 'aws-patch-manager-sa-east-1-ddf4b6a09',
};

// Patch baseline snapshot buckets that do not follow patch-baseline-snapshot-<region>.
const SNAPSHOT_BUCKET_EXCEPTIONS: Readonly<Record<string, string>> = {
  'af-south-1': 'patch-baseline-snapshot-af-south-1-tbxdb5b9',
  'ap-south-2': 'patch-baseline-snapshot-ap-south-2-50209442',
  'ap-southeast-3': 'patch-baseline-snapshot-ap-southeast-3-be0a3174',
  'ap-southeast-4': 'patch-baseline-snapshot-ap-southeast-4-dc6f76ce',
  'eu-south-2': 'patch-baseline-snapshot-eu-south-2-df2c9d70',
  'me-south-1': 'patch-baseline-snapshot-me-south-1-uduvl7q8',
};

/** One AWS-owned bucket the bastion reads, and why. */
export interface AwsOwnedBucket {
  readonly name: string;
  readonly purpose: string;
}

/** The Amazon Linux 2023 package repository bucket of a region (dnf reads it through the S3 endpoint). */
export function amazonLinux2023RepositoryBucket(region: string): string {
  return `al2023-repos-${region}-de612dc2`;
}

/** The buckets AWS-RunPatchBaseline reads on an Amazon Linux 2023 instance in a region. */
export function patchManagerBuckets(region: string): AwsOwnedBucket[] {
  const buckets: AwsOwnedBucket[] = [
    { name: SNAPSHOT_BUCKET_EXCEPTIONS[region] ?? `patch-baseline-snapshot-${region}`, purpose: 'patch baseline snapshots' },
    // The documented module bucket of every region; older AWS-RunPatchBaseline versions still fetch from it.
    { name: `aws-ssm-${region}`, purpose: 'modules of SSM Command documents, incl. AWS-RunPatchBaseline' },
  ];
  const modules = PATCH_MANAGER_BUCKETS[region];
  if (modules) buckets.push({ name: modules, purpose: 'Patch Manager modules of AWS-RunPatchBaseline' });
  return buckets;
}

/** Every AWS-owned bucket the EC2 bastion reads for patching, with the object ARNs to allow. */
export function patchingObjectArns(partition: string, region: string): string[] {
  return [amazonLinux2023RepositoryBucket(region), ...patchManagerBuckets(region).map((b) => b.name)].map((bucket) => `arn:${partition}:s3:::${bucket}/*`);
}
