import { Fn, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { AuditorPolicy } from '../auditor';
import { type BastionConfig, INSTANCE_SIZE_PATTERN, INSTANCE_TYPE_PATTERN, NOT_EBS_OPTIMIZABLE_PATTERN, type TargetConfig } from '../config';
import type { DeploymentContext } from '../context';
import { Ec2Bastion, OperatorPolicy, SESSION_OS_USER } from '../ec2-bastion';
import { PREFIX_TAG, STACK_TAG, TRANSCRIPTS } from '../naming';
import { amazonLinux2023RepositoryBucket, PatchManagement, patchingObjectArns, patchManagerBuckets } from '../patching';
import { forwardHost, HOST_PLACEHOLDER, portForwardParameters, SessionPreferences } from '../session-manager';
import { StackVariable } from '../hcl';
import { BastionFoundationStack, type BastionVariant } from './foundation';
import { stackOutput } from './outputs';

const STACK_NAME = 'ec2-bastion';

const ec2Variant: BastionVariant = {
  stackName: STACK_NAME,
  interfaceServices: ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms'],
  s3EndpointStatements: (context: DeploymentContext) => [
    {
      // dnf reads the Amazon Linux 2023 repositories of the region from this AWS-owned bucket.
      sid: 'AmazonLinux2023Repositories',
      actions: ['s3:GetObject'],
      resources: [`arn:${context.partition}:s3:::${amazonLinux2023RepositoryBucket(context.region)}/*`],
    },
    {
      // AWS-RunPatchBaseline downloads its modules and the baseline snapshot from these AWS-owned buckets.
      sid: 'PatchManagerModulesAndBaselineSnapshots',
      actions: ['s3:GetObject'],
      resources: patchManagerBuckets(context.region).map((bucket) => `arn:${context.partition}:s3:::${bucket.name}/*`),
    },
  ],
  // No extra key policy statement for EBS: the launching principal uses the key through IAM (the foundation's
  // root delegation) and EBS holds it through a grant for an AWS resource, which the foundation already allows.
};

// Graviton families carry a "g" right after the generation digit; a1 is the first Graviton. Mirrors
// architectureOfInstanceType and instanceTypeShapeProblem in the configuration checks, for the Terraform variable.
// Character classes instead of backslash escapes: the pattern passes through a JSON string and an HCL template.
// Sizes come from AWS's list (nano … 48xlarge, metal, metal-24xl), so a made-up type fails at plan, not at launch.
const ARM64_INSTANCE_TYPE = `^(a1|[a-z]+[0-9]+g[a-z0-9-]*)[.](${INSTANCE_SIZE_PATTERN})$`;
const X86_64_INSTANCE_TYPE = INSTANCE_TYPE_PATTERN;

/** One field of a cron expression that is not "?" (the RE2 of Terraform's regex(), with no backslash to escape). */
const CRON_FIELD = '[^ ()?]+';
/**
 * What patch_schedule accepts, as close to the configuration's scheduleProblem (modules/config/ec2-facts.ts) as
 * a regular expression gets: cron(...) with an optional seconds field (1-59), then six fields of which exactly
 * one of day-of-month and day-of-week is "?" (Systems Manager refuses both or neither at apply time), or
 * rate(...) with "1 <unit>" or "<n> <unit>s". Field ranges are the configuration's job; __tests__/config/ec2-facts.test.ts
 * checks that every schedule the configuration accepts passes here, and that these shapes are refused by both.
 */
const PATCH_SCHEDULE =
  `^(cron[(] *(0*([1-9]|[1-5][0-9]) +)?${CRON_FIELD} +${CRON_FIELD} +([?] +${CRON_FIELD} +${CRON_FIELD}|${CRON_FIELD} +${CRON_FIELD} +[?]) +${CRON_FIELD} *[)]` +
  '|rate[(]0*(1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))[)])$';

/** The `ec2-bastion` stack: the shared foundation plus an EC2 bastion, its session preferences and patching. */
export class Ec2BastionStack extends BastionFoundationStack {
  readonly bastion: Ec2Bastion;
  readonly sessionPreferences: SessionPreferences;
  readonly patching: PatchManagement;
  readonly operatorPolicy: OperatorPolicy;
  readonly auditorPolicy: AuditorPolicy;

  constructor(scope: Construct, config: BastionConfig) {
    super(scope, config, ec2Variant);
    const { context, audit } = this;
    const ec2 = this.operatorVariables(config);
    const archive = audit.bucketName && audit.bucketArn ? { bucketName: audit.bucketName, bucketArn: audit.bucketArn } : undefined;

    const sessionLogs = audit.logGroup('ec2-session-log-group', TRANSCRIPTS[STACK_NAME].logPurpose);
    const patchLogs = audit.logGroup('ec2-patch-log-group', 'patching');

    this.sessionPreferences = new SessionPreferences(this, 'session-preferences', {
      context,
      kmsKeyId: audit.kmsKeyId,
      logGroupName: sessionLogs.name,
      archiveBucketName: archive?.bucketName,
      idleSessionTimeoutMinutes: ec2.sessionIdleTimeoutMinutes,
      runAsUser: SESSION_OS_USER,
      manageAccountDocument: ec2.createAccountSessionDocument,
    });

    this.patching = new PatchManagement(this, 'patching', {
      context,
      patching: ec2.patching,
      outputLogGroupName: patchLogs.name,
      archive,
    });

    this.bastion = new Ec2Bastion(this, 'bastion', {
      context,
      ec2,
      patchGroup: this.patching.patchGroup,
      subnetIds: this.network.subnetIds,
      securityGroupId: this.securityGroups.bastionSecurityGroupId,
      kmsKeyArn: audit.kmsKeyArn,
      logGroupArns: [sessionLogs.arn, patchLogs.arn],
      archiveBucketArn: archive?.bucketArn,
      // The same buckets the S3 endpoint admits: signed requests also need the role's permission.
      awsOwnedObjectArns: patchingObjectArns(context.partition, context.region),
    });

    this.operatorPolicy = new OperatorPolicy(this, 'operator-policy', {
      context,
      sessionDocumentName: this.sessionPreferences.documentName,
      kmsKeyArn: audit.kmsKeyArn,
      instanceArn: this.bastion.instanceArn,
      // The provider's default tags put these on the instance; together they name this bastion only.
      bastionTags: { [PREFIX_TAG]: config.namePrefix, [STACK_TAG]: STACK_NAME },
    });

    this.auditorPolicy = new AuditorPolicy(this, 'auditor-policy', {
      context,
      kmsKeyArn: audit.kmsKeyArn,
      transcriptLogGroupName: sessionLogs.name,
      archive: audit.transcriptArchive(TRANSCRIPTS[STACK_NAME].s3Prefix),
      findsInstances: true,
    });

    this.outputs(config);
  }

  private outputs(config: BastionConfig): void {
    const { region } = config;
    const documentName = this.context.names.sessionDocument;
    stackOutput(this, 'instance_id', this.bastion.instanceId, 'Id of the EC2 bastion (null when parked with bastion_enabled=false).');
    stackOutput(
      this,
      'session_document_name',
      this.sessionPreferences.documentName,
      'Session document to pass with --document-name: logs the session to S3 and CloudWatch, encrypted with the audit key.',
    );
    stackOutput(this, 'maintenance_window_id', this.patching.windowId, 'Maintenance window that installs patches on the bastion.');
    stackOutput(this, 'patch_group', this.patching.patchGroup, 'Patch group (PatchGroup tag) bound to the custom Amazon Linux 2023 baseline.');
    stackOutput(
      this,
      'operator_policy_arn',
      this.operatorPolicy.policyArn,
      'Managed policy to attach to the operators: sessions and port forwarding on this bastion only.',
    );
    stackOutput(
      this,
      'auditor_policy_arn',
      this.auditorPolicy.policyArn,
      'Managed policy to attach to auditors: read-only session history, session transcripts (logs and archive) and CloudTrail events, for npx bastion sessions / transcript.',
    );
    stackOutput(
      this,
      'shell_command',
      commandFor(this.bastion.instanceIds, `aws ssm start-session --target %s --document-name ${documentName} --region ${region}`),
      'Opens a logged shell on the bastion (null when parked).',
    );
    // A target whose host is unknown (a range, no `host`) gets no command: it could not run as written.
    const forwards = config.targets.filter((target) => forwardHost(target) !== HOST_PLACEHOLDER);
    stackOutput(
      this,
      'port_forward_commands',
      Object.fromEntries(forwards.map((target) => [target.name, commandFor(this.bastion.instanceIds, portForwardCommand(target, region))])),
      'Per target with a host (or a /32 cidr): forwards localhost:<port> (10000 + port below 1024) through the bastion (null when parked). Then point the client (psql, DBeaver, pgAdmin, …) at localhost.',
    );
  }

  /**
   * The settings a Terraform-only team changes without re-synthesizing, as validated variables defaulting to
   * the configuration: instance type (its architecture must stay that of the AMI) and the patch schedule.
   */
  private operatorVariables(config: BastionConfig): BastionConfig['ec2'] {
    const { ec2 } = config;
    const arm = ec2.architecture === 'arm64';
    const instanceType = new StackVariable(this, 'ec2_instance_type', {
      type: 'string',
      default: ec2.instanceType,
      nullable: false,
      description: `EC2 instance type of the bastion; must be an ${ec2.architecture} type like the AMI (${arm ? 'Graviton: t4g, m7g, …' : 't3, m7i, c7a, …'}).`,
      validation: [
        {
          condition: arm
            ? `\${can(regex("${ARM64_INSTANCE_TYPE}", var.ec2_instance_type))}`
            : `\${can(regex("${X86_64_INSTANCE_TYPE}", var.ec2_instance_type)) && !can(regex("${ARM64_INSTANCE_TYPE}", var.ec2_instance_type)) && !can(regex("${NOT_EBS_OPTIMIZABLE_PATTERN}", var.ec2_instance_type)) && !startswith(var.ec2_instance_type, "mac")}`,
          errorMessage: `ec2_instance_type must be an ${ec2.architecture} instance type such as ${arm ? 't4g.nano' : 't3.nano'} (the AMI is ${ec2.architecture}; t1 and t2 cannot be EBS-optimized).`,
        },
      ],
    });
    const schedule = new StackVariable(this, 'patch_schedule', {
      type: 'string',
      default: ec2.patching.schedule,
      nullable: false,
      description: 'Schedule of the patch maintenance window: a Systems Manager cron(...) or rate(...) expression.',
      validation: [
        {
          condition: `\${can(regex("${PATCH_SCHEDULE}", var.patch_schedule))}`,
          errorMessage:
            'patch_schedule must be a cron(...) or rate(...) expression: cron with exactly one of day-of-month and day-of-week set to "?", ' +
            'rate with "1 day" or "N days" (minutes, hours alike), e.g. "cron(0 3 ? * SUN *)" or "rate(7 days)".',
        },
      ],
    });
    const timezone = new StackVariable(this, 'patch_timezone', {
      type: 'string',
      default: ec2.patching.timezone,
      nullable: false,
      description: 'IANA time zone of the patch schedule, e.g. "UTC" or "Europe/Berlin".',
      validation: [
        {
          condition: '${can(regex("^(UTC|[A-Z][A-Za-z_-]+(/[A-Za-z0-9_+-]+){1,2})$", var.patch_timezone))}',
          errorMessage: 'patch_timezone must be an IANA time zone name such as "UTC" or "Europe/Berlin".',
        },
      ],
    });
    return {
      ...ec2,
      instanceType: instanceType.stringValue,
      patching: { ...ec2.patching, schedule: schedule.stringValue, timezone: timezone.stringValue },
    };
  }
}

/** `aws ssm start-session` forwarding localhost:<port> to the target's host and port through the bastion. */
function portForwardCommand(target: TargetConfig, region: string): string {
  return `aws ssm start-session --target %s --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '${portForwardParameters(target)}' --region ${region}`;
}

/** The command with the instance id filled in, or null when there is no instance (parked). */
function commandFor(instanceIds: string[], format: string): string {
  return Token.asString(Fn.one(Fn.formatlist(Fn.rawString(format), [instanceIds])));
}
