import type { IamRequest } from '../../cli/permissions';
import { amazonLinux2023RepositoryBucket, patchManagerBuckets } from '../../modules/patching';
import { DEPLOYMENTS, type Deployment, deploymentOf, INSTANCE_ID, TASK_ID, WHERE } from './deployments';
import { allowed, type Principal, refused, roleSession } from './simulate';

/**
 * What runs inside and around the bastion, simulated as AWS evaluates it: the calls each agent and service
 * really makes are allowed (identity, key, bucket and S3 endpoint policies together), and what would let it
 * read, delete or rewrite the audit trail, or reach beyond the bastion, is refused.
 *
 * Sources of the call lists: the ECS Exec prerequisites and amazon-ecs-exec-checker (task role), the ECS task
 * execution role and pull-through cache guides (execution role), "Step 2: Verify or add instance permissions for
 * Session Manager" and "SSM Agent communications with AWS managed S3 buckets" (instance role), "Use IAM to
 * configure roles for Maintenance Windows" (window role), and the key-policy pages of CloudWatch Logs and
 * Fargate ephemeral storage.
 */

const TLS = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };
const EXEC_SESSION = 'ecs-execute-command-0a1b2c3d4e5f67890';
const SSM_SESSION = 'alice-0a1b2c3d4e5f67890';

/** An S3 upload under SSE-KMS with the audit key: S3 asks KMS for a data key with the uploader's credentials. */
function sseKmsUpload(deployment: Deployment, bucketArn: string, key: string, note: string): IamRequest[] {
  return [
    { action: 's3:PutObject', resource: `${bucketArn}/${key}`, context: { ...TLS, 's3:x-amz-server-side-encryption': 'aws:kms' }, note },
    {
      action: 'kms:GenerateDataKey',
      resource: deployment.model.keyArn(),
      // With the bucket key on, the encryption context names the bucket.
      context: { 'kms:ViaService': `s3.${WHERE.region}.amazonaws.com`, 'kms:CallerAccount': WHERE.accountId, 'kms:EncryptionContext:aws:s3:arn': bucketArn },
      note: `${note}: the data key`,
    },
  ];
}

function channels(sessionId: string): IamRequest[] {
  // ssmmessages defines no resource types: IAM matches these against "*".
  return ['CreateControlChannel', 'OpenControlChannel', 'CreateDataChannel', 'OpenDataChannel'].map((action) => ({
    action: `ssmmessages:${action}`,
    resource: '*',
    note: `session ${sessionId}`,
  }));
}

function logStream(deployment: Deployment, purpose: string, stream: string): { group: string; stream: string } {
  const group = deployment.arn('logs', `log-group:${deployment.names.logGroup(purpose)}`);
  return { group, stream: `${group}:log-stream:${stream}` };
}

interface Agent {
  readonly principal: Principal;
  readonly calls: IamRequest[];
  readonly forbidden: IamRequest[];
}

const archiveArn = (deployment: Deployment) => `arn:aws:s3:::${deployment.names.auditBucket(WHERE.accountId)}`;

