import { onlyResource, ref, resourceWhere } from '../../support/resources';
import { allow, arn, assumedBy, bucketArn, type Deployment, type ExpectedPolicies, keyArn, logGroupArn, logGroupName, resourceName, when } from './deployment';
import { ownSessions, portForwardingDocuments } from './ecs-bastion';
import { patchBucketsOf } from './patching';

/** The exact grants of modules/ec2-bastion: the instance role and the operator policy. */

/** The instance role: the SSM agent (Session Manager, Run Command, State Manager, Patch Manager), its logs, archive and key. */
export function instanceRole(d: Deployment): ExpectedPolicies {
  if (d.stack !== 'ec2-bastion') return {};
  const role = resourceName(d, 'bastion');
  const instances = arn(d, 'ec2', 'instance/*');
  const patchDocument = arn(d, 'ssm', 'document/AWS-RunPatchBaseline', { account: '' });
  const key = keyArn(d);
  const logs = [logGroupName(d, 'sessions'), logGroupName(d, 'patching')].map((name) => logGroupArn(d, name)).flatMap((group) => [group, `${group}:*`]);
  const archive = d.archive ? bucketArn(d, 'audit') : undefined;
  return {
    // No aws:SourceAccount / aws:SourceArn: EC2 sends neither when it assumes an instance profile's role.
    [`role ${role}: trust`]: [assumedBy('AssumedByEc2ForTheInstanceProfile', 'ec2.amazonaws.com')],
    [`role ${role}: least-privilege`]: [
      allow('AgentRegistersAndReportsTheInstance', ['ssm:ListInstanceAssociations', 'ssm:PutComplianceItems', 'ssm:UpdateInstanceInformation'], [instances]),
      allow(
        'AgentRunsThePatchScanAssociation',
        ['ssm:DescribeAssociation', 'ssm:UpdateAssociationStatus', 'ssm:UpdateInstanceAssociationStatus'],
        [instances, arn(d, 'ssm', 'association/*'), patchDocument],
      ),
      allow('AgentReadsThePatchDocument', ['ssm:DescribeDocument', 'ssm:GetDocument'], [patchDocument]),
      allow('AgentCallsWithoutResourceLevelPermissions', ['ssm:GetDeployablePatchSnapshotForInstance', 'ssm:ListAssociations', 'ssm:PutInventory'], ['*']),
      allow(
        'SessionManagerChannels',
        ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        ['*'],
      ),
      allow(
        'RunCommandMessages',
        [
          'ec2messages:AcknowledgeMessage',
          'ec2messages:DeleteMessage',
          'ec2messages:FailMessage',
          'ec2messages:GetEndpoint',
          'ec2messages:GetMessages',
          'ec2messages:SendReply',
        ],
        ['*'],
      ),
      allow('WriteSessionAndPatchLogs', ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], logs),
      allow('CheckLogGroupEncryption', ['logs:DescribeLogGroups'], ['*']),
      allow('DecryptSessionStreamsWithTheAuditKey', ['kms:Decrypt'], [key]),
      allow(
        'ReadAwsOwnedRepositoriesAndPatchBaselines',
        ['s3:GetObject'],
        [`al2023-repos-${d.region}-de612dc2`, ...patchBucketsOf(d.region)].map((bucket) => `arn:aws:s3:::${bucket}/*`),
      ),
      ...(archive
        ? [
            allow('ArchiveSessionTranscriptsAndPatchOutput', ['s3:PutObject'], [`${archive}/session-manager/*`, `${archive}/patching/*`]),
            allow('EncryptArchiveUploadsWithTheAuditKeyThroughS3', ['kms:GenerateDataKey'], [key], when('StringEquals', 'kms:ViaService', `s3.${d.region}.amazonaws.com`)),
            allow('CheckArchiveEncryption', ['s3:GetEncryptionConfiguration'], [archive]),
          ]
        : []),
    ],
  };
}

/** The operator policy: sessions on this bastion (by its ARN and its tags) with the logged or port-forwarding documents, start/stop, own sessions. */
export function ec2OperatorPolicy(d: Deployment): ExpectedPolicies {
  if (d.stack !== 'ec2-bastion') return {};
  // Ec2Bastion.instanceArn: this instance only, or an ARN no instance has while parked.
  const instances = `\${coalesce(one(aws_instance.${onlyResource(d.tf, 'aws_instance').name}[*].arn), "${arn(d, 'ec2', 'instance/parked')}")}`;
  const key = keyArn(d);
  const sessionDocument = arn(d, 'ssm', `document/${ref('aws_ssm_document', resourceWhere(d.tf, 'aws_ssm_document', 'name', `${d.prefix}-session-preferences`).name, 'name')}`);
  const tagged = (key: string) => [
    when('StringEquals', `${key}/ssm-bastion:name-prefix`, d.prefix),
    when('StringEquals', `${key}/ssm-bastion:stack`, 'ec2-bastion'),
  ];
  const documentCheck = when('BoolIfExists', 'ssm:SessionDocumentAccessCheck', 'true');
  const viaEc2 = when('StringEquals', 'kms:ViaService', `ec2.${d.region}.amazonaws.com`);
  return {
    [`managed policy ${resourceName(d, 'operator')}`]: [
      allow('StartSessionsOnThisBastionOnly', ['ssm:StartSession'], [instances], ...tagged('ssm:resourceTag'), documentCheck),
      allow('StartSessionsWithTheLoggedOrPortForwardingDocumentsOnly', ['ssm:StartSession'], [sessionDocument, ...portForwardingDocuments(d)], documentCheck),
      allow('SeeWhetherTheBastionCanTakeASession', ['ssm:GetConnectionStatus'], [instances], ...tagged('ssm:resourceTag')),
      allow('EncryptSessionsWithTheAuditKey', ['kms:GenerateDataKey'], [key]),
      ...ownSessions(d),
      allow('ReadThisBastionsPatchCompliance', ['ssm:DescribeInstancePatchStates', 'ssm:DescribeInstancePatches'], [instances], ...tagged('ssm:resourceTag')),
      allow('StartOrStopThisBastionOnly', ['ec2:StartInstances', 'ec2:StopInstances'], [instances], ...tagged('aws:ResourceTag')),
      allow('LetEc2AttachTheEncryptedRootVolumeOnStart', ['kms:Decrypt', 'kms:DescribeKey'], [key], viaEc2),
      allow('LetEc2GrantItselfTheRootVolumeKeyOnStart', ['kms:CreateGrant'], [key], viaEc2, when('Bool', 'kms:GrantIsForAWSResource', 'true')),
      allow('ReadTheSessionDocument', ['ssm:DescribeDocument'], [sessionDocument]),
      allow(
        'FindTheBastionAndListSessions',
        ['ec2:DescribeInstances', 'ec2:DescribeVpcEndpoints', 'ssm:DescribeInstanceInformation', 'ssm:DescribeInstanceProperties', 'ssm:DescribeSessions'],
        ['*'],
      ),
    ],
  };
}
