import {
  awsCliRequests,
  CLI_COMMAND_CALLS,
  CLI_COMMAND_PRINCIPAL,
  CLI_COMMANDS,
  type DeploymentFacts,
  type IamRequest,
  SDK_REQUESTS,
} from '../../cli/permissions';
import type { Variant } from '../../cli/variants';
import { DEPLOYMENTS, type Deployment, deploymentOf, INSTANCE_ID, TASK_ID, WHERE } from './deployments';
import { allowed, iamUser, type Principal, refused, roleSession } from './simulate';

/**
 * The operator policy, simulated as AWS evaluates it: every request the CLI's permission table lists for the
 * operator's commands (its SDK calls, and the AWS CLI and Session Manager plugin calls it spawns) is allowed for
 * an operator role, an IAM Identity Center user and an IAM user; the paths that would bypass the audit trail or
 * reach beyond this bastion are refused.
 */

/** The operators a team has: a role of its own, an IAM Identity Center permission set, an IAM user. */
function operators(deployment: Deployment, variant: Variant): { principal: Principal; facts: DeploymentFacts }[] {
  const policy = deployment.model.managedPolicy(`ssm-bastion-${variant}-operator`);
  const role = roleSession('operator (IAM role)', WHERE, 'BastionOperators', 'alice', [policy]);
  const sso = roleSession('operator (IAM Identity Center)', WHERE, 'AWSReservedSSO_BastionOperator_0123456789abcdef', 'alice@example.com', [policy], {
    roleId: 'AROASSOEXAMPLEROLE01',
  });
  const user = iamUser('operator (IAM user)', WHERE, 'bob', [policy]);
  return [
    { principal: role, facts: deployment.facts('alice') },
    { principal: sso, facts: deployment.facts('alice@example.com') },
    { principal: user, facts: deployment.facts('bob') },
  ];
}

/**
 * A session carries its owner's user id as the tag `aws:ssmmessages:session-id` (Session Manager sets it), which
 * IAM sees as a resource tag when the owner ends or resumes it.
 */
function asOwner(request: IamRequest, principal: Principal): IamRequest {
  if (!/^ssm:(Terminate|Resume)Session$/.test(request.action)) return request;
  return { ...request, context: { ...request.context, 'ssm:resourceTag/aws:ssmmessages:session-id': principal.context['aws:userid'] } };
}

/**
 * With --document-name, AWS documents that the document check happens, not which value (if any) the request
 * context then holds for ssm:SessionDocumentAccessCheck: every such StartSession is simulated with the key set
 * to true and with the key absent, and both must be allowed (plain Bool would refuse the second).
 */
function bothAccessCheckContexts(request: IamRequest): IamRequest[] {
  if (request.action !== 'ssm:StartSession' || request.context?.['ssm:SessionDocumentAccessCheck'] !== 'true') return [request];
  const { 'ssm:SessionDocumentAccessCheck': _check, ...rest } = request.context;
  return [request, { ...request, context: rest, note: `${request.note ?? 'StartSession'}, access check key absent` }];
}

/** Every request the permission table lists for the operator's commands on this variant. */
function operatorRequests(variant: Variant, facts: DeploymentFacts): IamRequest[] {
  return CLI_COMMANDS.filter((command) => CLI_COMMAND_PRINCIPAL[command] === 'operator').flatMap((command) => {
    const calls = CLI_COMMAND_CALLS[command][variant];
    return [...calls.sdk.flatMap((name) => SDK_REQUESTS[name]!(facts, variant)), ...calls.awsCli.flatMap((call) => awsCliRequests(call, variant, facts))];
  });
}

