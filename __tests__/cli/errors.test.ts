import { AccessDeniedException, ClusterNotFoundException } from '@aws-sdk/client-ecs';
import { awsCall } from '../../cli/aws';
import { CliError, EXIT, fromAwsError, interruptedError, parseDeniedAction, parseDeniedPrincipal, signalExitCode, toCliError } from '../../cli/errors';
import { createStyle, formatError } from '../../cli/output';

const ECS_DENIED =
  'User: arn:aws:sts::123456789012:assumed-role/Developer/jane is not authorized to perform: ecs:DescribeTasks on resource: ' +
  'arn:aws:ecs:eu-west-1:123456789012:task/acme-ecs/* because no identity-based policy allows the ecs:DescribeTasks action';
const EC2_DENIED =
  'You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/ops is not authorized to perform: ' +
  'ec2:StartInstances on resource: arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc because no identity-based policy allows the ' +
  'ec2:StartInstances action. Encoded authorization failure message: AbCd';

const named = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name }, extra);

describe('parseDeniedAction / parseDeniedPrincipal', () => {
  test('read the action and principal of ECS, SSM and EC2 messages', () => {
    expect(parseDeniedAction(ECS_DENIED)).toBe('ecs:DescribeTasks');
    expect(parseDeniedPrincipal(ECS_DENIED)).toBe('arn:aws:sts::123456789012:assumed-role/Developer/jane');
    expect(parseDeniedAction(EC2_DENIED)).toBe('ec2:StartInstances');
    expect(parseDeniedAction('User: x is not authorized to perform: ssm:StartSession on resource: y')).toBe('ssm:StartSession');
    expect(parseDeniedAction('User: x is not authorized to perform: ec2-instance-connect:SendSSHPublicKey on resource: y')).toBe('ec2-instance-connect:SendSSHPublicKey');
  });

  test('give undefined when the message names no action', () => {
    expect(parseDeniedAction('Access denied')).toBeUndefined();
    expect(parseDeniedPrincipal('Access denied')).toBeUndefined();
  });
});

