import type {} from 'cdktf/lib/testing/adapters/jest';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { TEST_ACCOUNT } from '../support/synth';
import { allows, iamMatches, managedPolicyStatements, onlyResource, ref, resourceWhere, statement, synthEcs } from './support';

describe('the ECS bastion operator policy', () => {
  const { json, tf } = synthEcs();
  const statements = managedPolicyStatements(tf, 'ssm-bastion-ecs-operator');
  const clusterArn = ref('aws_ecs_cluster', onlyResource(tf, 'aws_ecs_cluster').name, 'arn');
  const keyArn = ref('aws_kms_key', onlyResource(tf, 'aws_kms_key').name, 'arn');
  const thisTask = `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:task/ssm-bastion-ecs/0123456789abcdef0123456789abcdef`;
  const otherTask = `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:task/payments-prod/0123456789abcdef0123456789abcdef`;
  const granted = (action: string, resource: string) =>
    statements.some((s) => s.actions?.includes(action) && s.resources?.some((pattern) => iamMatches(pattern, resource)));

  it('is a managed policy whose ARN is a stack output', () => {
    const policy = resourceWhere(tf, 'aws_iam_policy', 'name', 'ssm-bastion-ecs-operator');
    expect(json).toHaveResourceWithProperties(IamPolicy, { name: 'ssm-bastion-ecs-operator' });
    expect(tf.output?.operator_policy_arn).toEqual({ value: ref('aws_iam_policy', policy.name, 'arn'), description: expect.stringMatching(/attach/i) });
  });

  it('allows ECS Exec into the bastion container of this cluster’s tasks, and no other cluster', () => {
    const execute = statement(statements, 'ExecIntoTheBastionContainerOnly');
    expect(execute.resources).toEqual([clusterArn, `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:task/ssm-bastion-ecs/*`]);
    expect(execute.condition).toEqual([{ test: 'StringEquals', variable: 'ecs:container-name', values: ['bastion'] }]);
    expect(granted('ecs:ExecuteCommand', thisTask)).toBe(true);
    expect(granted('ecs:ExecuteCommand', otherTask)).toBe(false);
  });

  it('allows finding the task (DescribeTasks, ListTasks) in this cluster only, and reading the service', () => {
    expect(statement(statements, 'DescribeTheBastionTasks')).toMatchObject({
      resources: [`arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:task/ssm-bastion-ecs/*`],
      condition: [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [clusterArn] }],
    });
    expect(statement(statements, 'ListTasksOfTheBastionClusterOnly')).toMatchObject({
      actions: ['ecs:ListTasks'],
      condition: [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [clusterArn] }],
    });
    expect(statement(statements, 'DescribeTheBastionService').resources).toEqual([
      `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:service/ssm-bastion-ecs/ssm-bastion-ecs-bastion`,
    ]);
  });

  it('allows ssm:StartSession on this cluster’s tasks with the two port-forwarding documents, under the document check', () => {
    expect(statement(statements, 'PortForwardThroughBastionTasksOnly')).toEqual(
      expect.objectContaining({
        actions: ['ssm:StartSession'],
        resources: [
          `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:task/ssm-bastion-ecs/*`,
          'arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSession',
          'arn:aws:ssm:eu-west-1::document/AWS-StartPortForwardingSessionToRemoteHost',
        ],
        // BoolIfExists, as AWS documents it: with --document-name the key may be absent, and Bool would refuse.
        condition: [{ test: 'BoolIfExists', variable: 'ssm:SessionDocumentAccessCheck', values: ['true'] }],
      }),
    );
    expect(granted('ssm:StartSession', 'arn:aws:ssm:eu-west-1::document/SSM-SessionManagerRunShell')).toBe(false);
    expect(granted('ssm:StartSession', otherTask)).toBe(false);
  });

  it('allows kms:GenerateDataKey on the audit key only', () => {
    expect(statement(statements, 'EncryptEcsExecSessionsWithTheAuditKey')).toMatchObject({ actions: ['kms:GenerateDataKey'], resources: [keyArn] });
    expect(allows(statements, 'kms:GenerateDataKey', 'arn:aws:kms:eu-west-1:123456789012:key/another')).toBe(false);
  });

  it('lets people end or resume only their own sessions: IAM users by name, roles by the session owner tag', () => {
    // `$${` in the Terraform JSON is the literal `${` IAM sees (the offline plan shows `${aws:username}`).
    expect(statement(statements, 'EndOrResumeOwnSessionsAsIamUser')).toMatchObject({
      actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
      resources: [`arn:aws:ssm:eu-west-1:${TEST_ACCOUNT}:session/$\${aws:username}-*`],
    });
    expect(statement(statements, 'EndOrResumeOwnSessionsByOwnerTag')).toMatchObject({
      resources: [`arn:aws:ssm:eu-west-1:${TEST_ACCOUNT}:session/*`],
      condition: [{ test: 'StringLike', variable: 'ssm:resourceTag/aws:ssmmessages:session-id', values: ['$\${aws:userid}'] }],
    });
    expect(json).not.toMatch(/session\/\$\$\{aws:userid\}/);
  });

  it('lets the plugin open the data channel of its sessions (no resource type exists for it: "*")', () => {
    expect(statement(statements, 'OpenDataChannelsOfOwnSessionsNoResourceScopeExists')).toMatchObject({
      actions: ['ssmmessages:OpenDataChannel'],
      resources: ['*'],
    });
  });

  it('lets `bastion up/down ecs` change the desired count of this service only', () => {
    const wake = statement(statements, 'WakeOrParkTheBastionService');
    expect(wake).toMatchObject({ actions: ['ecs:UpdateService'], resources: [`arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:service/ssm-bastion-ecs/ssm-bastion-ecs-bastion`] });
    expect(allows(statements, 'ecs:UpdateService', `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:service/other/app`)).toBe(false);
  });

  it('grants nothing beyond shell, port forwarding, waking and finding the bastion', () => {
    expect([...new Set(statements.flatMap((s) => s.actions ?? []))].sort()).toEqual([
      'ec2:DescribeVpcEndpoints',
      'ecs:DescribeServices',
      'ecs:DescribeTasks',
      'ecs:ExecuteCommand',
      'ecs:ListTasks',
      'ecs:UpdateService',
      'kms:GenerateDataKey',
      'ssm:ResumeSession',
      'ssm:StartSession',
      'ssm:TerminateSession',
      'ssmmessages:OpenDataChannel',
    ]);
  });
});
