import type {} from 'cdktf/lib/testing/adapters/jest';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrPullThroughCacheRule } from '@cdktf/provider-aws/lib/ecr-pull-through-cache-rule';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryCreationTemplate } from '@cdktf/provider-aws/lib/ecr-repository-creation-template';
import { resourcesOfType, TEST_ACCOUNT } from '../support/synth';
import { containerDefinitions, onlyResource, ref, roleStatements, statement, synthEcs, trustStatements } from './support';

interface LifecycleRule {
  rulePriority: number;
  selection: { tagStatus: string; countType: string; countNumber: number };
  action: { type: string };
}

function expectSaneLifecycle(policy: unknown): void {
  const rules = (JSON.parse(String(policy)) as { rules: LifecycleRule[] }).rules;
  const untagged = rules.find((r) => r.selection.tagStatus === 'untagged');
  const any = rules.find((r) => r.selection.tagStatus === 'any');
  expect(untagged).toMatchObject({ selection: { countType: 'sinceImagePushed' }, action: { type: 'expire' } });
  expect(any).toMatchObject({ selection: { countType: 'imageCountMoreThan' }, action: { type: 'expire' } });
  expect(any!.selection.countNumber).toBeGreaterThanOrEqual(5);
  // ECR requires the tagStatus "any" rule to have the lowest priority (highest number).
  expect(any!.rulePriority).toBe(Math.max(...rules.map((r) => r.rulePriority)));
}

describe('BastionImage: the default, a public image through the ECR pull-through cache', () => {
  const { json, tf } = synthEcs();
  const [container] = containerDefinitions(tf);

  it('caches ECR Public under the prefix <namePrefix>-pub', () => {
    expect(json).toHaveResourceWithProperties(EcrPullThroughCacheRule, { ecr_repository_prefix: 'ssm-bastion-pub', upstream_registry_url: 'public.ecr.aws' });
  });

  it('runs debian:bookworm-slim from the cache of this account and region (works with nothing built)', () => {
    expect(container.image).toBe(`${TEST_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/ssm-bastion-pub/docker/library/debian:bookworm-slim`);
  });

  it('pins by digest when the tag is a sha256 digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const [pinned] = containerDefinitions(synthEcs({ ecs: { image: { pullThrough: { repository: 'docker/library/debian', tag: digest } } } }).tf);
    expect(pinned.image).toBe(`${TEST_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/ssm-bastion-pub/docker/library/debian@${digest}`);
  });

  it('runs the built image from the repository ECR names, in any partition', () => {
    const [china] = containerDefinitions(synthEcs({ region: 'cn-north-1', ecs: { image: { build: true, tag: '7' } } }).tf);
    expect(china.image).toMatch(/^\$\{aws_ecr_repository\.[^.]+\.repository_url\}:7$/);
  });

  it('refuses the pull-through cache outside the commercial partition, where ECR Public does not serve', () => {
    expect(() => synthEcs({ region: 'cn-north-1' })).toThrow(/ecs\.image: .*commercial AWS partition only/);
    expect(() => synthEcs({ region: 'us-gov-west-1' })).toThrow(/use \{ "build": true \}/);
  });

  it('keeps the cache prefix within ECR’s 30 characters for the longest namePrefix', () => {
    const longest = 'a'.repeat(24);
    const rule = onlyResource(synthEcs({ namePrefix: longest }).tf, 'aws_ecr_pull_through_cache_rule').body;
    expect(String(rule.ecr_repository_prefix).length).toBeLessThanOrEqual(30);
  });

  it('creates cached repositories from a template: AES-256 (they outlive the stack and its key), lifecycle policy, tags, before the rule exists', () => {
    expect(json).toHaveResourceWithProperties(EcrRepositoryCreationTemplate, {
      prefix: 'ssm-bastion-pub',
      applied_for: ['PULL_THROUGH_CACHE'],
      // ECR creates the cached repository outside Terraform's state: encrypted with the audit key, it would be
      // unreadable once a destroyed stack's key is deleted, and the next deployment's pulls would fail.
      encryption_configuration: [{ encryption_type: 'AES256' }],
      resource_tags: expect.objectContaining({ 'ssm-bastion:stack': 'ecs-bastion', 'ssm-bastion:name-prefix': 'ssm-bastion' }),
    });
    const template = onlyResource(tf, 'aws_ecr_repository_creation_template');
    expectSaneLifecycle(template.body.lifecycle_policy);
    expect(onlyResource(tf, 'aws_ecr_pull_through_cache_rule').body.depends_on).toEqual([`aws_ecr_repository_creation_template.${template.name}`]);
  });

  it('gives ECR a creation role limited to creating and tagging repositories under the cache prefix', () => {
    const template = onlyResource(tf, 'aws_ecr_repository_creation_template').body;
    const role = Object.entries(resourcesOfType(tf, 'aws_iam_role')).find(([name]) => template.custom_role_arn === ref('aws_iam_role', name, 'arn'));
    expect(role).toBeDefined();
    const roleName = String(role![1].name);
    expect(trustStatements(tf, roleName)[0].principals).toEqual([{ type: 'Service', identifiers: ['ecr.amazonaws.com'] }]);
    const statements = roleStatements(tf, roleName);
    expect(statements).toEqual([
      {
        sid: 'CreateCachedRepositoriesUnderTheBastionPrefix',
        effect: 'Allow',
        actions: ['ecr:CreateRepository', 'ecr:TagResource'],
        resources: [`arn:aws:ecr:eu-west-1:${TEST_ACCOUNT}:repository/ssm-bastion-pub/*`],
      },
    ]);
  });

  it('creates no repository of its own', () => {
    expect(json).not.toHaveResource(EcrRepository);
  });

  it('lets the execution role pull, create and import only under the cache prefix', () => {
    const statements = roleStatements(tf, 'ssm-bastion-ecs-execution');
    const prefix = `arn:aws:ecr:eu-west-1:${TEST_ACCOUNT}:repository/ssm-bastion-pub/*`;
    expect(statement(statements, 'CacheTheUpstreamImageOnFirstPull')).toMatchObject({
      actions: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
      resources: [prefix],
    });
    expect(statement(statements, 'PullTheBastionImage')).toMatchObject({ actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resources: [prefix] });
  });
});

