import { z } from 'zod';

// What Systems Manager accepts as a patch group name. It is also the value of the instance's and root volume's
// PatchGroup tag, and EC2 reserves "aws:" as a prefix of tag keys and values, like the configured tags (schema.ts):
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
const PATCH_GROUP = /^(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const REBOOT_OPTIONS = ['RebootIfNeeded', 'NoReboot'] as const;

const patching = z
  .strictObject({
    schedule: z
      .string()
      .default('cron(0 3 ? * SUN *)')
      .describe('Maintenance window schedule: a Systems Manager cron(...) or rate(...) expression, e.g. "cron(0 3 ? * SUN *)" (Sundays 03:00).'),
    timezone: z.string().default('UTC').describe('IANA time zone of the schedule, e.g. "Europe/Berlin".'),
    durationHours: z.number().int().min(1).max(24).default(3).describe('Length of the maintenance window in hours.'),
    cutoffHours: z.number().int().min(0).max(23).default(1).describe('Hours before the window ends when no new task starts.'),
    approveAfterDays: z
      .number()
      .int()
      .min(0)
      .max(360)
      .default(7)
      .describe('Days after release before a security (Critical, Important) or bugfix update is approved.'),
    rebootOption: z
      .enum(REBOOT_OPTIONS, { message: `must be ${REBOOT_OPTIONS.map((o) => `"${o}"`).join(' or ')}` })
      .default('RebootIfNeeded')
      .describe('What AWS-RunPatchBaseline does after installing patches: RebootIfNeeded, or NoReboot (patches stay pending until the next reboot).'),
    patchGroup: z
      .string()
      .regex(PATCH_GROUP, { message: 'must be 1 to 256 letters, digits, spaces or _ . : / = + - @, not starting with "aws:" (in any case: it is a tag value)' })
      .optional()
      .describe('Patch group name (the PatchGroup tag of the instance, bound to the custom baseline); as a tag value it may not start with "aws:". Default: `namePrefix`.'),
  })
  .describe('Patch Manager: baseline, maintenance window and compliance scan.');

/** The `ec2` section: the EC2 bastion of the ec2-bastion stack. */
export const ec2Schema = z
  .strictObject({
    instanceType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+(-[a-z0-9]+)?$/, { message: 'must be an EC2 instance type, e.g. "t4g.nano" or "m8g.metal-24xl"' })
      .default('t4g.nano')
      .describe('EC2 instance type; its architecture must match `architecture`.'),
    architecture: z
      .enum(['arm64', 'x86_64'], { message: 'must be "arm64" or "x86_64"' })
      .default('arm64')
      .describe('CPU architecture of the instance and its Amazon Linux 2023 AMI.'),
    rootVolumeSizeGiB: z.number().int().min(8).max(100).default(8).describe('Size of the encrypted gp3 root volume.'),
    sessionIdleTimeoutMinutes: z.number().int().min(1).max(60).default(20).describe('Session Manager idle timeout of the custom session document.'),
    createAccountSessionDocument: z
      .boolean()
      .default(false)
      .describe(
        'Also manage the account-wide SSM-SessionManagerRunShell document. Off: it usually exists already and Terraform would fail with DocumentAlreadyExists.',
      ),
    patching: patching.prefault({}),
  })
  .describe('The EC2 bastion (stack ec2-bastion).');
