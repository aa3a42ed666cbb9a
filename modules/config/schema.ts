import { z } from 'zod';
import { PROVIDER_ENDPOINT_KEYS } from './provider-endpoints';
import { ec2Schema } from './schema-ec2';
import { ecsSchema } from './schema-ecs';

/**
 * The configuration contract of ssm-bastion (`bastion.config.json`).
 *
 * This zod schema is the single source of truth: the code validates with it and
 * `bastion.config.schema.json` (for editor completion) is generated from it by
 * `npm run schema`. Every object is strict, so a misspelt key is an error instead
 * of a silently ignored setting. Values that depend on other values (the default
 * availability zones depend on the region) are filled in by `resolveConfig`.
 */

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). 0 = never expire is deliberately not offered. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const STACK_NAMES = ['ecs-bastion', 'ec2-bastion'] as const;
export type StackName = (typeof STACK_NAMES)[number];

/** Stands for the stack name in `backend.path`. */
export const STACK_PLACEHOLDER = '{stack}';
/** Where local state lives by default, relative to the project root. */
export const LOCAL_STATE_PATH = `terraform.${STACK_PLACEHOLDER}.tfstate`;

// "-gov" only after "us" (the GovCloud regions are us-gov-west-1 and us-gov-east-1): "eu-gov-west-1" passed as a
// commercial region and failed the plan ("invalid AWS Region").
// https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud.html
const REGION = /^(us-gov|us|eu|ap|sa|ca|me|af|il|mx|cn)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;
// namePrefix feeds S3 bucket, IAM role, ECS cluster, SSM document and log group names. Bucket names are the
// strictest (lowercase letters, digits, hyphens); 3..24 characters leaves room for the longest suffix we append
// ("-access-<account>-<region>") within S3's 63-character limit. Reserved prefixes are checked per name.
const NAME_PREFIX = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;
const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const ROUTE_TABLE_ID = /^rtb-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;
const TARGET_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/;
// A DNS name (RDS / ElastiCache / OpenSearch endpoint) or an IPv4 address.
const HOST = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
// AWS reserves "aws:" in any case ("AWS:", "Aws:") as a prefix of keys and values: the ECS TagResource reference,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html
const TAG_KEY = /^(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
/** Tag keys the stacks set on every resource, over the configured tags (a user value would be lost). */
export const RESERVED_TAG_KEYS = ['Name', 'ManagedBy'] as const;
export const RESERVED_TAG_PREFIX = 'ssm-bastion:';
// Every IAM role of the stacks carries the configured tags and the stacks' own. IAM compares the tag keys of roles
// ignoring case ("you cannot have separate Department and department tag keys") and refuses CreateRole with two keys
// that differ only in case, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#case-sensitivity
const IAM_TAG_CASE = 'IAM compares the tag keys of the stacks\' roles ignoring case: it would refuse to create them (duplicate tag keys)';

function isStackTagKeyInAnotherCase(key: string): boolean {
  const lower = key.toLowerCase();
  return RESERVED_TAG_KEYS.some((reserved) => reserved !== key && reserved.toLowerCase() === lower) || (lower.startsWith(RESERVED_TAG_PREFIX) && !key.startsWith(RESERVED_TAG_PREFIX));
}

const S3_KEY_MAX_BYTES = 1024;

/** The S3 object key of a stack's state under the configured key prefix (a trailing "/" of the prefix is dropped). */
export function stateKey(prefix: string, stack: StackName): string {
  return `${prefix.replace(/\/+$/, '')}/${stack}.tfstate`;
}

const id = (pattern: RegExp, what: string, example: string) =>
  z.string().regex(pattern, { message: `must be ${what}, e.g. "${example}"` });

const networkCreate = z
  .strictObject({
    mode: z.literal('create').describe('Create a new VPC with private subnets only (no internet gateway, no NAT).'),
    cidr: id(IPV4_CIDR, 'an IPv4 CIDR block between /16 and /24 in a private range', '10.42.0.0/16')
      .default('10.42.0.0/16')
      .describe('IPv4 CIDR of the new VPC, /16 to /24, in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10.'),
    availabilityZones: z
      .array(z.string())
      .min(1, { message: 'must list at least one availability zone' })
      .max(6, { message: 'must list at most 6 availability zones' })
      .optional()
      .describe(
        'Availability zones for the private subnets, one subnet each, by name ("eu-west-1a") or by zone id ("use1-az1"), not both; they must belong to `region`. Default: two zones of the region, written explicitly so no lookup is needed (by zone id in us-east-1, us-west-1, ap-northeast-1 and cn-north-1, where letters map to different zones per account, use1-az3 lacks newer instance types and Fargate skips some zones).',
      ),
  })
  .describe('A new VPC.');

const networkExisting = z
  .strictObject({
    mode: z.literal('existing').describe('Deploy into a VPC you already have (where your database lives).'),
    vpcId: id(VPC_ID, 'a VPC id', 'vpc-0123456789abcdef0').describe('Id of the existing VPC.'),
    subnetIds: z
      .array(id(SUBNET_ID, 'a subnet id', 'subnet-0123456789abcdef0'))
      .min(1, { message: 'must list at least one private subnet id' })
      .describe('Private subnets of that VPC for the bastion and the interface endpoints (one per availability zone; at most 16 for ecs-bastion, the most an ECS service takes).'),
    routeTableIds: z
      .array(id(ROUTE_TABLE_ID, 'a route table id', 'rtb-0123456789abcdef0'))
      .default([])
      .describe('Route tables of those subnets; an S3 gateway endpoint this stack creates is attached to them. Required when `endpoints.s3` is "create".'),
    natGateway: z
      .boolean()
      .default(false)
      .describe(
        'Whether the subnets have a route to the internet through a NAT gateway. Needed for an endpoint group set to "none"; the bastion then gets HTTPS egress to any address.',
      ),
  })
  .describe('An existing VPC.');

/** How the bastion reaches one group of AWS services from its subnets. */
export const ENDPOINT_MODES = ['create', 'existing', 'none'] as const;
export type EndpointMode = (typeof ENDPOINT_MODES)[number];
/** The endpoint groups of the configuration: four of interface endpoints, and the S3 gateway endpoint. */
export const ENDPOINT_GROUPS = ['ssm', 'ecr', 'logs', 'kms', 's3'] as const;
export type EndpointGroup = (typeof ENDPOINT_GROUPS)[number];

const MODES_TEXT =
  '"create" (this stack creates it), "existing" (the VPC already has it: nothing is created and the bastion uses it) or "none" (not needed: the subnets reach AWS through a NAT gateway)';

/**
 * One endpoint group. Booleans are the form of the first releases and keep their meaning: true = "create",
 * false = "none" (turned off, which needs network.natGateway).
 */
const endpointMode = (what: string) =>
  z
    .union([z.enum(ENDPOINT_MODES), z.boolean()], { error: `must be ${MODES_TEXT} (true and false still mean "create" and "none")` })
    .transform((value): EndpointMode => (value === true ? 'create' : value === false ? 'none' : value))
    .optional()
    .describe(`${what}: ${MODES_TEXT}. true/false (older configurations) mean "create"/"none".`);

const endpoints = z
  .strictObject({
    ssm: endpointMode('Interface endpoints for Session Manager: ssm, ssmmessages and ec2messages (the ECS bastion uses ssmmessages only). Default "create"'),
    ecr: endpointMode('Interface endpoints for ecr.api and ecr.dkr (image pulls of the ECS bastion). Default "create"'),
    logs: endpointMode('Interface endpoint for CloudWatch Logs (session, container and patch logs). Default "create"'),
    kms: endpointMode('Interface endpoint for KMS (session encryption, encrypted logs). Default "create"'),
    s3: endpointMode(
      'S3 gateway endpoint (image layers, session archive, patch repositories; free of charge). Default "create" in a new VPC, "existing" in an existing VPC (most already have one, and a route table takes only one)',
    ),
    singleAz: z
      .boolean()
      .default(false)
      .describe('Put the interface endpoints this stack creates in the first subnet only: half the cost, no zone redundancy.'),
  })
  .describe(
    'How the bastion reaches the AWS APIs from subnets with no NAT: per group of VPC endpoints, create them, use the ones the VPC already has, or none (NAT). Each interface endpoint costs money per hour and AZ.',
  );

/**
 * Names of the bastion security group's own rules (`bastion-to-<name>`, `<name>-from-bastion`), which a target's
 * rules would collide with; __tests__/security-groups checks the list against the rules the stacks write.
 */
export const RESERVED_TARGET_NAMES = ['endpoints', 'existing-endpoints', 's3', 's3-http', 'aws-apis'] as const;

const target = z
  .strictObject({
    name: id(TARGET_NAME, 'lowercase letters, digits and hyphens, starting with a letter, at most 32 characters', 'aurora')
      .refine((name) => !(RESERVED_TARGET_NAMES as readonly string[]).includes(name), {
        message: `is the name of one of the bastion's own security group rules (${RESERVED_TARGET_NAMES.join(', ')}): choose another`,
      })
      .describe('Short name of the target, used in rule descriptions, outputs and `bastion connect --target`.'),
    port: z
      .number()
      .int({ message: 'must be a whole number' })
      .min(1, { message: 'must be a port from 1 to 65535' })
      .max(65535, { message: 'must be a port from 1 to 65535' })
      .describe('TCP port the bastion may reach on the target.'),
    securityGroupId: id(SECURITY_GROUP_ID, 'a security group id', 'sg-0123456789abcdef0')
      .optional()
      .describe('Security group of the target (RDS, Aurora, ElastiCache, OpenSearch…). Exactly one of securityGroupId / cidr.'),
    cidr: id(IPV4_CIDR, 'an IPv4 CIDR block', '10.0.8.0/24')
      .optional()
      .describe('IPv4 range of the target, a /8 or narrower. Exactly one of securityGroupId / cidr.'),
    host: id(HOST, 'a DNS name or IPv4 address', 'mydb.cluster-abc123.eu-west-1.rds.amazonaws.com')
      .optional()
      .describe('Host name to forward to (e.g. the RDS endpoint); used in the ready-to-paste port-forward commands.'),
    addIngressRule: z
      .boolean()
      .default(true)
      .describe(
        'With securityGroupId: also add an ingress rule on the target security group admitting the bastion on `port`. Turn off when another team owns that group.',
      ),
  })
  .describe('A resource the bastion may reach.');

const audit = z
  .strictObject({
    logRetentionDays: z
      .literal(LOG_RETENTION_DAYS, {
        message: `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(365)
      .describe('Retention of every log group, in days (a value CloudWatch Logs accepts).'),
    s3Archive: z
      .boolean()
      .default(true)
      .describe('Keep session transcripts and command output in an encrypted, versioned S3 bucket as well.'),
  })
  .describe('The encrypted audit trail: KMS key, log groups and the S3 session archive.');

const provider = z
  .strictObject({
    endpoints: z
      .record(
        z.string().refine((key) => PROVIDER_ENDPOINT_KEYS.has(key), {
          message: 'must be a service name of the AWS provider\'s endpoints block, e.g. "s3", "sts", "ec2" (see its custom-service-endpoints guide)',
        }),
        z
          .url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. "http://localhost:4566"' })
          // Terraform reads every string of the JSON provider block as a template, so "%{if …}" changes the URL
          // (https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping).
          .refine((url) => !/[$%]\{/.test(url), { message: 'must be a plain URL: "${" or "%{" would be read by Terraform as an expression or a template directive' }),
      )
      .optional()
      .describe('Custom service endpoints of the AWS provider (e.g. LocalStack): service name → URL.'),
    skipCredentialsValidation: z.boolean().optional().describe('Provider skip_credentials_validation.'),
    skipRequestingAccountId: z.boolean().optional().describe('Provider skip_requesting_account_id.'),
    skipMetadataApiCheck: z.boolean().optional().describe('Provider skip_metadata_api_check.'),
    skipRegionValidation: z.boolean().optional().describe('Provider skip_region_validation.'),
  })
  .describe('Settings passed to the AWS provider (LocalStack users and offline plans set these).');

const backend = z.discriminatedUnion('type', [
  z
    .strictObject({
      type: z.literal('local').describe('Local state files.'),
      path: z
        .string()
        .min(1)
        .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), {
          message: 'must be a relative path (an absolute path would be baked into the synthesized Terraform)',
        })
        // A NUL passed synth and failed every plan with "open …: invalid argument"; a tab or line break is a typo
        // that would name a file no one finds.
        .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), { message: 'must be a file path without control characters (NUL, tab, line breaks)' })
        .optional()
        .describe(
          'State file path, relative to the project root, without control characters; {stack} stands for the stack name, and a configuration of both stacks must use it so that each stack gets a file of its own (one state per stack). Default: terraform.{stack}.tfstate.',
        ),
    })
    .describe('Local state files (the default).'),
  z
    .strictObject({
      type: z.literal('s3').describe('State in an S3 bucket (encrypted, one key per stack).'),
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name' })
        .refine((bucket) => !/\.\.|\.-|-\./.test(bucket) && !/^\d+\.\d+\.\d+\.\d+$/.test(bucket), {
          // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
          message: 'must be an S3 bucket name: no two adjacent periods, no period next to a hyphen, not an IP address',
        })
        .describe('State bucket.'),
      key: z
        .string()
        .min(1)
        // Terraform's S3 backend refuses a key starting with "/" or holding "//" (the trailing "/" is dropped here).
        .refine((key) => !key.startsWith('/') && !key.replace(/\/+$/, '').includes('//'), {
          message: 'must be an S3 key prefix without a leading "/" and without "//", e.g. "bastion" (Terraform refuses those keys)',
        })
        // An object key is at most 1,024 bytes of UTF-8 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html),
        // and Terraform 1.11's S3 backend does not check it: a longer key passed synth and was refused by S3 when the
        // backend first read or wrote the state.
        .refine((key) => STACK_NAMES.every((stack) => new TextEncoder().encode(stateKey(key, stack)).length <= S3_KEY_MAX_BYTES), {
          message: `must leave the state key, <key>/<stack>.tfstate, within the ${S3_KEY_MAX_BYTES} bytes (UTF-8) S3 allows an object key`,
        })
        .describe('State object key prefix; each stack appends /<stack>.tfstate, and the whole key may take at most 1,024 bytes (S3\'s limit on an object key).'),
      region: z.string().regex(REGION, { message: 'must be an AWS region, e.g. "eu-west-1"' }).optional().describe('Bucket region. Default: `region`.'),
      useLockfile: z.boolean().default(true).describe('S3-native state locking (Terraform >= 1.10).'),
    })
    .describe('Remote state in S3, encrypted.'),
]);

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    region: id(REGION, 'an AWS region', 'eu-west-1').default('eu-west-1').describe('AWS region of both stacks.'),
    accountId: id(ACCOUNT_ID, 'a 12-digit AWS account id', '123456789012')
      .optional()
      .describe(
        'AWS account id. When set, the provider refuses any other account (allowed_account_ids) and ARNs are written without an aws_caller_identity lookup.',
      ),
    // The names derived from it are checked against AWS's naming rules once the rest is known (modules/naming).
    namePrefix: id(NAME_PREFIX, '3 to 24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen', 'ssm-bastion')
      .default('ssm-bastion')
      .describe('Prefix of every resource name (S3-bucket safe).'),
    tags: z
      .record(
        z
          .string()
          .regex(TAG_KEY, { message: 'must be a tag key of 1 to 128 characters that does not start with "aws:" (in any case)' })
          .refine((key) => !(RESERVED_TAG_KEYS as readonly string[]).includes(key) && !key.startsWith(RESERVED_TAG_PREFIX), {
            message: `is set by the stacks themselves (${RESERVED_TAG_KEYS.join(', ')} and ${RESERVED_TAG_PREFIX}*), which would replace your value: choose another key`,
          })
          .refine((key) => !isStackTagKeyInAnotherCase(key), {
            message: `differs from a tag the stacks set themselves (${RESERVED_TAG_KEYS.join(', ')} and ${RESERVED_TAG_PREFIX}*) only in case, and ${IAM_TAG_CASE}: choose another key`,
          }),
        z.string().regex(TAG_VALUE, { message: 'must be a tag value of at most 256 characters that does not start with "aws:" (in any case)' }),
      )
      .refine((tags) => Object.keys(tags).length <= 40, {
        message: 'must hold at most 40 tags: AWS allows 50 per resource and the stacks add their own',
      })
      .superRefine((tags, context) => {
        const first = new Map<string, string>();
        for (const key of Object.keys(tags)) {
          const earlier = first.get(key.toLowerCase());
          if (earlier === undefined) first.set(key.toLowerCase(), key);
          else context.addIssue({ code: 'custom', path: [key], input: tags[key], message: `has the key of tags[${JSON.stringify(earlier)}] in another case, and ${IAM_TAG_CASE}: keep one of them` });
        }
      })
      .default({})
      .describe('Tags for every resource, applied through the provider default_tags (Name, ManagedBy and ssm-bastion:* are the stacks\' own).'),
    stacks: z
      .array(z.enum(STACK_NAMES))
      .min(1, { message: 'must name at least one stack' })
      // A stack is synthesized once however often it is named, but the rules for two stacks (one VPC, one state
      // file) would count it twice and blame a stack that is not there.
      .superRefine((stacks, context) =>
        stacks.forEach((stack, i) => {
          if (stacks.indexOf(stack) !== i) context.addIssue({ code: 'custom', path: [i], input: stack, message: `names ${stack} a second time; name each stack once` });
        }),
      )
      .default([...STACK_NAMES])
      .describe('Which stacks to synthesize, each named once.'),
    network: z
      .discriminatedUnion('mode', [networkCreate, networkExisting])
      .default({ mode: 'create', cidr: '10.42.0.0/16' })
      .describe('Where the bastions run: a new private-only VPC ("create") or a VPC you already have ("existing").'),
    endpoints: endpoints.prefault({}),
    targets: z
      .array(target)
      .max(50, { message: 'must list at most 50 targets: each adds a rule to the bastion security group, which AWS limits to 60 per direction' })
      .default([])
      .describe('What the bastions may reach.'),
    audit: audit.prefault({}),
    ecs: ecsSchema.prefault({}),
    ec2: ec2Schema.prefault({}),
    provider: provider.prefault({}),
    backend: backend.default({ type: 'local' }).describe('Where Terraform keeps state.'),
  })
  .describe('Configuration of the ssm-bastion stacks (bastion.config.json).');

/** The configuration as written in the file. */
export type BastionConfigInput = z.input<typeof configSchema>;
/** The configuration after schema defaults, before cross-field resolution. */
export type ParsedConfig = z.output<typeof configSchema>;
export type TargetConfig = ParsedConfig['targets'][number];
export type EcsConfig = ParsedConfig['ecs'];
export type Ec2Config = ParsedConfig['ec2'];
export type PatchingConfig = Ec2Config['patching'];
export type AuditConfig = ParsedConfig['audit'];
/** The `endpoints` section as written, with booleans already turned into modes; see BastionConfig for the resolved one. */
export type ParsedEndpointsConfig = ParsedConfig['endpoints'];
export type ProviderConfig = ParsedConfig['provider'];
export type BackendConfig = ParsedConfig['backend'];
