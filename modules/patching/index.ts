import { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import { SsmMaintenanceWindow } from '@cdktf/provider-aws/lib/ssm-maintenance-window';
import { SsmMaintenanceWindowTarget } from '@cdktf/provider-aws/lib/ssm-maintenance-window-target';
import { SsmMaintenanceWindowTask } from '@cdktf/provider-aws/lib/ssm-maintenance-window-task';
import { SsmPatchBaseline } from '@cdktf/provider-aws/lib/ssm-patch-baseline';
import { SsmPatchGroup } from '@cdktf/provider-aws/lib/ssm-patch-group';
import { Construct } from 'constructs';
import type { PatchingConfig } from '../config';
import type { DeploymentContext } from '../context';
import { type PolicyStatement, ServiceRole } from '../iam';

export { amazonLinux2023RepositoryBucket, type AwsOwnedBucket, patchingObjectArns, patchManagerBuckets } from './buckets';

/** The tag Patch Manager reads the patch group from; this spelling (no space) also works in instance metadata. */
export const PATCH_GROUP_TAG = 'PatchGroup';
/** The AWS-owned Command document that scans and installs patches. */
export const RUN_PATCH_BASELINE = 'AWS-RunPatchBaseline';
/** Key prefix of patch command output in the session archive; the instance role may write below it. */
export const PATCH_OUTPUT_PREFIX = 'patching/';
/**
 * Systems Manager refuses a maintenance window (target, task) description over 128 characters, and a patch group
 * may have 256. https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTargetWithMaintenanceWindow.html
 */
export const MAX_WINDOW_DESCRIPTION = 128;

/** The window target's description: the tag it selects, or just the tag key when the patch group is too long to name. */
export function windowTargetDescription(patchGroup: string): string {
  const full = `Instances tagged ${PATCH_GROUP_TAG}=${patchGroup}`;
  return full.length <= MAX_WINDOW_DESCRIPTION ? full : `Instances tagged with the bastion's ${PATCH_GROUP_TAG} (see the patch_group output)`;
}

/** Where command output goes besides CloudWatch Logs. */
export interface PatchOutputArchive {
  /** Name of the archive bucket. */
  readonly bucketName: string;
  /** ARN of the archive bucket. */
  readonly bucketArn: string;
}

export interface PatchManagementProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** The `ec2.patching` configuration, with the patch group resolved. */
  readonly patching: PatchingConfig & { readonly patchGroup: string };
  /** Encrypted log group that receives the output of patch runs. */
  readonly outputLogGroupName: string;
  /**
   * S3 archive for the output of patch runs and scans.
   * @default - output goes to CloudWatch Logs only
   */
  readonly archive?: PatchOutputArchive;
}

/**
 * Patch Manager for the EC2 bastion: a custom Amazon Linux 2023 baseline bound to the patch group, a maintenance
 * window that installs approved patches on every instance tagged with the group, and a daily compliance scan.
 * Everything targets the PatchGroup tag, never an instance id, so a replaced bastion stays covered.
 *
 * No release pinning is needed for the instance to move past its AMI: an AL2023 instance is locked to its AMI's
 * repository version, but Patch Manager scans and installs from the latest repository versions whatever that lock
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-linux-rules.html#linux-rules-amazon-linux).
 */
export class PatchManagement extends Construct {
  readonly baselineId: string;
  readonly patchGroup: string;
  readonly windowId: string;
  readonly windowTargetId: string;
  readonly windowTaskId: string;
  readonly windowRoleArn: string;
  readonly scanAssociationId: string;

