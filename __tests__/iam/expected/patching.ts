import { allow, arn, assumedBy, bucketArn, type Deployment, type ExpectedPolicies, resourceName, when } from './deployment';

/**
 * The AWS-owned buckets AWS-RunPatchBaseline reads on Amazon Linux 2023, for the regions of the variants (the
 * whole region table is pinned in __tests__/patching/buckets.test.ts): the baseline snapshots, the aws-ssm
 * module bucket, and the Patch Manager module bucket with its per-region suffix.
 */
const PATCH_BUCKETS: Readonly<Record<string, readonly string[]>> = {
  'eu-west-1': ['patch-baseline-snapshot-eu-west-1', 'aws-ssm-eu-west-1', 'aws-patch-manager-eu-west-1-5522fb710'],
  'me-south-1': ['patch-baseline-snapshot-me-south-1-uduvl7q8', 'aws-ssm-me-south-1', 'aws-patch-manager-me-south-1-a53fc9dce'],
};

/** The patch buckets of a region of the variants. */
export function patchBucketsOf(region: string): string[] {
  const buckets = PATCH_BUCKETS[region];
  if (!buckets) throw new Error(`no patch buckets written down for ${region}`);
  return [...buckets];
}

/**
 * The exact grants of modules/patching: the maintenance window role sends AWS-RunPatchBaseline to the patch group
 * (and its output to the archive), follows its commands and resolves its tag target; nothing else.
 */
export function windowRole(d: Deployment): ExpectedPolicies {
  if (d.stack !== 'ec2-bastion') return {};
  const role = resourceName(d, 'patch-window');
  return {
    [`role ${role}: trust`]: [assumedBy('AssumedByService', 'ssm.amazonaws.com', when('StringEquals', 'aws:SourceAccount', d.account))],
    [`role ${role}: least-privilege`]: [
      allow('SendCommandsWithRunPatchBaselineOnly', ['ssm:SendCommand'], [arn(d, 'ssm', 'document/AWS-RunPatchBaseline', { account: '' })]),
      allow('SendCommandsToThePatchGroupOnly', ['ssm:SendCommand'], [arn(d, 'ec2', 'instance/*')], when('StringEquals', 'ssm:resourceTag/PatchGroup', d.patchGroup)),
      allow('FollowAndCancelTheCommandsItSent', ['ssm:CancelCommand', 'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:ListCommands'], ['*']),
      allow('ResolveTheTagTargetOfTheWindow', ['tag:GetResources'], ['*']),
      ...(d.archive ? [allow('SendCommandsWithOutputToTheArchive', ['ssm:SendCommand'], [bucketArn(d, 'audit')])] : []),
    ],
  };
}
