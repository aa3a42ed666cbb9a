import { Testing } from 'cdktf';
import { parseConfig } from '../../modules/config';
import { Ec2BastionStack } from '../../modules/stacks';
import { synthStack, TEST_ACCOUNT } from '../support/synth';

describe('the shared foundation of both stacks', () => {
  it('declares bastion_enabled at stack scope: a non-nullable bool defaulting to true, described', () => {
    const { tf } = synthStack('ecs-bastion');
    expect(tf.variable!.bastion_enabled).toMatchObject({ type: 'bool', default: true, nullable: false, description: expect.stringMatching(/park/) });
  });

  it('restricts the provider to the configured account and tags everything through default_tags', () => {
    const { tf } = synthStack('ec2-bastion', { tags: { team: 'platform', 'cost-center': '42' } });
    const provider = tf.provider!.aws[0];
    expect(provider.region).toBe('eu-west-1');
    expect(provider.allowed_account_ids).toEqual([TEST_ACCOUNT]);
    expect(provider.default_tags).toEqual([
      {
        tags: {
          team: 'platform',
          'cost-center': '42',
          'ssm-bastion:stack': 'ec2-bastion',
          'ssm-bastion:name-prefix': 'ssm-bastion',
          ManagedBy: 'terraform (ssm-bastion)',
        },
      },
    ]);
  });

  it('needs no aws_caller_identity lookup when the account is configured, and uses one when it is not', () => {
    expect(synthStack('ecs-bastion').tf.data!.aws_caller_identity).toBeUndefined();
    const app = Testing.app();
    const stack = new Ec2BastionStack(app, parseConfig({}));
    const tf = JSON.parse(Testing.synth(stack));
    expect(Object.keys(tf.data.aws_caller_identity)).toHaveLength(1);
    expect(JSON.stringify(tf.resource.aws_s3_bucket)).toContain('data.aws_caller_identity');
  });

  it('passes LocalStack-style provider settings through, with skip_metadata_api_check as the string 5.x expects', () => {
    const { tf } = synthStack('ecs-bastion', {
      provider: { endpoints: { s3: 'http://localhost:4566', ssm: 'http://localhost:4566' }, skipMetadataApiCheck: true, skipCredentialsValidation: true },
    });
    const provider = tf.provider!.aws[0];
    expect(provider.endpoints).toEqual([{ s3: 'http://localhost:4566', ssm: 'http://localhost:4566' }]);
    expect(provider.skip_metadata_api_check).toBe('true');
    expect(provider.skip_credentials_validation).toBe(true);
  });

  it('drops allowed_account_ids when the provider may not ask for the account (it would refuse every plan)', () => {
    const { tf } = synthStack('ecs-bastion', { provider: { skipRequestingAccountId: true } });
    expect(tf.provider!.aws[0].allowed_account_ids).toBeUndefined();
  });

  it('keeps local state in the project root through a relative path, never an absolute one', () => {
    const { tf } = synthStack('ecs-bastion');
    expect(tf.terraform!.backend).toEqual({ local: { path: '../../../terraform.ecs-bastion.tfstate' } });
    const custom = synthStack('ec2-bastion', { backend: { type: 'local', path: 'state/ec2.tfstate' } });
    expect(custom.tf.terraform!.backend).toEqual({ local: { path: '../../../state/ec2.tfstate' } });
  });

  it('writes an encrypted, locked S3 backend with one key per stack', () => {
    const { tf } = synthStack('ec2-bastion', { backend: { type: 's3', bucket: 'tf-state-bucket', key: 'bastion/' } });
    expect(tf.terraform!.backend).toEqual({
      s3: { bucket: 'tf-state-bucket', key: 'bastion/ec2-bastion.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
  });

  it('describes every output and variable', () => {
    for (const stackName of ['ecs-bastion', 'ec2-bastion'] as const) {
      const { tf } = synthStack(stackName, {
        network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] },
      });
      for (const [name, output] of Object.entries(tf.output!)) expect([name, output.description]).toEqual([name, expect.stringMatching(/^[A-Z`a-z].{15,}/)]);
      for (const [name, variable] of Object.entries(tf.variable!)) expect([name, variable.description]).toEqual([name, expect.stringMatching(/^[A-Z`a-z].{15,}/)]);
    }
  });

  it('outputs null for the archive bucket when the archive is off (cdktf 0.21 crashes on a plain null)', () => {
    const { tf } = synthStack('ecs-bastion', { audit: { s3Archive: false } });
    expect(tf.output!.audit_bucket_name.value).toBeNull();
  });
});
