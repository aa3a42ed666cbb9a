/**
 * ECS Exec readiness: what aws-containers/amazon-ecs-exec-checker (check-ecs-exec.sh) verifies against a running
 * task, verified here against the synthesized stack so a deployment cannot start out failing it. One test per
 * checker item, named after it. Where the checker simulates IAM (`iam simulate-principal-policy`), the tests
 * evaluate the synthesized statements the same way: an unconditional Allow whose action and resource patterns
 * match what the checker asks for.
 */
import type {} from 'cdktf/lib/testing/adapters/jest';
import { resourcesOfType } from '../support/synth';
import {
  allows,
  containerDefinitions,
  managedPolicyStatements,
  onlyResource,
  ref,
  resourceWhere,
  roleStatements,
  statement,
  synthEcs,
  TARGETS,
} from './support';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const CLUSTER = 'ssm-bastion-ecs';
// Any task of the cluster, as the checker names it in its simulations.
const A_TASK = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${CLUSTER}/0123456789abcdef0123456789abcdef`;

interface ExecConfiguration {
  kms_key_id?: string;
  logging?: string;
  log_configuration?: {
    cloud_watch_log_group_name?: string;
    cloud_watch_encryption_enabled?: boolean;
    s3_bucket_name?: string;
    s3_bucket_encryption_enabled?: boolean;
    s3_key_prefix?: string;
  };
}

describe.each([
  ['with the session archive', true],
  ['without the session archive (audit.s3Archive false)', false],
])('ECS Exec readiness %s', (_label, archive) => {
  const { tf } = synthEcs({ targets: TARGETS, audit: { s3Archive: archive } });
  const cluster = onlyResource(tf, 'aws_ecs_cluster').body;
  const exec = (cluster.configuration as { execute_command_configuration: ExecConfiguration }).execute_command_configuration;
  const logTargets = exec.log_configuration ?? {};
  const task = onlyResource(tf, 'aws_ecs_task_definition').body;
  const service = onlyResource(tf, 'aws_ecs_service').body;
  const containers = containerDefinitions(tf);
  const kms = onlyResource(tf, 'aws_kms_key');
  const taskRole = resourceWhere(tf, 'aws_iam_role', 'name', 'ssm-bastion-ecs-task');
  const taskRoleStatements = roleStatements(tf, 'ssm-bastion-ecs-task');
  const operator = managedPolicyStatements(tf, 'ssm-bastion-ecs-operator');

  /** The resource a `${<type>.<name>.<attribute>}` reference in the cluster configuration points to. */
  function referenced(reference: string | undefined): { type: string; name: string; body: Record<string, unknown> } {
    const match = /^\$\{([a-z0-9_]+)\.([^.]+)\.[a-z_]+\}$/.exec(reference ?? '');
    if (!match) throw new Error(`not a resource reference: ${reference}`);
    return { type: match[1], name: match[2], body: resourcesOfType(tf, match[1])[match[2]] };
  }

  it('Cluster Configuration: KMS Key is the audit key', () => {
    expect(exec.kms_key_id).toBe(ref('aws_kms_key', kms.name, 'arn'));
  });

  it('Cluster Configuration: Audit Logging is OVERRIDE (not NONE, not DEFAULT)', () => {
    expect(exec.logging).toBe('OVERRIDE');
  });

  it('Cluster Configuration: CW Log Group is set, Encryption Enabled, and the group is KMS-encrypted with retention', () => {
    expect(logTargets.cloud_watch_encryption_enabled).toBe(true);
    const group = referenced(logTargets.cloud_watch_log_group_name);
    expect(group.type).toBe('aws_cloudwatch_log_group');
    expect(group.body.kms_key_id).toBe(ref('aws_kms_key', kms.name, 'arn'));
    // The stack variable log_retention_days, validated to the periods CloudWatch accepts.
    expect(group.body.retention_in_days).toBe('${var.log_retention_days}');
  });

  it(`Cluster Configuration: S3 Bucket Name ${archive ? 'is the encrypted archive, Encryption Enabled, Key Prefix ecs-exec/' : 'is not configured'}`, () => {
    if (!archive) {
      expect(logTargets.s3_bucket_name).toBeUndefined();
      expect(logTargets.s3_bucket_encryption_enabled).toBeUndefined();
      return;
    }
    expect(logTargets.s3_bucket_encryption_enabled).toBe(true);
    expect(logTargets.s3_key_prefix).toBe('ecs-exec/');
    const bucket = referenced(logTargets.s3_bucket_name);
    expect(bucket.type).toBe('aws_s3_bucket');
    const encryption = Object.values(resourcesOfType(tf, 'aws_s3_bucket_server_side_encryption_configuration')).find(
      (e) => e.bucket === ref('aws_s3_bucket', bucket.name, 'id'),
    );
    expect(encryption?.rule).toEqual([
      expect.objectContaining({
        apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: 'aws:kms', kms_master_key_id: ref('aws_kms_key', kms.name, 'arn') }),
      }),
    ]);
  });

  it('Can I ExecuteCommand?: ecs:ExecuteCommand (for the bastion container) and kms:GenerateDataKey are granted by the operator policy', () => {
    const execute = statement(operator, 'ExecIntoTheBastionContainerOnly');
    expect(execute.actions).toEqual(['ecs:ExecuteCommand']);
    expect(execute.resources?.some((r) => allows([{ actions: ['ecs:ExecuteCommand'], resources: [r] }], 'ecs:ExecuteCommand', A_TASK))).toBe(true);
    expect(execute.condition).toEqual([{ test: 'StringEquals', variable: 'ecs:container-name', values: ['bastion'] }]);
    expect(allows(operator, 'kms:GenerateDataKey', exec.kms_key_id)).toBe(true);
  });

  it('Can I ExecuteCommand?: ssm:StartSession on the task is only allowed with the port-forwarding documents (SessionDocumentAccessCheck)', () => {
    // The checker flags ssm:StartSession on the task (yellow) because a plain SSM shell would bypass the ECS
    // Exec transcript. Port forwarding needs it; the document check confines it to the forwarding documents.
    const startSession = operator.filter((s) => s.actions?.includes('ssm:StartSession'));
    expect(startSession).toHaveLength(1);
    expect(startSession[0].condition).toEqual([{ test: 'BoolIfExists', variable: 'ssm:SessionDocumentAccessCheck', values: ['true'] }]);
    const documents = (startSession[0].resources ?? []).filter((r) => r.includes(':document/'));
    expect(documents.map((d) => d.split('/').pop()).sort()).toEqual(['AWS-StartPortForwardingSession', 'AWS-StartPortForwardingSessionToRemoteHost']);
    expect(allows(operator, 'ssm:StartSession', A_TASK)).toBe(false);
  });

  it('Launch Type: Fargate', () => {
    expect(task.requires_compatibilities).toEqual(['FARGATE']);
    expect(service.capacity_provider_strategy).toEqual([expect.objectContaining({ capacity_provider: 'FARGATE' })]);
    expect(service.launch_type).toBeUndefined();
  });

  it('Platform Version: LATEST (ECS Exec needs 1.4.0 or later)', () => {
    expect(service.platform_version).toBe('LATEST');
  });

  it('Exec Enabled for Task: the service starts tasks with enable_execute_command', () => {
    expect(service.enable_execute_command).toBe(true);
  });

  it('Init Process Enabled: on for every container', () => {
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) expect(container.linuxParameters).toEqual(expect.objectContaining({ initProcessEnabled: true }));
  });

  it('Read-Only Root Filesystem: disabled for every container (ECS Exec needs a writable root)', () => {
    for (const container of containers) expect(container.readonlyRootFilesystem).not.toBe(true);
  });

  it('EC2 or Task Role: the task definition has a task role', () => {
    expect(task.task_role_arn).toBe(ref('aws_iam_role', taskRole.name, 'arn'));
  });

  it('Task Role Permissions: ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel, OpenDataChannel', () => {
    for (const action of ['CreateControlChannel', 'CreateDataChannel', 'OpenControlChannel', 'OpenDataChannel']) {
      expect(allows(taskRoleStatements, `ssmmessages:${action}`)).toBe(true);
    }
  });

  it('Task Role Permissions: kms:Decrypt on the cluster key', () => {
    expect(allows(taskRoleStatements, 'kms:Decrypt', exec.kms_key_id)).toBe(true);
  });

  it(`Task Role Permissions: S3 ${archive ? 's3:PutObject on the key prefix and s3:GetEncryptionConfiguration on the bucket' : 'none, since no bucket is configured'}`, () => {
    if (!archive) {
      expect(taskRoleStatements.flatMap((s) => s.actions ?? []).filter((a) => a.startsWith('s3:'))).toEqual([]);
      return;
    }
    const bucketArn = (logTargets.s3_bucket_name ?? '').replace(/\.bucket\}$/, '.arn}');
    expect(allows(taskRoleStatements, 's3:PutObject', `${bucketArn}/${logTargets.s3_key_prefix}*`)).toBe(true);
    expect(allows(taskRoleStatements, 's3:GetEncryptionConfiguration', bucketArn)).toBe(true);
  });

  it('Task Role Permissions: CloudWatch Logs DescribeLogGroups, and CreateLogStream / DescribeLogStreams / PutLogEvents on the exec log group', () => {
    expect(allows(taskRoleStatements, 'logs:DescribeLogGroups')).toBe(true);
    const groupArn = (logTargets.cloud_watch_log_group_name ?? '').replace(/\.name\}$/, '.arn}');
    for (const action of ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents']) {
      expect(allows(taskRoleStatements, action, `${groupArn}:*`)).toBe(true);
    }
  });

  it('VPC Endpoints: com.amazonaws.<region>.ssmmessages exists in the VPC of the task', () => {
    const services = Object.values(resourcesOfType(tf, 'aws_vpc_endpoint')).map((e) => e.service_name);
    expect(services).toContain(`com.amazonaws.${REGION}.ssmmessages`);
  });

  it('Environment Variables: AWS_ACCESS_KEY, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not defined', () => {
    for (const container of containers) {
      const names = ((container.environment ?? []) as { name: string }[]).map((e) => e.name);
      const secrets = ((container.secrets ?? []) as { name: string }[]).map((e) => e.name);
      for (const variable of ['AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
        expect(names).not.toContain(variable);
        expect(secrets).not.toContain(variable);
      }
    }
  });

  it('pidMode: unset (no process namespace shared across containers or with the host)', () => {
    expect(task).not.toHaveProperty('pid_mode');
    expect(task).not.toHaveProperty('ipc_mode');
  });
});
