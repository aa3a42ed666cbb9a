import { attachedPolicies, grantLines } from '../support/grants';
import type { PolicyStatementJson, TerraformJson } from '../support/synth';
import { deployment, expectedPolicies } from './expected';

/**
 * The exact-grant comparison itself: equal documents give equal lines whatever their order, and every kind of
 * change a regression could make gives different lines. And the meta-test's inventory finds what a change could
 * add: a role, a managed-policy attachment, a policy written as JSON, a document nobody uses.
 */

const BASE: PolicyStatementJson[] = [
  {
    sid: 'ExecIntoTheBastionContainerOnly',
    effect: 'Allow',
    actions: ['ecs:ExecuteCommand'],
    resources: ['arn:aws:ecs:eu-west-1:123456789012:cluster/x', 'arn:aws:ecs:eu-west-1:123456789012:task/x/*'],
    condition: [{ test: 'StringEquals', variable: 'ecs:container-name', values: ['bastion'] }],
  },
  {
    sid: 'DenyRequestsWithoutTls',
    effect: 'Deny',
    actions: ['s3:*'],
    resources: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
    principals: [{ type: '*', identifiers: ['*'] }],
    condition: [
      { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] },
      { test: 'StringNotEquals', variable: 'aws:PrincipalAccount', values: ['111111111111', '222222222222'] },
    ],
  },
];

const clone = (): PolicyStatementJson[] => JSON.parse(JSON.stringify(BASE)) as PolicyStatementJson[];

describe('grant lines', () => {
  it('read as the grant they are', () => {
    expect(grantLines(BASE)).toEqual([
      'DenyRequestsWithoutTls: Deny s3:* on arn:aws:s3:::b by * * if Bool aws:SecureTransport=false and StringNotEquals aws:PrincipalAccount=111111111111|222222222222',
      'DenyRequestsWithoutTls: Deny s3:* on arn:aws:s3:::b/* by * * if Bool aws:SecureTransport=false and StringNotEquals aws:PrincipalAccount=111111111111|222222222222',
      'ExecIntoTheBastionContainerOnly: Allow ecs:ExecuteCommand on arn:aws:ecs:eu-west-1:123456789012:cluster/x if StringEquals ecs:container-name=bastion',
      'ExecIntoTheBastionContainerOnly: Allow ecs:ExecuteCommand on arn:aws:ecs:eu-west-1:123456789012:task/x/* if StringEquals ecs:container-name=bastion',
    ]);
  });

  it('do not depend on the order of statements, actions, resources, conditions or condition values', () => {
    const shuffled = clone().reverse();
    shuffled[0].resources!.reverse();
    shuffled[0].condition!.reverse();
    (shuffled[0].condition![1].values as string[]).reverse();
    expect(grantLines(shuffled)).toEqual(grantLines(BASE));
  });

  const changes: [string, (statements: PolicyStatementJson[]) => void][] = [
    ['an added action', (s) => s[0].actions!.push('ecs:StopTask')],
    ['an added resource', (s) => s[0].resources!.push('*')],
    ['a removed resource', (s) => s[0].resources!.pop()],
    ['a removed condition', (s) => s[0].condition!.pop()],
    ['an added condition', (s) => s[0].condition!.push({ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['1'] })],
    ['a changed condition operator', (s) => (s[1].condition![0].test = 'BoolIfExists')],
    ['an added condition value', (s) => (s[0].condition![0].values as string[]).push('sidecar')],
    ['a changed principal', (s) => (s[1].principals = [{ type: 'AWS', identifiers: ['*'] }])],
    ['an added principal', (s) => s[1].principals![0].identifiers.push('arn:aws:iam::111111111111:root')],
    ['a Deny turned into an Allow', (s) => (s[1].effect = 'Allow')],
    ['a renamed statement', (s) => (s[0].sid = 'ExecIntoAnyContainer')],
    ['an added statement', (s) => s.push({ sid: 'More', effect: 'Allow', actions: ['ssm:StartSession'], resources: ['*'] })],
    ['a statement with the sid of another', (s) => s.push({ ...s[0] })],
    ['a statement without actions', (s) => (s[0].actions = [])],
    ['a key the comparison does not know (not_actions)', (s) => Object.assign(s[0], { not_actions: ['iam:*'] })],
    ['resources taken away (a statement that then applies to nothing written)', (s) => delete s[0].resources],
  ];
  it.each(changes)('differ after %s', (_change, change) => {
    const changed = clone();
    change(changed);
    expect(grantLines(changed)).not.toEqual(grantLines(BASE));
  });
});

