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

  const instance = onlyResource(tf, 'aws_instance');
  const thisInstance = `\${coalesce(one(aws_instance.${instance.name}[*].arn), "arn:aws:ec2:eu-west-1:123456789012:instance/parked")}`;

  it('starts sessions only on this deployment’s instance, which must also carry its tags', () => {
    const onInstances = statement(statements, 'StartSessionsOnThisBastionOnly');
    expect(onInstances.actions).toEqual(['ssm:StartSession']);
    // By ARN, not by tags alone: anyone allowed to tag an instance could otherwise make it reachable.
    expect(onInstances.resources).toEqual([thisInstance]);
    expect(instance.body.count).toBe('${var.bastion_enabled ? 1 : 0}');
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

  it('puts the document access check on every statement that allows ssm:StartSession (else AWS does not enforce it)', () => {
    const starting = statements.filter((s) => s.actions?.includes('ssm:StartSession'));
    expect(starting.map((s) => s.sid).sort()).toEqual(['StartSessionsOnThisBastionOnly', 'StartSessionsWithTheLoggedOrPortForwardingDocumentsOnly']);
    for (const s of starting) expect(s.condition).toContainEqual({ test: 'BoolIfExists', variable: 'ssm:SessionDocumentAccessCheck', values: ['true'] });
  });

  it('uses the audit key to encrypt sessions, and through EC2 only to attach the encrypted root volume on start', () => {
    const keyArn = ref('aws_kms_key', key.name, 'arn');
    expect(granted.filter((g) => g.action.startsWith('kms:')).sort((a, b) => a.action.localeCompare(b.action))).toEqual([
      { action: 'kms:CreateGrant', resource: keyArn, conditioned: true },
      { action: 'kms:Decrypt', resource: keyArn, conditioned: true },
      { action: 'kms:DescribeKey', resource: keyArn, conditioned: true },
      { action: 'kms:GenerateDataKey', resource: keyArn, conditioned: false },
    ]);
    const viaEc2 = { test: 'StringEquals', variable: 'kms:ViaService', values: ['ec2.eu-west-1.amazonaws.com'] };
    expect(statement(statements, 'LetEc2AttachTheEncryptedRootVolumeOnStart').condition).toEqual([viaEc2]);
    expect(statement(statements, 'LetEc2GrantItselfTheRootVolumeKeyOnStart').condition).toEqual([
      viaEc2,
      { test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] },
    ]);
  });

  it('ends and resumes only the caller’s own sessions, with the policy variables escaped so Terraform keeps them literal', () => {
    const byName = statement(statements, 'EndOrResumeOwnSessionsAsIamUser');
    expect(byName.actions!.sort()).toEqual(['ssm:ResumeSession', 'ssm:TerminateSession']);
    expect(byName.resources).toEqual(['arn:aws:ssm:eu-west-1:123456789012:session/$${aws:username}-*']);
    const byTag = statement(statements, 'EndOrResumeOwnSessionsByOwnerTag');
    expect(byTag.resources).toEqual(['arn:aws:ssm:eu-west-1:123456789012:session/*']);
    expect(byTag.condition).toEqual([{ test: 'StringLike', variable: 'ssm:resourceTag/aws:ssmmessages:session-id', values: ['$${aws:userid}'] }]);
    // Unescaped, Terraform would try to interpolate the variables and fail.
    expect(json).not.toMatch(/[^$]\$\{aws:user(id|name)\}/);
    const unconditioned = granted.filter((g) => ['ssm:TerminateSession', 'ssm:ResumeSession'].includes(g.action) && !g.conditioned);
    expect(unconditioned.every((g) => g.resource.endsWith('session/$${aws:username}-*'))).toBe(true);
  });

  it('lets the client find the bastion and list sessions, and read the bastion’s patch compliance', () => {
    expect(statement(statements, 'FindTheBastionAndListSessions').actions).toEqual(
      expect.arrayContaining(['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'ssm:DescribeSessions']),
    );
    expect(statement(statements, 'SeeWhetherTheBastionCanTakeASession').condition).toEqual([
      { test: 'StringEquals', variable: 'ssm:resourceTag/ssm-bastion:name-prefix', values: ['ssm-bastion'] },
      { test: 'StringEquals', variable: 'ssm:resourceTag/ssm-bastion:stack', values: ['ec2-bastion'] },
    ]);
    const compliance = statement(statements, 'ReadThisBastionsPatchCompliance');
    expect(compliance.actions).toEqual(['ssm:DescribeInstancePatchStates', 'ssm:DescribeInstancePatches']);
    expect(compliance.condition).toEqual(statement(statements, 'SeeWhetherTheBastionCanTakeASession').condition);
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

  it('lets `bastion up/down ec2` start and stop only this instance, which must also carry its tags', () => {
    const startStop = statement(statements, 'StartOrStopThisBastionOnly');
    expect(startStop.actions).toEqual(['ec2:StartInstances', 'ec2:StopInstances']);
    expect(startStop.resources).toEqual(statement(statements, 'StartSessionsOnThisBastionOnly').resources);
    expect(startStop.resources![0]).toMatch(/^\$\{coalesce\(one\(aws_instance\./);
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
