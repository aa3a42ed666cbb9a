import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { resourcesOfType } from '../support/synth';
import { bastionUserDataScript, SESSION_OS_USER } from '../../modules/ec2-bastion';
import { archiveBucket, onlyResource, readJsonencode, synthEc2 } from '../ec2-bastion/support';

const jsonencoded = (value: unknown) => readJsonencode(value) as Record<string, unknown>;

describe('the Session Manager preferences of the EC2 bastion', () => {
  const { json, tf } = synthEc2();
  const document = onlyResource(tf, 'aws_ssm_document');
  const content = jsonencoded(document.body.content);
  const inputs = content.inputs as Record<string, unknown>;
  const logGroup = (name: string) => Object.entries(resourcesOfType(tf, 'aws_cloudwatch_log_group')).find(([, g]) => g.name === name)?.[0];

  it('is a Session document named after the prefix, in JSON', () => {
    expect(json).toHaveResourceWithProperties(SsmDocument, { name: 'ssm-bastion-session-preferences', document_type: 'Session', document_format: 'JSON' });
    expect(synthEc2({ namePrefix: 'team-b' }).tf.resource!.aws_ssm_document[document.name]).toMatchObject({ name: 'team-b-session-preferences' });
  });

  it('is written with jsonencode, because its values are Terraform references', () => {
    expect(String(document.body.content)).toMatch(/^\$\{jsonencode\(\{/);
    expect(content).toMatchObject({ schemaVersion: '1.0', sessionType: 'Standard_Stream' });
  });

  it('streams every session to the encrypted session log group', () => {
    const group = logGroup('/ssm-bastion/ec2/sessions');
    expect(group).toBeDefined();
    expect(inputs).toMatchObject({
      cloudWatchLogGroupName: `\${aws_cloudwatch_log_group.${group}.name}`,
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
    });
  });

  it('archives every session to the encrypted S3 bucket under session-manager/', () => {
    const bucket = archiveBucket(tf);
    expect(inputs).toMatchObject({ s3BucketName: `\${aws_s3_bucket.${bucket.name}.bucket}`, s3KeyPrefix: 'session-manager/', s3EncryptionEnabled: true });
  });

  it('encrypts the session stream with the audit key', () => {
    expect(inputs.kmsKeyId).toBe(`\${aws_kms_key.${onlyResource(tf, 'aws_kms_key').name}.key_id}`);
  });

  it('ends idle sessions after the configured minutes, as the string Session Manager expects', () => {
    expect(inputs.idleSessionTimeout).toBe('20');
    const custom = jsonencoded(onlyResource(synthEc2({ ec2: { sessionIdleTimeoutMinutes: 5 } }).tf, 'aws_ssm_document').body.content);
    expect((custom.inputs as Record<string, unknown>).idleSessionTimeout).toBe('5');
  });

  it('runs shells as the unprivileged session user the instance creates (not ssm-user, which gets sudo), in a login shell', () => {
    expect(inputs.runAsEnabled).toBe(true);
    expect(inputs.runAsDefaultUser).toBe(SESSION_OS_USER);
    expect(bastionUserDataScript()).toContain(`useradd --create-home --shell /bin/bash --comment "ssm-bastion session user" ${SESSION_OS_USER}`);
    expect((inputs.shellProfile as Record<string, string>).linux).toMatch(/bash -l/);
  });

  it('leaves out the S3 settings when the archive is off, and still logs to CloudWatch', () => {
    const withoutArchive = jsonencoded(onlyResource(synthEc2({ audit: { s3Archive: false } }).tf, 'aws_ssm_document').body.content);
    const noS3 = withoutArchive.inputs as Record<string, unknown>;
    expect(Object.keys(noS3).filter((key) => key.startsWith('s3'))).toEqual([]);
    expect(noS3.cloudWatchStreamingEnabled).toBe(true);
  });

  it('does not touch the account-wide SSM-SessionManagerRunShell unless asked to', () => {
    expect(Object.values(resourcesOfType(tf, 'aws_ssm_document')).map((d) => d.name)).not.toContain('SSM-SessionManagerRunShell');
    const optIn = synthEc2({ ec2: { createAccountSessionDocument: true } }).tf;
    const documents = Object.values(resourcesOfType(optIn, 'aws_ssm_document'));
    const account = documents.find((d) => d.name === 'SSM-SessionManagerRunShell');
    expect(account).toMatchObject({ document_type: 'Session' });
    const own = jsonencoded(documents.find((d) => d.name === 'ssm-bastion-session-preferences')!.content) as { inputs: Record<string, unknown> };
    const accountWide = jsonencoded(account!.content) as { inputs: Record<string, unknown> };
    // The same logging and key, but without Run As: other instances of the region have no bastion session user.
    expect(accountWide.inputs).toEqual({ ...own.inputs, runAsEnabled: false, runAsDefaultUser: '' });
  });
});