describe('fromAwsError', () => {
  test('no credentials: says so and how to configure a profile', () => {
    const error = fromAwsError(named('CredentialsProviderError', 'Could not load credentials from any providers'), 'ecs:DescribeServices');
    expect(error.code).toBe('NoCredentials');
    expect(error.exitCode).toBe(EXIT.error);
    expect(error.hint).toMatch(/aws configure sso/);
    expect(error.hint).toMatch(/--profile/);
  });

  test('an expired SSO session is an expired-credentials error', () => {
    const error = fromAwsError(named('CredentialsProviderError', 'The SSO session associated with this profile has expired'), 'ecs:ListTasks');
    expect(error.code).toBe('ExpiredCredentials');
    expect(error.hint).toMatch(/aws sso login/);
  });

  test('an SSO token the SDK cannot refresh is an expired-credentials error too: log in again', () => {
    const message = "Value not present for 'accessToken' in SSO Token. To refresh this SSO session run 'aws sso login' with the corresponding profile.";
    const error = fromAwsError(named('TokenProviderError', message), 'ecs:ListTasks');
    expect(error.code).toBe('ExpiredCredentials');
    expect(error.hint).toMatch(/aws sso login/);
  });

  test('an error named only by its Code (the name is the generic Error) is read by its Code', () => {
    expect(fromAwsError(named('Error', 'The provided token has expired.', { Code: 'ExpiredToken' }), 'x:Y').code).toBe('ExpiredCredentials');
    expect(fromAwsError(named('Error', 'Denied.', { Code: 'AccessDenied' }), 's3:GetObject')).toMatchObject({ code: 'AccessDenied', hint: expect.stringContaining('s3:GetObject') });
  });

  test.each(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException', 'NotAuthorized'])('%s is an AccessDenied whatever its message', (name) => {
    expect(fromAwsError(named(name, 'Request refused.'), 'ec2:StopInstances')).toMatchObject({ code: 'AccessDenied', hint: expect.stringContaining('ec2:StopInstances') });
  });

  test('ExpiredTokenException and rejected keys', () => {
    expect(fromAwsError(named('ExpiredTokenException', 'The security token included in the request is expired'), 'x:Y').code).toBe('ExpiredCredentials');
    expect(fromAwsError(named('UnrecognizedClientException', 'The security token included in the request is invalid.'), 'x:Y').code).toBe(
      'InvalidCredentials',
    );
    expect(fromAwsError(named('AuthFailure', 'AWS was not able to validate the provided access credentials'), 'x:Y').code).toBe('InvalidCredentials');
  });

  test('AccessDeniedException (SDK class): names the action and principal from the message and points to the operator policy', () => {
    const sdkError = new AccessDeniedException({ message: ECS_DENIED, $metadata: {} });
    const error = fromAwsError(sdkError, 'ecs:ListTasks');
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toContain('ecs:DescribeTasks');
    expect(error.message).toContain('arn:aws:sts::123456789012:assumed-role/Developer/jane');
    expect(error.hint).toContain('Missing IAM action: ecs:DescribeTasks');
    expect(error.hint).toMatch(/operator policy/);
  });

  test('AccessDenied without an action in the message falls back to the action of the call', () => {
    const error = fromAwsError(named('AccessDeniedException', 'Access denied'), 'ssm:DescribeInstanceInformation');
    expect(error.code).toBe('AccessDenied');
    expect(error.hint).toContain('Missing IAM action: ssm:DescribeInstanceInformation');
  });

  test('EC2 UnauthorizedOperation is an AccessDenied naming the EC2 action', () => {
    const error = fromAwsError(named('UnauthorizedOperation', EC2_DENIED), 'ec2:DescribeInstances');
    expect(error.code).toBe('AccessDenied');
    expect(error.hint).toContain('Missing IAM action: ec2:StartInstances');
  });

  test('network failures and other errors', () => {
    const network = fromAwsError(named('Error', 'getaddrinfo ENOTFOUND ecs.eu-west-1.amazonaws.com', { code: 'ENOTFOUND' }), 'ecs:DescribeServices');
    expect(network.code).toBe('Network');
    expect(network.hint).toMatch(/proxy/);
    const other = fromAwsError(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }), 'ecs:DescribeServices');
    expect(other.code).toBe('Aws');
    expect(other.message).toBe('ecs:DescribeServices failed: ClusterNotFoundException: Cluster not found.');
  });

  // The SDK's HTTP handler names a connection or socket timeout TimeoutError, without a syscall code: it is the
  // network (and so worth another look in a wait), not an AWS refusal.
  test('an SDK TimeoutError is a network failure', () => {
    const error = fromAwsError(named('TimeoutError', 'Connection timed out after 1000 ms'), 'ssm:DescribeInstanceInformation');
    expect(error.code).toBe('Network');
    expect(error.message).toBe('Could not reach the AWS API for ssm:DescribeInstanceInformation: Connection timed out after 1000 ms');
  });

  test('a CliError passes through unchanged', () => {
    const original = new CliError('NoTask', 'none');
    expect(fromAwsError(original, 'x:Y')).toBe(original);
  });
});

describe('awsCall', () => {
  test('maps failures, and turns expected error names into answers', async () => {
    await expect(awsCall('ecs:ListTasks', () => Promise.reject(named('AccessDeniedException', 'denied')))).rejects.toMatchObject({
      code: 'AccessDenied',
      hint: expect.stringContaining('ecs:ListTasks'),
    });
    await expect(
      awsCall('ecs:DescribeServices', () => Promise.reject(named('ClusterNotFoundException', 'Cluster not found.')), {
        ClusterNotFoundException: () => 'none',
      }),
    ).resolves.toBe('none');
  });
});

describe('signalExitCode', () => {
  test('128 + the signal number, as a shell reports it: Ctrl-C 130, a closed terminal 129, SIGTERM 143', () => {
    expect((['SIGINT', 'SIGHUP', 'SIGTERM'] as const).map(signalExitCode)).toEqual([130, 129, 143]);
    expect(interruptedError('SIGHUP')).toMatchObject({ code: 'Interrupted', exitCode: 129 });
  });
});

describe('toCliError and formatError', () => {
  test('a ConfigError becomes a Config error without the synth wording', () => {
    const configError = Object.assign(new Error('Invalid bastion configuration (x): 1 problem\n  - region: "mars": bad\nNothing was synthesized. See.'), {
      name: 'ConfigError',
    });
    const error = toCliError(configError);
    expect(error.code).toBe('Config');
    expect(error.message).not.toMatch(/synthesized/);
  });

  test('formatError prints the message and the indented hint, coloured only when asked', () => {
    const error = new CliError('Parked', 'The ecs bastion is parked.', { hint: 'Start it with `bastion up ecs`.' });
    expect(formatError(error, createStyle(false))).toBe('error: The ecs bastion is parked.\n  Start it with `bastion up ecs`.\n');
    expect(formatError(error, createStyle(true))).toContain('\u001b[31m');
  });
});
