import { onlyResource, ref, resourceWhere } from '../../support/resources';
import type { PolicyStatementJson } from '../../support/synth';
import {
  allow,
  arn,
  assumedBy,
  bastionSubnets,
  bucketArn,
  type Deployment,
  type ExpectedPolicies,
  forPrincipal,
  keyArn,
  logGroupArn,
  logGroupName,
  resourceName,
  when,
} from './deployment';

/** The exact grants of modules/ecs-bastion: the task, execution and cache-creation roles, the operator policy, and Fargate's use of the key. */

const SSM_MESSAGES = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'];

/** Only ECS tasks of this account may assume the task and execution roles (confused-deputy protection). */
function ecsTasksOfThisAccount(d: Deployment): PolicyStatementJson[] {
  return [
    assumedBy(
      'AssumedByService',
      'ecs-tasks.amazonaws.com',
      when('StringEquals', 'aws:SourceAccount', d.account),
      when('ArnLike', 'aws:SourceArn', arn(d, 'ecs', '*')),
    ),
  ];
}

/** The ECS bastion's roles: the container's identity (ECS Exec), ECS's own (pull, log) and, for the cache, ECR's. */
export function ecsRoles(d: Deployment): ExpectedPolicies {
  if (d.stack !== 'ecs-bastion') return {};
  const key = keyArn(d);
  const exec = logGroupArn(d, logGroupName(d, 'exec'));
  const container = logGroupArn(d, logGroupName(d, 'container'));
  const archive = d.archive ? bucketArn(d, 'audit') : undefined;
  const cachedRepositories = arn(d, 'ecr', `repository/${d.prefix}-pub/*`);
  const image = d.builtImage ? ref('aws_ecr_repository', onlyResource(d.tf, 'aws_ecr_repository').name, 'arn') : cachedRepositories;
  const task = resourceName(d, 'task');
  const execution = resourceName(d, 'execution');
  const policies: ExpectedPolicies = {
    [`role ${task}: trust`]: ecsTasksOfThisAccount(d),
    [`role ${task}: least-privilege`]: [
      allow('OpenEcsExecSessionChannelsNoResourceScopeExists', SSM_MESSAGES, ['*']),
      allow('DecryptEcsExecSessionsWithTheAuditKey', ['kms:Decrypt'], [key]),
      allow('WriteEcsExecTranscriptsToTheExecLogGroup', ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], [exec, `${exec}:*`]),
      allow('CheckTheExecLogGroupIsEncryptedListCallHasNoResourceScope', ['logs:DescribeLogGroups'], ['*']),
      ...(archive
        ? [
            allow('UploadEcsExecTranscriptsToTheArchivePrefix', ['s3:PutObject'], [`${archive}/ecs-exec/*`]),
            allow('CheckTheArchiveBucketIsEncrypted', ['s3:GetEncryptionConfiguration'], [archive]),
            allow('EncryptTranscriptUploadsWithTheAuditKeyThroughS3', ['kms:GenerateDataKey'], [key], when('StringEquals', 'kms:ViaService', `s3.${d.region}.amazonaws.com`)),
          ]
        : []),
    ],
    [`role ${execution}: trust`]: ecsTasksOfThisAccount(d),
    [`role ${execution}: least-privilege`]: [
      ...(d.builtImage ? [] : [allow('CacheTheUpstreamImageOnFirstPull', ['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'], [cachedRepositories])]),
      allow('PullTheBastionImage', ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], [image]),
      allow('EcrAuthorizationTokenHasNoResourceScope', ['ecr:GetAuthorizationToken'], ['*']),
      allow('ShipContainerOutputToTheContainerLogGroup', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${container}:*`]),
    ],
  };
  if (!d.builtImage) {
    const creation = resourceName(d, 'ecr-cache-creation');
    // Unlike the other service roles, no aws:SourceAccount / aws:SourceArn condition: pinned as it is written.
    policies[`role ${creation}: trust`] = [assumedBy('AssumedByService', 'ecr.amazonaws.com')];
    policies[`role ${creation}: least-privilege`] = [
      allow('CreateCachedRepositoriesUnderTheBastionPrefix', ['ecr:CreateRepository', 'ecr:TagResource'], [cachedRepositories]),
    ];
  }
  return policies;
}

/** The operator policy: ECS Exec and port forwarding on this cluster's tasks, waking and parking its service, own sessions. */
export function ecsOperatorPolicy(d: Deployment): ExpectedPolicies {
  if (d.stack !== 'ecs-bastion') return {};
  const cluster = ref('aws_ecs_cluster', resourceWhere(d.tf, 'aws_ecs_cluster', 'name', `${d.prefix}-ecs`).name, 'arn');
  const tasks = arn(d, 'ecs', `task/${d.prefix}-ecs/*`);
  const service = arn(d, 'ecs', `service/${d.prefix}-ecs/${d.prefix}-ecs-bastion`);
  const inThisCluster = when('ArnEquals', 'ecs:cluster', cluster);
  return {
    [`managed policy ${resourceName(d, 'operator')}`]: [
      allow('ExecIntoTheBastionContainerOnly', ['ecs:ExecuteCommand'], [cluster, tasks], when('StringEquals', 'ecs:container-name', 'bastion')),
      allow('DescribeTheBastionTasks', ['ecs:DescribeTasks'], [tasks], inThisCluster),
      allow('ListTasksOfTheBastionClusterOnly', ['ecs:ListTasks'], ['*'], inThisCluster),
      allow('DescribeTheBastionService', ['ecs:DescribeServices'], [service]),
      allow(
        'WakeOrParkTheBastionService',
        ['ecs:UpdateService'],
        [service],
        when('ArnLikeIfExists', 'ecs:task-definition', arn(d, 'ecs', `task-definition/${d.prefix}-ecs-bastion:*`)),
        { test: 'ForAllValues:StringEquals', variable: 'ecs:subnet', values: bastionSubnets(d) },
        when('BoolIfExists', 'ecs:auto-assign-public-ip', 'false'),
      ),
      allow('SeeWhetherTheEndpointsArePresent', ['ec2:DescribeVpcEndpoints'], ['*']),
      allow(
        'PortForwardThroughBastionTasksOnly',
        ['ssm:StartSession'],
        [tasks, ...portForwardingDocuments(d)],
        when('BoolIfExists', 'ssm:SessionDocumentAccessCheck', 'true'),
      ),
      allow('EncryptEcsExecSessionsWithTheAuditKey', ['kms:GenerateDataKey'], [keyArn(d)]),
      ...ownSessions(d),
    ],
  };
}

/** The AWS-owned port-forwarding documents (no account in their ARNs). */
export function portForwardingDocuments(d: Deployment): string[] {
  return ['AWS-StartPortForwardingSession', 'AWS-StartPortForwardingSessionToRemoteHost'].map((name) => arn(d, 'ssm', `document/${name}`, { account: '' }));
}

/**
 * What both operator policies let a client do with sessions it started: open their data channel, end or resume
 * its own (IAM users by name, roles by the owner tag). `$${` is Terraform's escape of IAM's `${`.
 */
export function ownSessions(d: Deployment): PolicyStatementJson[] {
  return [
    allow('OpenDataChannelsOfOwnSessionsNoResourceScopeExists', ['ssmmessages:OpenDataChannel'], ['*']),
    allow('EndOrResumeOwnSessionsAsIamUser', ['ssm:ResumeSession', 'ssm:TerminateSession'], [arn(d, 'ssm', 'session/$${aws:username}-*')]),
    allow(
      'EndOrResumeOwnSessionsByOwnerTag',
      ['ssm:ResumeSession', 'ssm:TerminateSession'],
      [arn(d, 'ssm', 'session/*')],
      when('StringLike', 'ssm:resourceTag/aws:ssmmessages:session-id', '$${aws:userid}'),
    ),
  ];
}

/** The key policy statements that let Fargate encrypt the bastion cluster's ephemeral storage, and nothing else. */
export function fargateKeyStatements(d: Deployment): PolicyStatementJson[] {
  if (d.stack !== 'ecs-bastion') return [];
  const thisCluster = [
    when('StringEquals', 'kms:EncryptionContext:aws:ecs:clusterAccount', d.account),
    when('StringEquals', 'kms:EncryptionContext:aws:ecs:clusterName', `${d.prefix}-ecs`),
  ];
  return [
    forPrincipal(allow('FargateEncryptsEphemeralStorageOfTheBastionCluster', ['kms:GenerateDataKeyWithoutPlaintext'], ['*'], ...thisCluster), 'Service', 'fargate.amazonaws.com'),
    forPrincipal(
      allow('FargateDecryptsEphemeralStorageOfTheBastionCluster', ['kms:CreateGrant'], ['*'], ...thisCluster, when('ForAllValues:StringEquals', 'kms:GrantOperations', 'Decrypt')),
      'Service',
      'fargate.amazonaws.com',
    ),
  ];
}

/** The log groups with names Container Insights fixes, which the key policy must name for CloudWatch Logs. */
export function ecsServiceLogGroups(d: Deployment): string[] {
  return d.stack === 'ecs-bastion' && d.containerInsights ? [`/aws/ecs/containerinsights/${d.prefix}-ecs/performance`] : [];
}