describe('the inventory of policies the meta-test checks', () => {
  const d = deployment('ecs-bastion', {});
  const labels = (tf: TerraformJson) => attachedPolicies(tf).map((policy) => policy.label);
  const expected = Object.keys(expectedPolicies(d)).sort();
  const modified = (change: (tf: TerraformJson & { resource: NonNullable<TerraformJson['resource']> }) => void): string[] => {
    const tf = JSON.parse(JSON.stringify(d.tf)) as TerraformJson & { resource: NonNullable<TerraformJson['resource']> };
    change(tf);
    return labels(tf).filter((label) => !expected.includes(label));
  };
  const [anyDocument] = Object.keys(d.tf.data!.aws_iam_policy_document!);
  const documentRef = `\${data.aws_iam_policy_document.${anyDocument}.json}`;

  it('is exactly the expected one for the synthesized stack', () => {
    expect(labels(d.tf).sort()).toEqual(expected);
  });

  it('finds a new role and its inline policy', () => {
    expect(
      modified((tf) => {
        tf.resource.aws_iam_role.intruder = { name: 'ssm-bastion-ecs-intruder', assume_role_policy: documentRef };
        tf.resource.aws_iam_role_policy.intruder = { name: 'least-privilege', role: '${aws_iam_role.intruder.id}', policy: documentRef };
      }),
    ).toEqual(['role ssm-bastion-ecs-intruder: least-privilege', 'role ssm-bastion-ecs-intruder: trust']);
  });

  it('finds a new managed policy, key and bucket policy', () => {
    expect(
      modified((tf) => {
        tf.resource.aws_iam_policy.extra = { name: 'ssm-bastion-ecs-extra', policy: documentRef };
        tf.resource.aws_kms_key.extra = { policy: documentRef };
        tf.resource.aws_s3_bucket_policy.extra = { bucket: 'some-bucket', policy: documentRef };
      }).sort(),
    ).toEqual(['bucket some-bucket', 'key aws_kms_key.extra', 'managed policy ssm-bastion-ecs-extra']);
  });

  it('finds a managed policy attached to a role, which grants without a document of ours', () => {
    expect(
      modified((tf) => {
        tf.resource.aws_iam_role_policy_attachment = { core: { role: 'x', policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' } };
      }),
    ).toEqual(['unexpected aws_iam_role_policy_attachment.core']);
  });

  it('finds a policy written as JSON instead of a policy document, and one on a resource type no table knows', () => {
    expect(
      modified((tf) => {
        tf.resource.aws_ecr_repository_policy = {
          open: { repository: 'x', policy: '${jsonencode({"Statement" = [{"Action" = "ecr:*", "Effect" = "Allow", "Principal" = "*"}]})}' },
          documented: { repository: 'y', policy: documentRef },
        };
      }).sort(),
    ).toEqual(['unexpected aws_ecr_repository_policy.documented.policy', 'unexpected aws_ecr_repository_policy.open.policy']);
  });

  it('finds a policy document no resource uses, and a role with a policy of its own', () => {
    expect(
      modified((tf) => {
        tf.data!.aws_iam_policy_document!.orphan = { statement: [] };
        const [role] = Object.keys(tf.resource.aws_iam_role);
        tf.resource.aws_iam_role[role].managed_policy_arns = ['arn:aws:iam::aws:policy/AdministratorAccess'];
      }).sort(),
    ).toEqual([expect.stringMatching(/^unexpected aws_iam_role\..*\.managed_policy_arns$/), 'unexpected unused document orphan']);
  });
});