/** The ECS Exec agent in the bastion container, with the task role. */
function ecsTaskAgent(deployment: Deployment): Agent {
  const role = deployment.names.resource('task');
  const principal = roleSession('task role (ECS Exec agent)', WHERE, role, TASK_ID, deployment.model.rolePolicies(role), { inVpc: true });
  const exec = logStream(deployment, 'exec', EXEC_SESSION);
  const archive = archiveArn(deployment);
  return {
    principal,
    calls: [
      ...channels(EXEC_SESSION),
      { action: 'kms:Decrypt', resource: deployment.model.keyArn(), context: { 'kms:CallerAccount': WHERE.accountId }, note: 'the session data key' },
      { action: 'logs:DescribeLogGroups', resource: '*', note: 'is the exec log group encrypted?' },
      { action: 'logs:CreateLogStream', resource: exec.stream },
      { action: 'logs:PutLogEvents', resource: exec.stream },
      { action: 's3:GetEncryptionConfiguration', resource: archive, context: TLS, note: 'is the archive encrypted?' },
      ...sseKmsUpload(deployment, archive, `ecs-exec/${EXEC_SESSION}.log`, 'the transcript upload'),
    ],
    forbidden: [
      { action: 's3:GetObject', resource: `${archive}/ecs-exec/${EXEC_SESSION}.log`, context: TLS, note: 'reading the archive' },
      { action: 's3:DeleteObject', resource: `${archive}/ecs-exec/${EXEC_SESSION}.log`, context: TLS, note: 'deleting a transcript' },
      { action: 's3:DeleteObjectVersion', resource: `${archive}/ecs-exec/${EXEC_SESSION}.log`, context: TLS },
      { action: 's3:PutObject', resource: `${archive}/session-manager/x.log`, context: TLS, note: 'outside the ECS Exec prefix' },
      { action: 's3:PutLifecycleConfiguration', resource: archive, context: TLS },
      { action: 'logs:DeleteLogStream', resource: exec.stream },
      { action: 'logs:PutRetentionPolicy', resource: exec.group },
      { action: 'logs:PutLogEvents', resource: logStream(deployment, 'container', 'x').stream, note: 'another log group' },
      { action: 'kms:GenerateDataKey', resource: deployment.model.keyArn(), note: 'a data key for itself' },
      { action: 'kms:ScheduleKeyDeletion', resource: deployment.model.keyArn() },
      { action: 'iam:PassRole', resource: `arn:aws:iam::${WHERE.accountId}:role/${role}` },
      { action: 'ecs:RunTask', resource: deployment.arn('ecs', `task-definition/${deployment.names.resource('bastion')}:1`) },
      { action: 'ssm:StartSession', resource: deployment.arn('ec2', `instance/${INSTANCE_ID}`) },
    ],
  };
}

/** ECS starting the task with the execution role: the image pull (through the cache) and the container log. */
function ecsExecutionAgent(deployment: Deployment): Agent {
  const role = deployment.names.resource('execution');
  const principal = roleSession('execution role (ECS)', WHERE, role, TASK_ID, deployment.model.rolePolicies(role), { inVpc: true });
  const repository = deployment.arn('ecr', `repository/${deployment.names.pullThroughPrefix}/docker/library/debian`);
  const container = logStream(deployment, 'container', `bastion/bastion/${TASK_ID}`);
  return {
    principal,
    calls: [
      { action: 'ecr:GetAuthorizationToken', resource: '*' },
      { action: 'ecr:BatchGetImage', resource: repository },
      { action: 'ecr:GetDownloadUrlForLayer', resource: repository },
      { action: 'ecr:BatchImportUpstreamImage', resource: repository, note: 'the first pull through the cache' },
      { action: 'ecr:CreateRepository', resource: repository, note: 'the first pull through the cache' },
      { action: 'logs:CreateLogStream', resource: container.stream },
      { action: 'logs:PutLogEvents', resource: container.stream },
    ],
    forbidden: [
      { action: 'ecr:BatchGetImage', resource: deployment.arn('ecr', 'repository/payments/api'), note: 'another repository' },
      { action: 'ecr:PutImage', resource: repository },
      { action: 'ecr:DeleteRepository', resource: repository },
      { action: 's3:GetObject', resource: `${archiveArn(deployment)}/ecs-exec/x.log`, context: TLS },
      { action: 'kms:Decrypt', resource: deployment.model.keyArn() },
    ],
  };
}

