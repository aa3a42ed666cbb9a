import { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import { SsmMaintenanceWindow } from '@cdktf/provider-aws/lib/ssm-maintenance-window';
import { SsmMaintenanceWindowTask } from '@cdktf/provider-aws/lib/ssm-maintenance-window-task';
import { SsmPatchBaseline } from '@cdktf/provider-aws/lib/ssm-patch-baseline';
import { amazonLinux2023RepositoryBucket, MAX_WINDOW_DESCRIPTION, patchingObjectArns, patchManagerBuckets, windowTargetDescription } from '../../modules/patching';
import { archiveBucket, expectCatalogActionsScopedWherePossible, grants, onlyResource, ref, roleStatements, statement, synthEc2, trustStatements } from '../ec2-bastion/support';

const WINDOW_ROLE = 'ssm-bastion-ec2-patch-window';

describe('Patch Manager for the EC2 bastion', () => {
  const { json, tf } = synthEc2();
  const window = onlyResource(tf, 'aws_ssm_maintenance_window');
  const target = onlyResource(tf, 'aws_ssm_maintenance_window_target');
  const task = onlyResource(tf, 'aws_ssm_maintenance_window_task');
  const baseline = onlyResource(tf, 'aws_ssm_patch_baseline');

  describe('baseline', () => {
    it('is a custom Amazon Linux 2023 baseline approving Critical/Important security updates and bugfixes after 7 days', () => {
      expect(json).toHaveResourceWithProperties(SsmPatchBaseline, {
        operating_system: 'AMAZON_LINUX_2023',
        approval_rule: [
          expect.objectContaining({
            approve_after_days: 7,
            patch_filter: [
              { key: 'CLASSIFICATION', values: ['Security'] },
              { key: 'SEVERITY', values: ['Critical', 'Important'] },
            ],
          }),
          expect.objectContaining({ approve_after_days: 7, patch_filter: [{ key: 'CLASSIFICATION', values: ['Bugfix'] }] }),
        ],
      });
    });

    it('takes the approval delay from ec2.patching.approveAfterDays for every rule', () => {
      const rules = onlyResource(synthEc2({ ec2: { patching: { approveAfterDays: 0 } } }).tf, 'aws_ssm_patch_baseline').body.approval_rule as {
        approve_after_days: number;
      }[];
      expect(rules.map((r) => r.approve_after_days)).toEqual([0, 0]);
    });

    it('reports a missing security update as CRITICAL non-compliance and a missing bugfix as MEDIUM', () => {
      const rules = baseline.body.approval_rule as { compliance_level: string; patch_filter: { key: string; values: string[] }[] }[];
      expect(rules.map((r) => [r.patch_filter[0]!.values[0], r.compliance_level])).toEqual([
        ['Security', 'CRITICAL'],
        ['Bugfix', 'MEDIUM'],
      ]);
    });

    it('approves no non-security update beyond the rules', () => {
      for (const rule of baseline.body.approval_rule as { enable_non_security?: boolean }[]) expect(rule.enable_non_security).not.toBe(true);
      expect(baseline.body.approved_patches).toBeUndefined();
    });

    it('is registered for the configured patch group', () => {
      const group = onlyResource(synthEc2({ ec2: { patching: { patchGroup: 'prod bastions' } } }).tf, 'aws_ssm_patch_group');
      expect(group.body.patch_group).toBe('prod bastions');
    });
  });

  describe('maintenance window', () => {
    it('runs on the configured schedule and time zone, for the configured duration and cutoff, on registered targets only', () => {
      // Schedule and zone are the variables patch_schedule / patch_timezone, defaulting to the configuration.
      expect(tf.variable!.patch_schedule.default).toBe('cron(0 3 ? * SUN *)');
      expect(tf.variable!.patch_timezone.default).toBe('UTC');
      expect(json).toHaveResourceWithProperties(SsmMaintenanceWindow, {
        schedule: '${var.patch_schedule}',
        schedule_timezone: '${var.patch_timezone}',
        duration: 3,
        cutoff: 1,
        allow_unassociated_targets: false,
        enabled: true,
      });
      const customTf = synthEc2({ ec2: { patching: { schedule: 'cron(30 1 ? * WED *)', timezone: 'Europe/Berlin', durationHours: 4, cutoffHours: 2 } } }).tf;
      const custom = onlyResource(customTf, 'aws_ssm_maintenance_window');
      expect(custom.body).toMatchObject({ duration: 4, cutoff: 2 });
      expect([customTf.variable!.patch_schedule.default, customTf.variable!.patch_timezone.default]).toEqual(['cron(30 1 ? * WED *)', 'Europe/Berlin']);
    });

    it('targets instances by their PatchGroup tag, never by instance id, so a replaced bastion stays targeted', () => {
      expect(target.body).toMatchObject({
        window_id: ref('aws_ssm_maintenance_window', window.name, 'id'),
        resource_type: 'INSTANCE',
        targets: [{ key: 'tag:PatchGroup', values: ['ssm-bastion'] }],
      });
      expect(JSON.stringify(target.body)).not.toContain('aws_instance');
    });

    it('names the patch group in the target description while it fits the 128 characters Systems Manager allows', () => {
      expect(target.body.description).toBe('Instances tagged PatchGroup=ssm-bastion');
      // A patch group may have 256 characters; the provider refuses the description at validate, and AWS at apply.
      const longest = onlyResource(synthEc2({ ec2: { patching: { patchGroup: 'p'.repeat(256) } } }).tf, 'aws_ssm_maintenance_window_target');
      const descriptions = [longest.body.description, window.body.description, task.body.description].map(String);
      for (const text of descriptions) expect(text.length).toBeLessThanOrEqual(MAX_WINDOW_DESCRIPTION);
      expect(longest.body.targets).toEqual([{ key: 'tag:PatchGroup', values: ['p'.repeat(256)] }]);
    });

    it('keeps the full target description up to exactly 128 characters, and shortens it from 129', () => {
      // "Instances tagged PatchGroup=" has 28 characters: a 100-character group fills the 128 exactly.
      expect(windowTargetDescription('g'.repeat(100))).toBe(`Instances tagged PatchGroup=${'g'.repeat(100)}`);
      expect(windowTargetDescription('g'.repeat(100))).toHaveLength(MAX_WINDOW_DESCRIPTION);
      expect(windowTargetDescription('g'.repeat(101))).toBe("Instances tagged with the bastion's PatchGroup (see the patch_group output)");
    });

    it('is not counted: it costs nothing and keeps its id while the bastion is parked', () => {
      expect(window.body.count).toBeUndefined();
      expect(target.body.count).toBeUndefined();
      expect(task.body.count).toBeUndefined();
    });
  });

  describe('install task', () => {
    it('runs AWS-RunPatchBaseline with Operation=Install and the configured reboot option, one instance and one error at a time', () => {
      expect(json).toHaveResourceWithProperties(SsmMaintenanceWindowTask, {
        task_type: 'RUN_COMMAND',
        task_arn: 'AWS-RunPatchBaseline',
        max_concurrency: '1',
        max_errors: '1',
        task_invocation_parameters: {
          run_command_parameters: expect.objectContaining({
            parameter: [
              { name: 'Operation', values: ['Install'] },
              { name: 'RebootOption', values: ['RebootIfNeeded'] },
            ],
          }),
        },
      });
      // The delivery timeout: a command the instance cannot start within 10 minutes (stopped, agent offline) fails
      // and shows in the window's history, instead of waiting into the window's cutoff. AWS takes 30 to 2,592,000.
      expect(task.body.task_invocation_parameters).toMatchObject({ run_command_parameters: { timeout_seconds: 600 } });
      const noReboot = onlyResource(synthEc2({ ec2: { patching: { rebootOption: 'NoReboot' } } }).tf, 'aws_ssm_maintenance_window_task');
      expect(JSON.stringify(noReboot.body)).toContain('{"name":"RebootOption","values":["NoReboot"]}');
    });

    it('sends command output to the encrypted patch log group and the archive under patching/', () => {
      const bucket = archiveBucket(tf);
      const parameters = (task.body.task_invocation_parameters as { run_command_parameters: Record<string, unknown> }).run_command_parameters;
      expect(parameters.cloudwatch_config).toEqual({
        cloudwatch_output_enabled: true,
        cloudwatch_log_group_name: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^.]+\.name\}$/),
      });
      const groupName = /aws_cloudwatch_log_group\.([^.]+)\.name/.exec(
        String((parameters.cloudwatch_config as Record<string, string>).cloudwatch_log_group_name),
      )![1];
      expect(tf.resource!.aws_cloudwatch_log_group[groupName]).toMatchObject({ name: '/ssm-bastion/ec2/patching' });
      expect(parameters).toMatchObject({ output_s3_bucket: ref('aws_s3_bucket', bucket.name, 'bucket'), output_s3_key_prefix: 'patching/install' });
    });

    it('writes output to CloudWatch only when the archive is off', () => {
      const noArchive = onlyResource(synthEc2({ audit: { s3Archive: false } }).tf, 'aws_ssm_maintenance_window_task');
      const parameters = (noArchive.body.task_invocation_parameters as { run_command_parameters: Record<string, unknown> }).run_command_parameters;
      expect(parameters.output_s3_bucket).toBeUndefined();
      expect(parameters.cloudwatch_config).toMatchObject({ cloudwatch_output_enabled: true });
    });

    it('runs with its own maintenance window role', () => {
      const role = Object.entries(tf.resource!.aws_iam_role).find(([, r]) => r.name === WINDOW_ROLE)![0];
      expect(task.body.service_role_arn).toBe(ref('aws_iam_role', role, 'arn'));
    });
  });

  describe('maintenance window role', () => {
    const statements = roleStatements(tf, WINDOW_ROLE);
    const granted = grants(statements);

    it('is assumed by Systems Manager for this account only', () => {
      expect(trustStatements(tf, WINDOW_ROLE)).toEqual([
        expect.objectContaining({
          principals: [{ type: 'Service', identifiers: ['ssm.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] }],
        }),
      ]);
    });

    it('sends commands only with AWS-RunPatchBaseline, only to instances of the patch group, only with output to the archive', () => {
      const sendTo = granted.filter((g) => g.action === 'ssm:SendCommand').map((g) => g.resource);
      const bucket = archiveBucket(tf);
      expect(sendTo.sort()).toEqual(
        [
          'arn:aws:ssm:eu-west-1::document/AWS-RunPatchBaseline',
          'arn:aws:ec2:eu-west-1:123456789012:instance/*',
          ref('aws_s3_bucket', bucket.name, 'arn'),
        ].sort(),
      );
      expect(statement(statements, 'SendCommandsToThePatchGroupOnly').condition).toEqual([
        { test: 'StringEquals', variable: 'ssm:resourceTag/PatchGroup', values: ['ssm-bastion'] },
      ]);
    });

    it('cannot pass roles, run Automation, Lambda or Step Functions', () => {
      const services = new Set(granted.map((g) => g.action.split(':')[0]));
      expect([...services].sort()).toEqual(['ssm', 'tag']);
      expect(granted.map((g) => g.action)).not.toContain('ssm:StartAutomationExecution');
    });

    it('names only catalog actions, and "*" only for actions that cannot be scoped', async () => {
      await expectCatalogActionsScopedWherePossible(statements);
    });
  });

  describe('compliance scan', () => {
    it('is a daily State Manager association of AWS-RunPatchBaseline with Operation=Scan on the PatchGroup tag', () => {
      expect(json).toHaveResourceWithProperties(SsmAssociation, {
        name: 'AWS-RunPatchBaseline',
        schedule_expression: 'rate(1 day)',
        parameters: { Operation: 'Scan' },
        targets: [{ key: 'tag:PatchGroup', values: ['ssm-bastion'] }],
      });
    });

    it('archives its output under patching/scan, or only reports compliance when the archive is off', () => {
      const bucket = archiveBucket(tf);
      expect(onlyResource(tf, 'aws_ssm_association').body.output_location).toEqual({
        s3_bucket_name: ref('aws_s3_bucket', bucket.name, 'bucket'),
        s3_key_prefix: 'patching/scan',
      });
      expect(onlyResource(synthEc2({ audit: { s3Archive: false } }).tf, 'aws_ssm_association').body.output_location).toBeUndefined();
    });
  });

  describe('AWS-owned buckets read while patching', () => {
    it('knows the regional Amazon Linux 2023 repository bucket', () => {
      expect(amazonLinux2023RepositoryBucket('eu-central-1')).toBe('al2023-repos-eu-central-1-de612dc2');
    });

    it('uses the documented snapshot and Patch Manager bucket names, including regions with a unique suffix', () => {
      expect(patchManagerBuckets('us-east-1').map((b) => b.name)).toEqual([
        'patch-baseline-snapshot-us-east-1',
        'aws-ssm-us-east-1',
        'aws-patch-manager-us-east-1-1970c647d',
      ]);
      expect(patchManagerBuckets('af-south-1').map((b) => b.name)).toContain('patch-baseline-snapshot-af-south-1-tbxdb5b9');
      expect(patchManagerBuckets('eu-south-2').map((b) => b.name)).toContain('patch-baseline-snapshot-eu-south-2-df2c9d70');
    });

    it('falls back to the documented general names in a region without a table entry', () => {
      expect(patchManagerBuckets('cn-north-1').map((b) => b.name)).toEqual(['patch-baseline-snapshot-cn-north-1', 'aws-ssm-cn-north-1']);
      expect(patchingObjectArns('aws-cn', 'cn-north-1')).toContain('arn:aws-cn:s3:::aws-ssm-cn-north-1/*');
    });

    it('leaves out the buckets the bastion does not use (Windows, macOS, Distributor, agent updates)', () => {
      const names = patchingObjectArns('aws', 'eu-west-1').join(' ');
      for (const unused of ['aws-windows-downloads', 'aws-patchmanager-macos', 'birdwatcher', 'aws-ssm-document-attachments', 'amazon-ssm-']) {
        expect(names).not.toContain(unused);
      }
    });
  });
});