  constructor(scope: Construct, id: string, props: PatchManagementProps) {
    super(scope, id);
    const { context, patching, archive } = props;
    const { names } = context;

    const baseline = new SsmPatchBaseline(this, 'baseline', {
      name: names.resource('al2023'),
      description: `${context.namePrefix}: security (Critical, Important) and bugfix updates ${patching.approveAfterDays} days after release`,
      operatingSystem: 'AMAZON_LINUX_2023',
      approvalRule: [
        {
          approveAfterDays: patching.approveAfterDays,
          complianceLevel: 'CRITICAL',
          enableNonSecurity: false,
          patchFilter: [
            { key: 'CLASSIFICATION', values: ['Security'] },
            { key: 'SEVERITY', values: ['Critical', 'Important'] },
          ],
        },
        {
          approveAfterDays: patching.approveAfterDays,
          complianceLevel: 'MEDIUM',
          enableNonSecurity: false,
          patchFilter: [{ key: 'CLASSIFICATION', values: ['Bugfix'] }],
        },
      ],
    });
    // Without this registration an instance in the group would silently be patched by the default baseline.
    const group = new SsmPatchGroup(this, 'patch-group', { baselineId: baseline.id, patchGroup: patching.patchGroup });
    this.baselineId = baseline.id;
    this.patchGroup = group.patchGroup;

    const window = new SsmMaintenanceWindow(this, 'window', {
      name: names.resource('patching'),
      description: `${context.namePrefix}: installs approved patches on the EC2 bastion`,
      schedule: patching.schedule,
      scheduleTimezone: patching.timezone,
      duration: patching.durationHours,
      cutoff: patching.cutoffHours,
      // Only instances registered as targets (by the PatchGroup tag) are ever patched by this window.
      allowUnassociatedTargets: false,
      enabled: true,
    });
    const tagTarget = [{ key: `tag:${PATCH_GROUP_TAG}`, values: [patching.patchGroup] }];
    const target = new SsmMaintenanceWindowTarget(this, 'window-target', {
      windowId: window.id,
      name: names.resource('bastion'),
      description: windowTargetDescription(patching.patchGroup),
      resourceType: 'INSTANCE',
      targets: tagTarget,
    });

    const role = new ServiceRole(this, 'window-role', {
      name: names.resource('patch-window'),
      description: 'Lets the bastion maintenance window run AWS-RunPatchBaseline on the patch group, and nothing else.',
      servicePrincipal: context.servicePrincipal('ssm'),
      trustConditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [context.accountId] }],
      statements: windowRoleStatements(context, patching.patchGroup, archive),
    });

    const task = new SsmMaintenanceWindowTask(this, 'window-task', {
      windowId: window.id,
      name: names.resource('install-patches'),
      description: `${RUN_PATCH_BASELINE} Install on the patch group`,
      taskType: 'RUN_COMMAND',
      taskArn: RUN_PATCH_BASELINE,
      priority: 1,
      // One bastion: one at a time, and stop at the first failure instead of rebooting into a broken state.
      maxConcurrency: '1',
      maxErrors: '1',
      serviceRoleArn: role.roleArn,
      targets: [{ key: 'WindowTargetIds', values: [target.id] }],
      taskInvocationParameters: {
        runCommandParameters: {
          comment: `${context.namePrefix}: patch install`,
          timeoutSeconds: 600,
          outputS3Bucket: archive?.bucketName,
          outputS3KeyPrefix: archive ? `${PATCH_OUTPUT_PREFIX}install` : undefined,
          cloudwatchConfig: { cloudwatchOutputEnabled: true, cloudwatchLogGroupName: props.outputLogGroupName },
          parameter: [
            { name: 'Operation', values: ['Install'] },
            { name: 'RebootOption', values: [patching.rebootOption] },
          ],
        },
      },
    });

    // Compliance between windows: a daily scan reports missing patches without installing anything.
    const scan = new SsmAssociation(this, 'scan', {
      name: RUN_PATCH_BASELINE,
      associationName: names.resource('patch-scan'),
      scheduleExpression: 'rate(1 day)',
      parameters: { Operation: 'Scan' },
      targets: tagTarget,
      maxConcurrency: '1',
      maxErrors: '1',
      outputLocation: archive ? { s3BucketName: archive.bucketName, s3KeyPrefix: `${PATCH_OUTPUT_PREFIX}scan` } : undefined,
    });

    this.windowId = window.id;
    this.windowTargetId = target.id;
    this.windowTaskId = task.id;
    this.windowRoleArn = role.roleArn;
    this.scanAssociationId = scan.associationId;
  }
}

/**
 * The maintenance window role, per the AWS base policy for maintenance window roles, cut down to Run Command
 * tasks: no Automation, Lambda or Step Functions, and no iam:PassRole (that is only for SNS notifications).
 */
function windowRoleStatements(context: DeploymentContext, patchGroup: string, archive?: PatchOutputArchive): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      sid: 'SendCommandsWithRunPatchBaselineOnly',
      actions: ['ssm:SendCommand'],
      // AWS-owned documents have no account in their ARN.
      resources: [context.arn('ssm', `document/${RUN_PATCH_BASELINE}`, { account: '' })],
    },
    {
      sid: 'SendCommandsToThePatchGroupOnly',
      actions: ['ssm:SendCommand'],
      resources: [context.arn('ec2', 'instance/*')],
      conditions: [{ test: 'StringEquals', variable: `ssm:resourceTag/${PATCH_GROUP_TAG}`, values: [patchGroup] }],
    },
    {
      // Run Command's command APIs have no resource-level permissions: they can only be granted on "*".
      sid: 'FollowAndCancelTheCommandsItSent',
      actions: ['ssm:ListCommands', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation', 'ssm:CancelCommand'],
      resources: ['*'],
    },
    {
      // The window resolves its tag target when it runs; tag:GetResources has no resource-level permissions.
      sid: 'ResolveTheTagTargetOfTheWindow',
      actions: ['tag:GetResources'],
      resources: ['*'],
    },
  ];
  if (archive) {
    statements.push({
      // SendCommand is authorized against the output bucket too when the command names one.
      sid: 'SendCommandsWithOutputToTheArchive',
      actions: ['ssm:SendCommand'],
      resources: [archive.bucketArn],
    });
  }
  return statements;
}
