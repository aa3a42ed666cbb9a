import type { StackName } from '../../modules/config';
import { servicePrincipalSuffix } from '../../modules/context';
import { synthStack, type TerraformJson } from '../support/synth';

/** Every service principal of a stack's trust, key and bucket policies, sorted, without repeats. */
function servicePrincipals(tf: TerraformJson): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.type === 'Service' && Array.isArray(record.identifiers)) for (const id of record.identifiers) found.add(String(id));
    Object.values(record).forEach(visit);
  };
  visit(tf.data);
  visit(tf.resource);
  return [...found].sort();
}

// The principals each stack names, by service; China gives a few of them its own DNS suffix.
const EXPECTED: Record<StackName, (region: string, china: boolean) => string[]> = {
  'ecs-bastion': (region, china) => ['ecs-tasks.amazonaws.com', 'fargate.amazonaws.com', 'logging.s3.amazonaws.com', `logs.${region}.amazonaws.com${china ? '.cn' : ''}`, 'vpc-flow-logs.amazonaws.com'],
  'ec2-bastion': (region, china) => [`ec2.amazonaws.com${china ? '.cn' : ''}`, 'logging.s3.amazonaws.com', `logs.${region}.amazonaws.com${china ? '.cn' : ''}`, 'ssm.amazonaws.com', 'vpc-flow-logs.amazonaws.com'],
};

describe.each(['ecs-bastion', 'ec2-bastion'] as const)('service principals of %s', (stack) => {
  // A trust or key policy naming ec2.amazonaws.com or logs.<region>.amazonaws.com in a China region admits no
  // one there: the instance profile and the encrypted log groups would fail at apply.
  it.each(['cn-north-1', 'cn-northwest-1', 'eu-west-1', 'us-gov-west-1'])('are the ones AWS knows in %s', (region) => {
    // A built image: ECR Public, the pull-through cache's upstream, serves the commercial partition only.
    const { tf } = synthStack(stack, { region, stacks: [stack], ecs: { image: { build: true } } });
    expect(servicePrincipals(tf)).toEqual(EXPECTED[stack](region, region.startsWith('cn-')).sort());
  });
});

it('keeps amazonaws.com for every service outside China, and for the services China does not rename', () => {
  expect(servicePrincipalSuffix('ec2', 'aws-cn', 'amazonaws.com.cn')).toBe('amazonaws.com.cn');
  expect(servicePrincipalSuffix('ecs-tasks', 'aws-cn', 'amazonaws.com.cn')).toBe('amazonaws.com');
  expect(servicePrincipalSuffix('ec2', 'aws-us-gov', 'amazonaws.com')).toBe('amazonaws.com');
});