describe('BastionImage: { "build": true }, the image built from docker/', () => {
  const { json, tf } = synthEcs({ ecs: { image: { build: true, tag: '7' } } });
  const key = onlyResource(tf, 'aws_kms_key').name;
  const repository = onlyResource(tf, 'aws_ecr_repository');

  it('creates a private repository: immutable tags, scan on push, audit key, kept on destroy', () => {
    expect(json).toHaveResourceWithProperties(EcrRepository, {
      name: 'ssm-bastion/ecs-bastion',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: ref('aws_kms_key', key, 'arn') }],
      force_delete: false,
    });
  });

  it('expires untagged images and keeps the newest ones', () => {
    expect(json).toHaveResourceWithProperties(EcrLifecyclePolicy, { repository: ref('aws_ecr_repository', repository.name, 'name') });
    expectSaneLifecycle(onlyResource(tf, 'aws_ecr_lifecycle_policy').body.policy);
  });

  it('runs the configured tag of that repository', () => {
    expect(containerDefinitions(tf)[0].image).toBe(`${ref('aws_ecr_repository', repository.name, 'repository_url')}:7`);
  });

  it('needs no pull-through cache', () => {
    expect(json).not.toHaveResource(EcrPullThroughCacheRule);
    expect(json).not.toHaveResource(EcrRepositoryCreationTemplate);
  });

  it('lets the execution role pull from this repository only, with no repository creation', () => {
    const statements = roleStatements(tf, 'ssm-bastion-ecs-execution');
    expect(statement(statements, 'PullTheBastionImage').resources).toEqual([ref('aws_ecr_repository', repository.name, 'arn')]);
    expect(statements.flatMap((s) => s.actions ?? [])).not.toContain('ecr:CreateRepository');
  });

  it('outputs the repository URL to push to', () => {
    expect(tf.output?.ecs_image_repository_url?.value).toBe(ref('aws_ecr_repository', repository.name, 'repository_url'));
  });
});
