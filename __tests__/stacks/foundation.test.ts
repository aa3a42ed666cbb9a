import { App, Testing } from 'cdktf';
import { parseConfig, type StackName } from '../../modules/config';
import { addBastionStacks, Ec2BastionStack, EcsBastionStack } from '../../modules/stacks';
import { synthStack, TEST_ACCOUNT, type TerraformJson } from '../support/synth';

// Everything here is the shared foundation (modules/stacks/foundation.ts), so each property is checked on both
// stacks: a change that breaks it for one stack only must fail too.
const STACKS: readonly StackName[] = ['ecs-bastion', 'ec2-bastion'];

/** Synthesizes a stack from a configuration parsed as written, without the fixed test account. */
function synthWithoutAccount(stack: StackName): TerraformJson {
  const app: App = Testing.app();
  const config = parseConfig({});
  const construct = stack === 'ecs-bastion' ? new EcsBastionStack(app, config) : new Ec2BastionStack(app, config);
  return JSON.parse(Testing.synth(construct)) as TerraformJson;
}

describe.each(STACKS)('the shared foundation of %s', (stackName) => {
  it('declares bastion_enabled at stack scope: a non-nullable bool defaulting to true, described', () => {
    const { tf } = synthStack(stackName);
    expect(tf.variable!.bastion_enabled).toMatchObject({ type: 'bool', default: true, nullable: false, description: expect.stringMatching(/park/) });
  });

  it('restricts the provider to the configured account and tags everything through default_tags', () => {
    const { tf } = synthStack(stackName, { tags: { team: 'platform', 'cost-center': '42' } });
    const provider = tf.provider!.aws[0];
    expect(provider.region).toBe('eu-west-1');
    expect(provider.allowed_account_ids).toEqual([TEST_ACCOUNT]);
    expect(provider.default_tags).toEqual([
      {
        tags: {
          team: 'platform',
          'cost-center': '42',
          'ssm-bastion:stack': stackName,
          'ssm-bastion:name-prefix': 'ssm-bastion',
          ManagedBy: 'terraform (ssm-bastion)',
        },
      },
    ]);
  });

  it('needs no aws_caller_identity lookup when the account is configured, and uses one when it is not', () => {
    expect(synthStack(stackName).tf.data!.aws_caller_identity).toBeUndefined();
    const tf = synthWithoutAccount(stackName);
    expect(Object.keys(tf.data!.aws_caller_identity!)).toHaveLength(1);
    expect(JSON.stringify(tf.resource!.aws_s3_bucket)).toContain('data.aws_caller_identity');
  });

  it('passes LocalStack-style provider settings through, with skip_metadata_api_check as the string 5.x expects', () => {
    const { tf } = synthStack(stackName, {
      provider: { endpoints: { s3: 'http://localhost:4566', ssm: 'http://localhost:4566', s3control: 'http://localhost:4566' }, skipMetadataApiCheck: true, skipCredentialsValidation: true },
    });
    const provider = tf.provider!.aws[0];
    expect(provider.endpoints).toEqual([{ s3: 'http://localhost:4566', ssm: 'http://localhost:4566', s3control: 'http://localhost:4566' }]);
    expect(provider.skip_metadata_api_check).toBe('true');
    expect(provider.skip_credentials_validation).toBe(true);
  });

  it('drops allowed_account_ids when the provider may not ask for the account (it would refuse every plan)', () => {
    const { tf } = synthStack(stackName, { provider: { skipRequestingAccountId: true } });
    expect(tf.provider!.aws[0].allowed_account_ids).toBeUndefined();
  });

  it('keeps local state in the project root through a relative path, never an absolute one', () => {
    const { tf } = synthStack(stackName);
    expect(tf.terraform!.backend).toEqual({ local: { path: `../../../terraform.${stackName}.tfstate` } });
    const custom = synthStack(stackName, { backend: { type: 'local', path: 'state/bastion.tfstate' } });
    expect(custom.tf.terraform!.backend).toEqual({ local: { path: '../../../state/bastion.tfstate' } });
    const perStack = synthStack(stackName, { backend: { type: 'local', path: 'state/{stack}/terraform.tfstate' } });
    expect(perStack.tf.terraform!.backend).toEqual({ local: { path: `../../../state/${stackName}/terraform.tfstate` } });
  });

  it('writes an encrypted, locked S3 backend with one key per stack', () => {
    const { tf } = synthStack(stackName, { backend: { type: 's3', bucket: 'tf-state-bucket', key: 'bastion/' } });
    expect(tf.terraform!.backend).toEqual({
      s3: { bucket: 'tf-state-bucket', key: `bastion/${stackName}.tfstate`, region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
  });

  it('passes skip_region_validation and skip_requesting_account_id through to the provider', () => {
    const { tf } = synthStack(stackName, { provider: { skipRegionValidation: true, skipRequestingAccountId: true } });
    expect(tf.provider!.aws[0]).toMatchObject({ skip_region_validation: true, skip_requesting_account_id: true });
  });

  it('puts the S3 state in the backend region when one is configured, not the region of the bastion', () => {
    const { tf } = synthStack(stackName, { backend: { type: 's3', bucket: 'tf-state-bucket', key: 'bastion', region: 'us-east-1' } });
    expect(tf.terraform!.backend).toMatchObject({ s3: { region: 'us-east-1', key: `bastion/${stackName}.tfstate` } });
  });

  it('replaces every {stack} of a local state path, not only the first', () => {
    const { tf } = synthStack(stackName, { backend: { type: 'local', path: 'state/{stack}/{stack}.tfstate' } });
    expect(tf.terraform!.backend).toEqual({ local: { path: `../../../state/${stackName}/${stackName}.tfstate` } });
  });

  it('checks the DNS attributes of an existing VPC when it only reuses interface endpoints (their private DNS needs them)', () => {
    const { tf } = synthStack(stackName, {
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] },
      endpoints: { ssm: 'existing', ecr: 'existing', logs: 'existing', kms: 'existing' },
    });
    const [vpc] = Object.values(tf.data!.aws_vpc!) as { lifecycle?: { postcondition?: { condition: string }[] } }[];
    expect(vpc.lifecycle?.postcondition?.map((p) => p.condition)).toEqual(['${self.enable_dns_support}', '${self.enable_dns_hostnames}']);
  });

  it('describes every output and variable', () => {
    const { tf } = synthStack(stackName, {
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] },
    });
    for (const [name, output] of Object.entries(tf.output!)) expect([name, output.description]).toEqual([name, expect.stringMatching(/^[A-Z`a-z].{15,}/)]);
    for (const [name, variable] of Object.entries(tf.variable!)) expect([name, variable.description]).toEqual([name, expect.stringMatching(/^[A-Z`a-z].{15,}/)]);
  });

  it('outputs null for the archive bucket when the archive is off (cdktf 0.21 crashes on a plain null)', () => {
    const { tf } = synthStack(stackName, { audit: { s3Archive: false } });
    expect(tf.output!.audit_bucket_name.value).toBeNull();
  });
});

