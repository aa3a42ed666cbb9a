import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { expectCatalogActionsScopedWherePossible, grants, onlyResource, ref, resourceWhere, statement, statementsOf, synthEc2 } from './support';

const POLICY = 'ssm-bastion-ec2-operator';

describe('the operator policy of the EC2 bastion', () => {
  const { json, tf } = synthEc2();
  const policy = resourceWhere(tf, 'aws_iam_policy', 'name', POLICY);
  const statements = statementsOf(tf, policy.body.policy);
  const granted = grants(statements);
  const key = onlyResource(tf, 'aws_kms_key');
  const document = onlyResource(tf, 'aws_ssm_document');

  it('is a customer-managed policy with a description, not counted (its ARN exists while parked)', () => {
    expect(json).toHaveResourceWithProperties(IamPolicy, { name: POLICY, description: expect.stringContaining('Session Manager') });
    expect(policy.body.count).toBeUndefined();
  });

  it('starts sessions only on instances tagged as this deployment’s EC2 bastion', () => {
    const onInstances = statement(statements, 'StartSessionsOnThisBastionOnly');
    expect(onInstances.actions).toContain('ssm:StartSession');
    expect(onInstances.resources).toEqual(['arn:aws:ec2:eu-west-1:123456789012:instance/*']);
    expect(onInstances.condition).toEqual(
      expect.arrayContaining([
        { test: 'StringEquals', variable: 'ssm:resourceTag/ssm-bastion:stack', values: ['ec2-bastion'] },
        { test: 'StringEquals', variable: 'ssm:resourceTag/ssm-bastion:name-prefix', values: ['ssm-bastion'] },
      ]),
    );
    // Those tags are the provider default tags, so the instance really carries them.
    expect(tf.provider!.aws[0].default_tags).toEqual([
      { tags: expect.objectContaining({ 'ssm-bastion:stack': 'ec2-bastion', 'ssm-bastion:name-prefix': 'ssm-bastion' }) },
    ]);
    const other = statementsOf(
      synthEc2({ namePrefix: 'team-b' }).tf,
      resourceWhere(synthEc2({ namePrefix: 'team-b' }).tf, 'aws_iam_policy', 'name', 'team-b-ec2-operator').body.policy,
    );
    expect(statement(other, 'StartSessionsOnThisBastionOnly').condition).toContainEqual({
      test: 'StringEquals',
      variable: 'ssm:resourceTag/ssm-bastion:name-prefix',
      values: ['team-b'],
    });
  });

  it('allows only the logged session document and the two port-forwarding documents, under the document access check', () => {
    const documents = statement(statements, 'StartSessionsWithTheLoggedOrPortForwardingDocumentsOnly');
    expect(documents.resources!.sort()).toEqual(
      [
        `arn:aws:ssm:eu-west-1:123456789012:document/${ref('aws_ssm_document', document.name, 'name')}`,
        'arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSession',
        'arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSessionToRemoteHost',
      ].sort(),
    );
    expect(documents.condition).toEqual([{ test: 'BoolIfExists', variable: 'ssm:SessionDocumentAccessCheck', values: ['true'] }]);
    expect(document.body.name).toBe('ssm-bastion-session-preferences');
    const startable = granted.filter((g) => g.action === 'ssm:StartSession').map((g) => g.resource);
    expect(startable.some((resource) => resource.includes('SSM-SessionManagerRunShell') || resource === '*')).toBe(false);
  });

  it('encrypts sessions with a data key of the audit key only', () => {
    expect(granted.filter((g) => g.action.startsWith('kms:'))).toEqual([
      { action: 'kms:GenerateDataKey', resource: ref('aws_kms_key', key.name, 'arn'), conditioned: false },
    ]);
  });

  it('ends and resumes only the caller’s own sessions, with ${aws:userid} escaped so Terraform keeps it literal', () => {
    const byId = statement(statements, 'EndOrResumeOwnSessionsById');
    expect(byId.actions!.sort()).toEqual(['ssm:ResumeSession', 'ssm:TerminateSession']);
    expect(byId.resources).toEqual(['arn:aws:ssm:eu-west-1:123456789012:session/$${aws:userid}-*']);
    const byTag = statement(statements, 'EndOrResumeOwnSessionsByOwnerTag');
    expect(byTag.resources).toEqual(['arn:aws:ssm:eu-west-1:123456789012:session/*']);
    expect(byTag.condition).toEqual([{ test: 'StringLike', variable: 'ssm:resourceTag/aws:ssmmessages:session-id', values: ['$${aws:userid}'] }]);
    // Unescaped, Terraform would try to interpolate aws:userid and fail.
    expect(json).not.toMatch(/[^$]\$\{aws:userid\}/);
    const unconditioned = granted.filter((g) => ['ssm:TerminateSession', 'ssm:ResumeSession'].includes(g.action) && !g.conditioned);
    expect(unconditioned.every((g) => g.resource.endsWith('session/$${aws:userid}-*'))).toBe(true);
  });

  it('lets the client find the bastion and list sessions, and read the bastion’s patch compliance', () => {
    expect(statement(statements, 'FindTheBastionAndListSessions').actions).toEqual(
      expect.arrayContaining(['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'ssm:DescribeSessions']),
    );
    const compliance = statement(statements, 'ReadThisBastionsPatchCompliance');
    expect(compliance.actions).toEqual(['ssm:DescribeInstancePatchStates', 'ssm:DescribeInstancePatches']);
    expect(compliance.condition).toEqual(statement(statements, 'StartSessionsOnThisBastionOnly').condition);
  });

  it('grants nothing that changes the bastion or runs commands on it, beyond starting and stopping it', () => {
    const writes = granted
      .map((g) => g.action)
      .filter((action) => /^(ec2:(Run|Terminate|Stop|Start|Modify)|ssm:(SendCommand|Update|Put|Create|Delete))/.test(action));
    expect([...new Set(writes)].sort()).toEqual(['ec2:StartInstances', 'ec2:StopInstances']);
  });

  it('names only actions in AWS’s catalog and uses "*" only for actions that cannot be scoped', async () => {
    await expectCatalogActionsScopedWherePossible(statements);
  });
});

describe('the operator policy and the CLI', () => {
  const { tf } = synthEc2();
  const statements = statementsOf(tf, resourceWhere(tf, 'aws_iam_policy', 'name', 'ssm-bastion-ec2-operator').body.policy);

  it('lets `bastion up/down ec2` start and stop only instances tagged as this bastion', () => {
    const startStop = statement(statements, 'StartOrStopThisBastionOnly');
    expect(startStop.actions).toEqual(['ec2:StartInstances', 'ec2:StopInstances']);
    expect(startStop.resources).toEqual(['arn:aws:ec2:eu-west-1:123456789012:instance/*']);
    expect(startStop.condition).toEqual(
      expect.arrayContaining([
        { test: 'StringEquals', variable: 'aws:ResourceTag/ssm-bastion:stack', values: ['ec2-bastion'] },
        { test: 'StringEquals', variable: 'aws:ResourceTag/ssm-bastion:name-prefix', values: ['ssm-bastion'] },
      ]),
    );
  });

  it('lets `bastion status` see the endpoints and the session document', () => {
    expect(statement(statements, 'FindTheBastionAndListSessions').actions).toContain('ec2:DescribeVpcEndpoints');
    expect(statement(statements, 'ReadTheSessionDocument').resources).toEqual([
      expect.stringMatching(/^arn:aws:ssm:eu-west-1:123456789012:document\/\$\{aws_ssm_document\..*\.name\}$/),
    ]);
  });
});