describe.each(DEPLOYMENTS)('operators of $label', ({ stack, input }) => {
  const deployment = deploymentOf(stack, input);
  const variant: Variant = stack === 'ecs-bastion' ? 'ecs' : 'ec2';
  const { arn } = deployment;

  it.each(operators(deployment, variant).map((o) => [o.principal.label, o] as const))(
    'lets an %s make every call of connect, shell, up, down and status',
    async (_label, { principal, facts }) => {
      const requests = operatorRequests(variant, facts)
        .flatMap(bothAccessCheckContexts)
        .map((request) => asOwner(request, principal));
      expect(requests.length).toBeGreaterThan(10);
      expect(await refused(deployment.model, principal, requests)).toEqual([]);
    },
  );

  const [{ principal: operator, facts }] = operators(deployment, variant);

  it('simulates the sessions the CLI starts with --document-name as AWS sees them: with the document access check on', () => {
    const starts = operatorRequests(variant, facts).filter((request) => request.action === 'ssm:StartSession');
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.filter((request) => request.context?.['ssm:SessionDocumentAccessCheck'] === 'true')).toEqual(starts);
  });
  const someoneElsesSession = arn('ssm', 'session/mallory-0a1b2c3d4e5f67890');
  const common: IamRequest[] = [
    { action: 'ssm:TerminateSession', resource: someoneElsesSession, context: { 'ssm:resourceTag/aws:ssmmessages:session-id': 'AROAOTHERROLEID00001:mallory' } },
    { action: 'ssm:ResumeSession', resource: someoneElsesSession, context: { 'ssm:resourceTag/aws:ssmmessages:session-id': 'AROAOTHERROLEID00001:mallory' } },
    { action: 'iam:PassRole', resource: arn('iam', 'role/ssm-bastion-ecs-task', { region: '' }) },
    { action: 's3:GetObject', resource: `arn:aws:s3:::${deployment.names.auditBucket(WHERE.accountId)}/session-manager/x.log`, context: { 'aws:SecureTransport': 'true' } },
    { action: 'kms:Decrypt', resource: facts.kmsKeyArn, note: 'decrypting with the audit key directly' },
    { action: 'logs:PutLogEvents', resource: arn('logs', `log-group:${deployment.names.logGroup('exec')}:log-stream:forged`) },
  ];

  if (variant === 'ecs') {
    const otherTask = arn('ecs', `task/payments-prod/${TASK_ID}`);
    const bastionTask = arn('ecs', `task/ssm-bastion-ecs/${TASK_ID}`);
    const cluster = arn('ecs', 'cluster/ssm-bastion-ecs');
    const document = (name: string) => arn('ssm', `document/${name}`, { account: '' });
    const service = arn('ecs', 'service/ssm-bastion-ecs/ssm-bastion-ecs-bastion');
    // What ECS may put in the request context of a count-only UpdateService: nothing, or the service as deployed.
    const asDeployed = {
      'ecs:cluster': cluster,
      'ecs:task-definition': arn('ecs', 'task-definition/ssm-bastion-ecs-bastion:7'),
      'ecs:subnet': deployment.model.ecsServiceSubnets(),
      'ecs:auto-assign-public-ip': 'false',
    };
    const bastionServiceChanges: [string, Record<string, string | string[]>][] = [
      ['the bastion service switched to another task definition', { 'ecs:task-definition': arn('ecs', 'task-definition/payments-api:3') }],
      ['the bastion tasks moved into another subnet', { 'ecs:subnet': [...asDeployed['ecs:subnet'], 'subnet-0fedcba9876543210'] }],
      ['the bastion tasks given a public IP', { 'ecs:auto-assign-public-ip': 'true' }],
    ];
    it('lets `bastion up/down` change the count of the service as deployed, whether or not ECS fills in its settings', async () => {
      const countOnly: IamRequest[] = [
        { action: 'ecs:UpdateService', resource: service, context: { 'ecs:cluster': cluster }, note: 'count only, no settings in the context' },
        { action: 'ecs:UpdateService', resource: service, context: asDeployed, note: 'count only, the settings as deployed in the context' },
      ];
      expect(await refused(deployment.model, operator, countOnly)).toEqual([]);
    });
    const denied: IamRequest[] = [
      ...common,
      { action: 'ecs:ExecuteCommand', resource: otherTask, context: { 'ecs:container-name': 'bastion' }, note: 'another cluster' },
      { action: 'ecs:ExecuteCommand', resource: bastionTask, context: { 'ecs:container-name': 'sidecar' }, note: 'another container' },
      { action: 'ecs:ExecuteCommand', resource: cluster, context: { 'ecs:container-name': 'sidecar' }, note: 'another container' },
      { action: 'ssm:StartSession', resource: otherTask, context: { 'ssm:SessionDocumentAccessCheck': 'true' }, note: 'port forward through another cluster' },
      { action: 'ssm:StartSession', resource: bastionTask, context: { 'ssm:SessionDocumentAccessCheck': 'false' }, note: 'a plain shell without the document check' },
      { action: 'ssm:StartSession', resource: document('SSM-SessionManagerRunShell'), context: { 'ssm:SessionDocumentAccessCheck': 'true' }, note: 'an SSM shell past the ECS Exec transcript' },
      { action: 'ssm:StartSession', resource: document('AWS-StartSSHSession'), context: { 'ssm:SessionDocumentAccessCheck': 'true' } },
      { action: 'ssm:StartSession', resource: document('AWS-StartInteractiveCommand'), context: { 'ssm:SessionDocumentAccessCheck': 'true' } },
      { action: 'ecs:RunTask', resource: arn('ecs', 'task-definition/ssm-bastion-ecs-bastion:1') },
      { action: 'ecs:UpdateService', resource: arn('ecs', 'service/payments-prod/api'), context: { 'ecs:cluster': arn('ecs', 'cluster/payments-prod') } },
      ...bastionServiceChanges.map(([note, change]) => ({ action: 'ecs:UpdateService', resource: service, context: { ...asDeployed, ...change }, note })),
      { action: 'ecs:DescribeTasks', resource: otherTask, context: { 'ecs:cluster': arn('ecs', 'cluster/payments-prod') } },
    ];
    it('refuses what would bypass the ECS Exec transcript or reach another cluster, task, container or session', async () => {
      expect(await allowed(deployment.model, operator, denied)).toEqual([]);
    });
  } else {
    const instance = arn('ec2', `instance/${INSTANCE_ID}`);
    const tags = { 'ssm:resourceTag/ssm-bastion:stack': 'ec2-bastion', 'ssm:resourceTag/ssm-bastion:name-prefix': 'ssm-bastion' };
    const document = (name: string) => arn('ssm', `document/${name}`, { account: '' });
    const denied: IamRequest[] = [
      ...common,
      // `aws ssm start-session --target i-…` without --document-name: Session Manager first asks whether the
      // caller may start a session without the document check; with the check on every statement, it may not.
      { action: 'ssm:StartSession', resource: instance, context: { ...tags, 'ssm:SessionDocumentAccessCheck': 'false' }, note: 'a shell with the default, unlogged preferences' },
      { action: 'ssm:StartSession', resource: document('SSM-SessionManagerRunShell'), context: { 'ssm:SessionDocumentAccessCheck': 'true' } },
      { action: 'ssm:StartSession', resource: document('AWS-StartSSHSession'), context: { 'ssm:SessionDocumentAccessCheck': 'true' } },
      { action: 'ssm:StartSession', resource: document('AWS-StartInteractiveCommand'), context: { 'ssm:SessionDocumentAccessCheck': 'true' } },
      { action: 'ssm:StartSession', resource: document('AWS-StartNonInteractiveCommand'), context: { 'ssm:SessionDocumentAccessCheck': 'true' } },
      {
        action: 'ssm:StartSession',
        resource: arn('ec2', 'instance/i-0fedcba9876543210'),
        context: { 'ssm:resourceTag/ssm-bastion:stack': 'app', 'ssm:SessionDocumentAccessCheck': 'true' },
        note: 'an instance that is not this bastion',
      },
      {
        action: 'ssm:StartSession',
        resource: arn('ec2', 'instance/i-0fedcba9876543210'),
        context: { ...tags, 'ssm:SessionDocumentAccessCheck': 'true' },
        note: 'another instance someone tagged as this bastion',
      },
      { action: 'ec2:StopInstances', resource: arn('ec2', 'instance/i-0fedcba9876543210'), context: { 'aws:ResourceTag/ssm-bastion:stack': 'ec2-bastion', 'aws:ResourceTag/ssm-bastion:name-prefix': 'ssm-bastion' }, note: 'another instance tagged as this bastion' },
      { action: 'ssm:SendCommand', resource: instance, context: tags },
      { action: 'ssm:SendCommand', resource: document('AWS-RunShellScript') },
      { action: 'ec2:StartInstances', resource: arn('ec2', 'instance/i-0fedcba9876543210'), context: { 'aws:ResourceTag/ssm-bastion:stack': 'app' } },
      { action: 'ec2:TerminateInstances', resource: instance, context: { 'aws:ResourceTag/ssm-bastion:stack': 'ec2-bastion', 'aws:ResourceTag/ssm-bastion:name-prefix': 'ssm-bastion' } },
      { action: 'kms:CreateGrant', resource: facts.kmsKeyArn, context: { 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com', 'kms:GrantIsForAWSResource': 'false' }, note: 'a grant for themselves' },
      { action: 'kms:CreateGrant', resource: facts.kmsKeyArn, context: { 'kms:GrantIsForAWSResource': 'true' }, note: 'not through EC2' },
      { action: 'kms:Decrypt', resource: facts.kmsKeyArn, context: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } },
    ];
    it('refuses an unlogged shell, other documents, other instances, commands, and the key outside EC2', async () => {
      expect(await allowed(deployment.model, operator, denied)).toEqual([]);
    });
  }
});
