import type { PolicyStatementJson } from '../../support/synth';
import { allow, bucketArn, type Deployment, type ExpectedPolicies, forPrincipal, when } from './deployment';
import { patchBucketsOf } from './patching';

/**
 * The exact grants of modules/endpoints: what may pass through the S3 gateway endpoint. Only where the stack
 * creates the endpoint in a VPC of its own; on route tables other workloads share, it keeps AWS's default policy
 * (no document at all), which the meta-test checks by expecting none.
 */
export function s3EndpointPolicy(d: Deployment): ExpectedPolicies {
  if (!d.s3EndpointPolicy) return {};
  const reads: PolicyStatementJson[] =
    d.stack === 'ecs-bastion'
      ? [allow('EcrImageLayers', ['s3:GetObject'], [`arn:aws:s3:::prod-${d.region}-starport-layer-bucket/*`])]
      : [
          allow('AmazonLinux2023Repositories', ['s3:GetObject'], [`arn:aws:s3:::al2023-repos-${d.region}-de612dc2/*`]),
          allow('PatchManagerModulesAndBaselineSnapshots', ['s3:GetObject'], patchBucketsOf(d.region).map((bucket) => `arn:aws:s3:::${bucket}/*`)),
        ];
  const archive = d.archive ? bucketArn(d, 'audit') : undefined;
  const archiveAccess = archive
    ? [
        allow(
          'SessionArchiveOfThisAccount',
          ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration', 's3:PutObject'],
          [archive, `${archive}/*`],
          when('StringEquals', 'aws:PrincipalAccount', d.account),
        ),
      ]
    : [];
  return { [`endpoint com.amazonaws.${d.region}.s3`]: [...reads, ...archiveAccess].map((s) => forPrincipal(s, '*', '*')) };
}