describe.each(STACKS)('the foundation outputs of %s', (stackName) => {
  const { tf } = synthStack(stackName);
  const short = stackName === 'ecs-bastion' ? 'ecs' : 'ec2';
  const only = (type: string, predicate: (body: Record<string, unknown>) => boolean = () => true): string => {
    const names = Object.entries(tf.resource?.[type] ?? {})
      .filter(([, body]) => predicate(body))
      .map(([name]) => name);
    expect(names).toHaveLength(1);
    return names[0];
  };

  it('point at the VPC, subnets, bastion security group, audit key and archive of this stack', () => {
    const subnets = Object.keys(tf.resource!.aws_subnet).map((name) => `\${aws_subnet.${name}.id}`);
    expect({
      vpc_id: tf.output!.vpc_id.value,
      subnet_ids: tf.output!.subnet_ids.value,
      bastion_security_group_id: tf.output!.bastion_security_group_id.value,
      audit_kms_key_arn: tf.output!.audit_kms_key_arn.value,
      audit_bucket_name: tf.output!.audit_bucket_name.value,
    }).toEqual({
      vpc_id: `\${aws_vpc.${only('aws_vpc')}.id}`,
      subnet_ids: subnets,
      bastion_security_group_id: `\${aws_security_group.${only('aws_security_group', (g) => g.name === `ssm-bastion-${short}-bastion`)}.id}`,
      audit_kms_key_arn: `\${aws_kms_key.${only('aws_kms_key')}.arn}`,
      audit_bucket_name: `\${aws_s3_bucket.${only('aws_s3_bucket', (b) => b.bucket === `ssm-bastion-${short}-audit-${TEST_ACCOUNT}-eu-west-1`)}.bucket}`,
    });
    expect(subnets).toHaveLength(2);
  });

  it('publish the ARNs of the operator and auditor policies of this stack, and a shell command', () => {
    expect(tf.output!.operator_policy_arn.value).toBe(`\${aws_iam_policy.${only('aws_iam_policy', (p) => p.name === `ssm-bastion-${short}-operator`)}.arn}`);
    expect(tf.output!.auditor_policy_arn.value).toBe(`\${aws_iam_policy.${only('aws_iam_policy', (p) => p.name === `ssm-bastion-${short}-auditor`)}.arn}`);
    expect(tf.output!.shell_command.value).toEqual(expect.any(String));
  });

  it('describe the VPC as the VPC and the subnets as the subnets', () => {
    expect(tf.output!.vpc_id.description).toMatch(/^Id of the VPC/);
    expect(tf.output!.subnet_ids.description).toMatch(/^Private subnets/);
  });

  it('take the VPC and subnets from the variables in an existing VPC', () => {
    const existing = synthStack(stackName, {
      network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] },
    }).tf;
    expect([existing.output!.vpc_id.value, existing.output!.subnet_ids.value]).toEqual(['${var.vpc_id}', '${var.subnet_ids}']);
  });
});

describe('addBastionStacks', () => {
  const selections: StackName[][][] = [[['ecs-bastion']], [['ec2-bastion']], [['ecs-bastion', 'ec2-bastion']]];
  it.each(selections)('adds exactly the stacks %j names', (stacks) => {
    const app: App = Testing.app();
    addBastionStacks(app, parseConfig({ accountId: TEST_ACCOUNT, stacks }));
    expect(app.node.children.map((child) => child.node.id).sort()).toEqual([...stacks].sort());
  });
});