/** The SSM agent of the EC2 bastion, with the instance role: Session Manager, Run Command, State Manager, Patch Manager. */
function ec2InstanceAgent(deployment: Deployment): Agent {
  const role = deployment.names.resource('bastion');
  const principal = roleSession('instance role (SSM agent)', WHERE, role, INSTANCE_ID, deployment.model.rolePolicies(role), { inVpc: true });
  const instance = deployment.arn('ec2', `instance/${INSTANCE_ID}`);
  const patchDocument = deployment.arn('ssm', 'document/AWS-RunPatchBaseline', { account: '' });
  const sessions = logStream(deployment, 'sessions', SSM_SESSION);
  const patching = logStream(deployment, 'patching', `0a1b2c3d-4e5f-6789-0abc-def012345678/${INSTANCE_ID}/aws-runPatchBaseline/stdout`);
  const archive = archiveArn(deployment);
  const awsOwned = [amazonLinux2023RepositoryBucket(WHERE.region), ...patchManagerBuckets(WHERE.region).map((bucket) => bucket.name)];
  return {
    principal,
    calls: [
      { action: 'ssm:UpdateInstanceInformation', resource: instance },
      { action: 'ssm:ListInstanceAssociations', resource: instance },
      { action: 'ssm:UpdateInstanceAssociationStatus', resource: instance },
      { action: 'ssm:DescribeAssociation', resource: instance },
      { action: 'ssm:PutComplianceItems', resource: instance },
      { action: 'ssm:PutInventory', resource: '*' },
      { action: 'ssm:ListAssociations', resource: '*' },
      { action: 'ssm:GetDeployablePatchSnapshotForInstance', resource: '*' },
      { action: 'ssm:GetDocument', resource: patchDocument },
      { action: 'ssm:DescribeDocument', resource: patchDocument },
      ...['GetMessages', 'AcknowledgeMessage', 'SendReply', 'FailMessage', 'DeleteMessage', 'GetEndpoint'].map((action) => ({
        action: `ec2messages:${action}`,
        resource: '*',
        note: 'Run Command delivery',
      })),
      ...channels(SSM_SESSION),
      { action: 'kms:Decrypt', resource: deployment.model.keyArn(), context: { 'kms:CallerAccount': WHERE.accountId }, note: 'the session data key' },
      { action: 'logs:DescribeLogGroups', resource: '*' },
      { action: 'logs:CreateLogStream', resource: sessions.stream },
      { action: 'logs:PutLogEvents', resource: sessions.stream },
      { action: 'logs:DescribeLogStreams', resource: sessions.group },
      { action: 'logs:CreateLogStream', resource: patching.stream },
      { action: 'logs:PutLogEvents', resource: patching.stream },
      { action: 's3:GetEncryptionConfiguration', resource: archive, context: TLS },
      ...sseKmsUpload(deployment, archive, `session-manager/${SSM_SESSION}.log`, 'the session transcript'),
      ...sseKmsUpload(deployment, archive, `patching/install/0a1b2c3d/${INSTANCE_ID}/stdout`, 'the patch output'),
      // AWS-owned buckets: dnf and AWS-RunPatchBaseline read them through the S3 endpoint.
      ...awsOwned.map((bucket) => ({ action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/some/object`, context: TLS, note: bucket })),
    ],
    forbidden: [
      { action: 's3:GetObject', resource: `${archive}/session-manager/${SSM_SESSION}.log`, context: TLS, note: 'reading the archive' },
      { action: 's3:DeleteObject', resource: `${archive}/session-manager/${SSM_SESSION}.log`, context: TLS },
      { action: 's3:DeleteObjectVersion', resource: `${archive}/session-manager/${SSM_SESSION}.log`, context: TLS },
      { action: 's3:PutObject', resource: `${archive}/ecs-exec/x.log`, context: TLS, note: 'outside its prefixes' },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::payments-exports/dump.csv', context: TLS, note: 'a bucket it has no business with' },
      { action: 'logs:DeleteLogStream', resource: sessions.stream },
      { action: 'logs:PutLogEvents', resource: logStream(deployment, 'vpc-flow-logs', 'x').stream, note: 'another log group' },
      { action: 'kms:GenerateDataKey', resource: deployment.model.keyArn(), note: 'a data key for itself' },
      { action: 'ssm:SendCommand', resource: instance },
      { action: 'ssm:StartSession', resource: instance },
      { action: 'iam:PassRole', resource: `arn:aws:iam::${WHERE.accountId}:role/${role}` },
      { action: 'ec2:StopInstances', resource: instance },
    ],
  };
}

/** The maintenance window, with its role: AWS-RunPatchBaseline on the patch group only. */
function maintenanceWindow(deployment: Deployment): Agent {
  const role = deployment.names.resource('patch-window');
  const principal = roleSession('maintenance window role', WHERE, role, 'maintenance-window', deployment.model.rolePolicies(role));
  const instance = deployment.arn('ec2', `instance/${INSTANCE_ID}`);
  const patchGroup = { 'ssm:resourceTag/PatchGroup': 'ssm-bastion' };
  return {
    principal,
    calls: [
      { action: 'ssm:SendCommand', resource: deployment.arn('ssm', 'document/AWS-RunPatchBaseline', { account: '' }) },
      { action: 'ssm:SendCommand', resource: instance, context: patchGroup },
      { action: 'ssm:SendCommand', resource: archiveArn(deployment), note: 'the output bucket of the command' },
      { action: 'ssm:ListCommands', resource: '*' },
      { action: 'ssm:ListCommandInvocations', resource: '*' },
      { action: 'ssm:GetCommandInvocation', resource: '*' },
      { action: 'ssm:CancelCommand', resource: '*' },
      { action: 'tag:GetResources', resource: '*' },
    ],
    forbidden: [
      { action: 'ssm:SendCommand', resource: deployment.arn('ssm', 'document/AWS-RunShellScript', { account: '' }) },
      { action: 'ssm:SendCommand', resource: deployment.arn('ec2', 'instance/i-0fedcba9876543210'), context: { 'ssm:resourceTag/PatchGroup': 'payments' } },
      { action: 'iam:PassRole', resource: `arn:aws:iam::${WHERE.accountId}:role/${role}` },
      { action: 'ssm:StartSession', resource: instance, context: patchGroup },
    ],
  };
}

/** ECR creating a cached repository with the creation role of the repository creation template. */
function cacheRepositoryCreation(deployment: Deployment): Agent {
  const role = deployment.names.resource('ecr-cache-creation');
  const principal = roleSession('ECR repository creation role', WHERE, role, 'ecr', deployment.model.rolePolicies(role));
  const repository = deployment.arn('ecr', `repository/${deployment.names.pullThroughPrefix}/docker/library/debian`);
  return {
    principal,
    calls: [
      { action: 'ecr:CreateRepository', resource: repository },
      { action: 'ecr:TagResource', resource: repository },
    ],
    forbidden: [
      { action: 'ecr:CreateRepository', resource: deployment.arn('ecr', 'repository/payments/api') },
      { action: 'ecr:DeleteRepository', resource: repository },
    ],
  };
}

/** VPC Flow Logs delivering to the flow log group (a VPC this project creates only). */
function flowLogs(deployment: Deployment): Agent {
  const role = deployment.names.resource('vpc-flow-logs');
  const principal = roleSession('VPC Flow Logs role', WHERE, role, 'vpc-flow-logs', deployment.model.rolePolicies(role));
  const flow = logStream(deployment, 'vpc-flow-logs', 'eni-0123456789abcdef0-all');
  return {
    principal,
    calls: [
      { action: 'logs:DescribeLogGroups', resource: '*' },
      { action: 'logs:DescribeLogStreams', resource: flow.group },
      { action: 'logs:CreateLogStream', resource: flow.stream },
      { action: 'logs:PutLogEvents', resource: flow.stream },
    ],
    forbidden: [
      { action: 'logs:PutLogEvents', resource: logStream(deployment, 'sessions', 'forged').stream },
      { action: 'logs:DeleteLogGroup', resource: flow.group },
    ],
  };
}

function agentsOf(deployment: Deployment, existingVpc: boolean): Agent[] {
  if (deployment.stack === 'ecs-bastion') return [ecsTaskAgent(deployment), ecsExecutionAgent(deployment), cacheRepositoryCreation(deployment), ...(existingVpc ? [] : [flowLogs(deployment)])];
  return [ec2InstanceAgent(deployment), maintenanceWindow(deployment), ...(existingVpc ? [] : [flowLogs(deployment)])];
}

describe.each(DEPLOYMENTS)('agents and services of $label', ({ stack, input }) => {
  const deployment = deploymentOf(stack, input);
  const existingVpc = input.network?.mode === 'existing';
  const agents = agentsOf(deployment, existingVpc);

  it('covers every role of the stack', () => {
    const simulated = agents.map((agent) => agent.principal.context['aws:PrincipalArn'].split('/').pop());
    expect(simulated.sort()).toEqual(deployment.model.roleNames().sort());
  });

  it.each(agents.map((agent) => [agent.principal.label, agent] as const))('lets the %s make every call it makes', async (_label, agent) => {
    expect(await refused(deployment.model, agent.principal, agent.calls)).toEqual([]);
  });

  it.each(agents.map((agent) => [agent.principal.label, agent] as const))('refuses the %s what would touch the audit trail or reach beyond the bastion', async (_label, agent) => {
    expect(await allowed(deployment.model, agent.principal, agent.forbidden)).toEqual([]);
  });
});
