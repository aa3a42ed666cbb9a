import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrPullThroughCacheRule } from '@cdktf/provider-aws/lib/ecr-pull-through-cache-rule';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryCreationTemplate } from '@cdktf/provider-aws/lib/ecr-repository-creation-template';
import { Construct } from 'constructs';
import type { EcsConfig } from '../config';
import type { DeploymentContext } from '../context';
import { type PolicyStatement, ServiceRole } from '../iam';

/** Registry of the pull-through cache: ECR Public, which needs no credentials. */
export const ECR_PUBLIC_REGISTRY = 'public.ecr.aws';

/**
 * Cached repositories are created on first pull, so tag immutability would freeze a moving upstream tag such
 * as `bookworm-slim` at its first digest; the cache must be able to refresh it.
 */
const CACHE_TAG_MUTABILITY = 'MUTABLE';

/**
 * ECR creates the cached repository itself, outside Terraform's state, so `terraform destroy` leaves it behind.
 * Encrypted with the audit key, it would then hold layers nobody can decrypt once the key is deleted, and the
 * next deployment's pulls (into the same repository name) would fail. The cache holds a public image, which a
 * customer key protects from no one: it is encrypted with ECR's AES-256 keys instead, so a later deployment
 * reuses it. Images built from docker/ (a repository this stack manages) keep the audit key.
 */
const CACHE_ENCRYPTION = 'AES256';


/** The registry host of this account and region: `<account>.dkr.ecr.<region>.<dnsSuffix>`. */
function registryHost(context: DeploymentContext): string {
  return `${context.accountId}.dkr.ecr.${context.region}.${context.dnsSuffix}`;
}

/** `:tag` or `@sha256:…`, as a reference to an image in a repository. */
function reference(tagOrDigest: string): string {
  return tagOrDigest.startsWith('sha256:') ? `@${tagOrDigest}` : `:${tagOrDigest}`;
}

/**
 * Expire untagged images (replaced pushes, refreshed cache tags) after a week and keep the newest
 * `keepImages` overall, so neither the repository nor its scan findings grow without bound.
 */
function lifecyclePolicy(keepImages: number): string {
  // Only literals: no token can end up inside this JSON.
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: 'Untagged images are leftovers of replaced pushes or refreshed cache tags',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the ${keepImages} newest images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepImages },
        action: { type: 'expire' },
      },
    ],
  });
}

export interface BastionImageProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** The `ecs.image` section: a public image through the pull-through cache, or the image built from docker/. */
  readonly image: EcsConfig['image'];
  /** ARN of the audit KMS key that encrypts the repository of the image built from docker/. */
  readonly kmsKeyArn: string;
  /**
   * How many images each repository keeps (the lifecycle policy expires older ones).
   * @default 10
   */
  readonly keepImages?: number;
}

/**
 * Where the bastion's image comes from, and what the task execution role needs to pull it.
 *
 * - `pullThrough` (default): an ECR pull-through cache rule for ECR Public, so a stock public image runs with
 *   no NAT and no image build. ECR creates the cached repository on the first pull; a repository creation
 *   template gives it AES-256 encryption, a lifecycle policy and the stack's tags (it outlives the stack).
 * - `build`: a private repository (scan on push, immutable tags, audit key, lifecycle policy) for the image
 *   built from docker/ and pushed by the team.
 */
export class BastionImage extends Construct {
  /** Full image reference for the task definition. */
  readonly imageUri: string;
  /** Repository (or repository prefix, for the cache) the image is pulled from, as an ARN pattern. */
  readonly repositoryArnPattern: string;
  /** Execution-role statements that let ECS pull the image (and, for the cache, import it). */
  readonly pullStatements: PolicyStatement[];
  /** URL of the repository to push the built image to (build mode only). */
  readonly repositoryUrl?: string;

  constructor(scope: Construct, id: string, props: BastionImageProps) {
    super(scope, id);
    const { context, image } = props;
    const keepImages = props.keepImages ?? 10;
    const cacheStatements: PolicyStatement[] = [];
    if ('build' in image) {
      const name = context.names.builtImageRepository;
      const repository = new EcrRepository(this, 'repository', {
        name,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
        // Pushed images are the team's artefacts: destroying the stack must not silently delete them.
        forceDelete: false,
        tags: { Name: name },
      });
      new EcrLifecyclePolicy(this, 'lifecycle', { repository: repository.name, policy: lifecyclePolicy(keepImages) });
      this.repositoryUrl = repository.repositoryUrl;
      this.imageUri = `${repository.repositoryUrl}:${image.tag}`;
      this.repositoryArnPattern = repository.arn;
    } else {
      const prefix = context.names.pullThroughPrefix;
      const cachedRepositories = context.arn('ecr', `repository/${prefix}/*`);
      const creationRole = new ServiceRole(this, 'cache-repository-creation-role', {
        name: context.names.resource('ecr-cache-creation'),
        description: 'Assumed by ECR to create the pull-through cache repositories of the bastion image with the stack tags.',
        servicePrincipal: 'ecr.amazonaws.com',
        // A template that sets resource tags needs a role of its own. Its trust has no aws:SourceAccount /
        // aws:SourceArn: AWS documents this role's trust without them and does not say ECR sends them, and a
        // condition ECR does not satisfy would stop the cache from creating repositories.
        // https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create-iam.html
        statements: [
          {
            sid: 'CreateCachedRepositoriesUnderTheBastionPrefix',
            actions: ['ecr:CreateRepository', 'ecr:TagResource'],
            resources: [cachedRepositories],
          },
        ],
      });
      const template = new EcrRepositoryCreationTemplate(this, 'cache-repository-template', {
        prefix,
        appliedFor: ['PULL_THROUGH_CACHE'],
        description: `${context.namePrefix}: repositories the pull-through cache creates for the ECS bastion image`,
        imageTagMutability: CACHE_TAG_MUTABILITY,
        encryptionConfiguration: [{ encryptionType: CACHE_ENCRYPTION }],
        lifecyclePolicy: lifecyclePolicy(keepImages),
        customRoleArn: creationRole.roleArn,
        // ECR tags the repositories it creates with these alone: the provider's default_tags do not reach them.
        resourceTags: { ...context.defaultTags, Name: context.names.resource('ecr-cache') },
      });
      new EcrPullThroughCacheRule(this, 'pull-through-cache', {
        ecrRepositoryPrefix: prefix,
        upstreamRegistryUrl: ECR_PUBLIC_REGISTRY,
        // The template must exist before a first pull creates a repository, or that one stays unencrypted.
        dependsOn: [template],
      });
      this.imageUri = `${registryHost(context)}/${prefix}/${image.pullThrough.repository}${reference(image.pullThrough.tag)}`;
      this.repositoryArnPattern = cachedRepositories;
      cacheStatements.push({
        // ECR creates the cached repository and imports the upstream image with the puller's permissions.
        sid: 'CacheTheUpstreamImageOnFirstPull',
        actions: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
        resources: [cachedRepositories],
      });
    }
    this.pullStatements = [
      ...cacheStatements,
      { sid: 'PullTheBastionImage', actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resources: [this.repositoryArnPattern] },
      {
        // Registry-wide by design: the token is for the registry, not a repository, so it has no resource.
        sid: 'EcrAuthorizationTokenHasNoResourceScope',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      },
    ];
  }
}
