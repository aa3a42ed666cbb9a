import type { BastionConfigInput, StackName } from '../../modules/config';
import { AWS_NAME_RULES, nameViolation, plannedNames, stackNames, TRANSCRIPTS } from '../../modules/naming';
import { resourcesOfType, synthStack, TEST_ACCOUNT } from '../support/synth';

/**
 * The names the configuration checks are the names the stacks write: for every kind of name with an AWS rule,
 * the synthesized stacks hold exactly the names `plannedNames` predicts, so a resource named another way (or a
 * new one) cannot escape the apply-time rules. And each rule refuses what its API reference refuses.
 */

/** What decides which resources, and so which names, a stack has; every combination is checked. */
const NETWORKS: Record<string, { input: BastionConfigInput; createsVpc: boolean }> = {
  'new VPC': { input: {}, createsVpc: true },
  'existing VPC': {
    input: {
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], routeTableIds: ['rtb-0123456789abcdef0'] },
    },
    createsVpc: false,
  },
};
const IMAGES: Record<string, { input: BastionConfigInput; pullThrough: boolean }> = {
  'pull-through image': { input: {}, pullThrough: true },
  'built image': { input: { ecs: { image: { build: true } } }, pullThrough: false },
};

/** [stack, configuration, naming options (but the prefix, region and account)] for every combination. */
const SCENARIOS: [StackName, BastionConfigInput, { pullThrough: boolean; createsVpc: boolean; s3Archive: boolean }][] = (['ecs-bastion', 'ec2-bastion'] as const).flatMap((stack) =>
  Object.values(NETWORKS).flatMap((network) =>
    [true, false].flatMap((s3Archive) =>
      Object.values(stack === 'ecs-bastion' ? IMAGES : { default: IMAGES['pull-through image']! }).map((image): (typeof SCENARIOS)[number] => [
        stack,
        { ...network.input, ...image.input, audit: { s3Archive } },
        { pullThrough: image.pullThrough, createsVpc: network.createsVpc, s3Archive },
      ]),
    ),
  ),
);

/** The literal names of the synthesized stack, by `<type>.<attribute>` of the rules. */
function synthesizedNames(stack: StackName, input: BastionConfigInput): string[] {
  const { tf } = synthStack(stack, input);
  return Object.keys(AWS_NAME_RULES).flatMap((key) => {
    const [type, attribute] = key.split('.');
    return Object.values(resourcesOfType(tf, type!))
      .map((body) => body[attribute!])
      .filter((name): name is string => typeof name === 'string')
      .map((name) => `${key} ${name}`);
  });
}

