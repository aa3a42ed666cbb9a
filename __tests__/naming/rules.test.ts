import type { BastionConfigInput, StackName } from '../../modules/config';
import { AWS_NAME_RULES, nameViolation, plannedNames } from '../../modules/naming';
import { resourcesOfType, synthStack, TEST_ACCOUNT } from '../support/synth';

/**
 * The names the configuration checks are the names the stacks write: for every kind of name with an AWS rule,
 * the synthesized stacks hold exactly the names `plannedNames` predicts, so a resource named another way (or a
 * new one) cannot escape the apply-time rules. And each rule refuses what its API reference refuses.
 */

const SCENARIOS: [StackName, BastionConfigInput, boolean][] = [
  ['ecs-bastion', {}, true],
  ['ecs-bastion', { ecs: { image: { build: true } } }, false],
  ['ec2-bastion', {}, true],
];

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
  it.each(SCENARIOS)('%s %j: the configuration checks exactly the names the stack writes', (stack, input, pullThrough) => {
    const planned = plannedNames(stack, { namePrefix: 'ssm-bastion', region: 'eu-west-1', accountId: TEST_ACCOUNT, pullThrough, patchGroup: 'ssm-bastion' });
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

  it('has a test of a refused name for every rule', () => {
    expect([...new Set(refused.map(([key]) => key))].sort()).toEqual(Object.keys(AWS_NAME_RULES).sort());
  });
});