describe('the names AWS checks at apply time', () => {
  it('covers every combination: 2 networks x archive on/off, x 2 image sources for ecs-bastion', () => {
    expect(SCENARIOS.filter(([stack]) => stack === 'ecs-bastion')).toHaveLength(8);
    expect(SCENARIOS.filter(([stack]) => stack === 'ec2-bastion')).toHaveLength(4);
  });

  it.each(SCENARIOS)('%s %j: the configuration checks exactly the names the stack writes', (stack, input, options) => {
    const planned = plannedNames(stack, { namePrefix: 'ssm-bastion', region: 'eu-west-1', accountId: TEST_ACCOUNT, patchGroup: 'ssm-bastion', ...options });
    expect([...new Set(planned.map(({ key, name }) => `${key} ${name}`))].sort()).toEqual([...new Set(synthesizedNames(stack, input))].sort());
  });

  it.each(SCENARIOS)('%s %j: every name the stack writes passes its rule', (stack, input) => {
    for (const line of synthesizedNames(stack, input)) {
      const [key, name] = line.split(' ');
      expect({ key, name, violation: nameViolation(name!, AWS_NAME_RULES[key!]!) }).toEqual({ key, name, violation: undefined });
    }
  });

  const refused: [string, string, RegExp][] = [
    ['aws_ssm_document.name', 'amzn-bastion-session-preferences', /reserves the prefix "amzn"/],
    ['aws_ssm_document.name', 'AWS-mine', /reserves the prefix "aws"/],
    ['aws_ssm_document.name', 'Amazon-mine', /reserves the prefix "amazon"/],
    ['aws_ssm_document.name', 'my document', /letters, digits/],
    ['aws_ecr_pull_through_cache_rule.ecr_repository_prefix', 'team--bastion-pub', /single \. _ - or \//],
    ['aws_ecr_pull_through_cache_rule.ecr_repository_prefix', 'a-very-long-bastion-prefix-pubx', /2 to 30 characters/],
    ['aws_ecr_repository.name', 'Team/ecs-bastion', /lowercase/],
    ['aws_security_group.name', 'sg-bastion-ecs-bastion', /reserves the prefix "sg-"/],
    ['aws_s3_bucket.bucket', 'xn--bastion-audit', /reserves the prefix "xn--"/],
    ['aws_s3_bucket.bucket', 'sthree-bastion', /reserves the prefix "sthree-"/],
    ['aws_s3_bucket.bucket', `${'a'.repeat(60)}-bucket`, /3 to 63 characters/],
    ['aws_s3_bucket.bucket', 'Bastion', /lowercase/],
    ['aws_kms_alias.name', 'alias/aws/bastion', /reserves the prefix "alias\/aws\/"/],
    ['aws_iam_role.name', `${'r'.repeat(65)}`, /1 to 64 characters/],
    ['aws_launch_template.name', 'bastion template', /letters, digits/],
    ['aws_ecs_cluster.name', 'bastion.cluster', /letters, digits, hyphens and underscores/],
    ['aws_cloudwatch_log_group.name', '/bastion/ecs/exec*', /letters, digits/],
    ['aws_ssm_patch_baseline.name', 'al', /3 to 128 characters/],
    ['aws_ssm_maintenance_window.name', 'patch window', /letters, digits/],
    ['aws_ssm_maintenance_window_target.name', 'bastion/target', /letters, digits/],
    ['aws_ssm_maintenance_window_task.name', 'x'.repeat(129), /3 to 128 characters/],
    ['aws_ssm_association.association_name', 'patch scan', /letters, digits/],
    ['aws_iam_instance_profile.name', 'bastion profile', /letters, digits/],
    ['aws_iam_policy.name', 'p'.repeat(129), /1 to 128 characters/],
    ['aws_ecs_service.name', 'bastion/service', /letters, digits, hyphens and underscores/],
    ['aws_ecs_task_definition.family', 'bastion:1', /letters, digits, hyphens and underscores/],
    ['aws_ecr_repository_creation_template.prefix', 'team-.pub', /single \. _ - or \//],
  ];
  it.each(refused)('%s refuses "%s"', (key, name, message) => {
    expect(nameViolation(name, AWS_NAME_RULES[key]!)).toMatch(message);
  });

  // The schema's longest prefix (24 characters) in the longest region names (14): every suffix the stacks append must
  // still fit, e.g. "-ecs-access-<account>-<region>" reaches exactly S3's 63. A longer suffix (such as the pull-through
  // prefix "-ecr-public", over ECR's 30) would make the configuration refuse a prefix the schema promises to accept.
  it.each(SCENARIOS)('%s %j: the longest prefix the schema accepts passes every rule in the longest-named regions', (stack, _input, options) => {
    const namePrefix = `bastion-${'x'.repeat(16)}`;
    expect(namePrefix).toHaveLength(24);
    for (const region of ['ap-southeast-1', 'ap-northeast-1', 'us-gov-west-1']) {
      for (const { key, name } of plannedNames(stack, { namePrefix, region, accountId: TEST_ACCOUNT, patchGroup: namePrefix, ...options })) {
        expect({ key, name, violation: nameViolation(name, AWS_NAME_RULES[key]!) }).toEqual({ key, name, violation: undefined });
      }
    }
  });

  // Both stacks may be deployed with one prefix into one account, region and VPC: a name both wrote (a log group
  // without the stack's short name, say) would fail the second apply with ResourceAlreadyExists.
  it('gives the two stacks disjoint names under one prefix', () => {
    const options = { namePrefix: 'ssm-bastion', region: 'eu-west-1', accountId: TEST_ACCOUNT, patchGroup: 'ssm-bastion', pullThrough: true, createsVpc: true, s3Archive: true };
    const ecs = new Set(plannedNames('ecs-bastion', options).map(({ key, name }) => `${key} ${name}`));
    const ec2 = plannedNames('ec2-bastion', options).map(({ key, name }) => `${key} ${name}`);
    expect(ec2.filter((name) => ecs.has(name))).toEqual([]);
  });

  it('has a test of a refused name for every rule', () => {
    expect([...new Set(refused.map(([key]) => key))].sort()).toEqual(Object.keys(AWS_NAME_RULES).sort());
  });
});

/**
 * Each rule exhaustively against the characters, lengths and reserved prefixes its API reference states,
 * written here independently of the patterns: every printable ASCII character inside a name, both length bounds
 * and one beyond, every reserved prefix in any case.
 */
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const SSM_CHARS = `${LOWER}${UPPER}${DIGITS}_-.`;
const IAM_CHARS = `${LOWER}${UPPER}${DIGITS}_+=,.@-`;
const ECS_CHARS = `${LOWER}${UPPER}${DIGITS}_-`;
const ECR_CHARS = `${LOWER}${DIGITS}._-/`;
const DOCUMENTED: Record<string, { chars: string; min: number; max: number; reserved?: string[]; prefix?: string }> = {
  'aws_s3_bucket.bucket': { chars: `${LOWER}${DIGITS}-`, min: 3, max: 63, reserved: ['xn--', 'sthree-', 'amzn-s3-demo-'] },
  'aws_ssm_document.name': { chars: SSM_CHARS, min: 3, max: 128, reserved: ['aws', 'amazon', 'amzn'] },
  'aws_ssm_patch_baseline.name': { chars: SSM_CHARS, min: 3, max: 128 },
  'aws_ssm_maintenance_window.name': { chars: SSM_CHARS, min: 3, max: 128 },
  'aws_ssm_maintenance_window_target.name': { chars: SSM_CHARS, min: 3, max: 128 },
  'aws_ssm_maintenance_window_task.name': { chars: SSM_CHARS, min: 3, max: 128 },
  'aws_ssm_association.association_name': { chars: SSM_CHARS, min: 3, max: 128 },
  'aws_iam_role.name': { chars: IAM_CHARS, min: 1, max: 64 },
  'aws_iam_instance_profile.name': { chars: IAM_CHARS, min: 1, max: 128 },
  'aws_iam_policy.name': { chars: IAM_CHARS, min: 1, max: 128 },
  'aws_kms_alias.name': { chars: `${LOWER}${UPPER}${DIGITS}/_-`, min: 1, max: 256, reserved: ['alias/aws/'], prefix: 'alias/' },
  'aws_cloudwatch_log_group.name': { chars: `${LOWER}${UPPER}${DIGITS}._-/#`, min: 1, max: 512 },
  'aws_security_group.name': { chars: `${LOWER}${UPPER}${DIGITS} ._-:/()#,@[]+=&;{}!$*`, min: 1, max: 255, reserved: ['sg-'] },
  'aws_launch_template.name': { chars: `${LOWER}${UPPER}${DIGITS}().-/_`, min: 3, max: 128 },
  'aws_ecs_cluster.name': { chars: ECS_CHARS, min: 1, max: 255 },
  'aws_ecs_service.name': { chars: ECS_CHARS, min: 1, max: 255 },
  'aws_ecs_task_definition.family': { chars: ECS_CHARS, min: 1, max: 255 },
  'aws_ecr_repository.name': { chars: ECR_CHARS, min: 2, max: 256 },
  'aws_ecr_pull_through_cache_rule.ecr_repository_prefix': { chars: ECR_CHARS, min: 2, max: 30 },
  'aws_ecr_repository_creation_template.prefix': { chars: ECR_CHARS, min: 1, max: 256 },
};
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

describe.each(Object.entries(DOCUMENTED))('the AWS rule for %s', (key, documented) => {
  const rule = AWS_NAME_RULES[key]!;
  const prefix = documented.prefix ?? '';
  const name = (length: number) => `${prefix}${'a'.repeat(length - prefix.length)}`;

  it('allows exactly the documented characters inside a name', () => {
    const allowed = PRINTABLE.filter((c) => nameViolation(`${prefix}ab${c}cd`, rule) === undefined).join('');
    expect([...allowed].sort().join('')).toBe([...documented.chars].sort().join(''));
  });

  it('allows the documented lengths and refuses one more (and one fewer), naming them', () => {
    expect([rule.minLength, rule.maxLength]).toEqual([documented.min, documented.max]);
    expect(nameViolation(name(documented.max), rule)).toBeUndefined();
    expect(nameViolation(name(documented.max + 1), rule)).toBe(`a ${rule.what} has ${documented.min} to ${documented.max} characters, "${name(documented.max + 1)}" has ${documented.max + 1}`);
    if (documented.min > prefix.length) expect(nameViolation(name(documented.min), rule)).toBeUndefined();
    const short = 'a'.repeat(documented.min - 1);
    expect(nameViolation(short, rule)).toBe(`a ${rule.what} has ${documented.min} to ${documented.max} characters, "${short}" has ${short.length}`);
  });

  it('refuses exactly the documented reserved prefixes, in any case', () => {
    expect([...(rule.reservedPrefixes ?? [])].sort()).toEqual([...(documented.reserved ?? [])].sort());
    for (const reserved of documented.reserved ?? []) {
      for (const spelled of [reserved, reserved.toUpperCase()]) {
        expect(nameViolation(`${spelled}abc`, rule)).toBe(`AWS reserves the prefix "${reserved}" for ${rule.what}s`);
      }
    }
  });
});

it('states the documented characters, lengths and reserved prefixes of every rule', () => {
  expect(Object.keys(DOCUMENTED).sort()).toEqual(Object.keys(AWS_NAME_RULES).sort());
});

// Operators, the `bastion` CLI, docs and IAM grants of running deployments know these names; most are ForceNew, so a
// changed composition replaces the cluster, service or buckets (and orphans the audit buckets) on the next apply.
describe('the names the stacks give their resources', () => {
  it.each([
    ['ecs-bastion', 'ecs'],
    ['ec2-bastion', 'ec2'],
  ] as const)('%s: are the prefix, the stack short name and the purpose', (stack, short) => {
    const names = stackNames('ssm-bastion', 'eu-west-1', stack);
    expect({ ...names, auditBucket: names.auditBucket('123456789012'), accessLogBucket: names.accessLogBucket('123456789012'), logGroup: names.logGroup('exec'), resource: names.resource('task') }).toEqual({
      ecsCluster: 'ssm-bastion-ecs',
      ecsService: 'ssm-bastion-ecs-bastion',
      ecsContainer: 'bastion',
      ec2Instance: 'ssm-bastion-ec2-bastion',
      sessionDocument: 'ssm-bastion-session-preferences',
      auditBucket: `ssm-bastion-${short}-audit-123456789012-eu-west-1`,
      accessLogBucket: `ssm-bastion-${short}-access-123456789012-eu-west-1`,
      containerInsightsLogGroup: '/aws/ecs/containerinsights/ssm-bastion-ecs/performance',
      pullThroughPrefix: 'ssm-bastion-pub',
      builtImageRepository: 'ssm-bastion/ecs-bastion',
      logGroup: `/ssm-bastion/${short}/exec`,
      resource: `ssm-bastion-${short}-task`,
    });
  });

  // The roles may write, and `bastion transcript` and the auditor read, `<prefix>*`: without the trailing "/" the
  // grant would also match a sibling prefix ("session-manager-old/…") and the keys would run into the session id.
  it('archives transcripts of each stack under a prefix of its own ending in "/"', () => {
    const prefixes = Object.values(TRANSCRIPTS).map(({ s3Prefix }) => s3Prefix);
    expect(prefixes).toEqual(['ecs-exec/', 'session-manager/']);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[a-z0-9-]+\/$/);
  });
});
