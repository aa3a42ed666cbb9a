import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import { PolicyDocument, type PolicyStatement } from '../iam';
import { PORT_FORWARDING_DOCUMENTS } from '../session-manager';

export interface OperatorPolicyProps {
  readonly context: DeploymentContext;
  /** Name of the custom session document operators must use for shells. */
  readonly sessionDocumentName: string;
  /** ARN of the audit key that encrypts sessions. */
  readonly kmsKeyArn: string;
  /** Tags (key → value) only this bastion carries: sessions are allowed on instances with all of them. */
  readonly bastionTags: Readonly<Record<string, string>>;
}

/** `${aws:userid}`, escaped so Terraform writes the IAM policy variable literally instead of interpolating it. */
export const AWS_USERID = '$${aws:userid}';

/**
 * What an operator needs to reach the bastion and nothing more: sessions on this instance (found by its tags, so
 * the policy survives a replaced instance) only with the logged session document or the port-forwarding
 * documents, the key to encrypt them, ending or resuming their own sessions, and the reads a client makes.
 */
export function operatorPolicyStatements(props: OperatorPolicyProps): PolicyStatement[] {
  const { context } = props;
  const tagConditions = Object.entries(props.bastionTags).map(([key, value]) => ({
    test: 'StringEquals',
    variable: `ssm:resourceTag/${key}`,
    values: [value],
  }));
  const sessions = (pattern: string) => context.arn('ssm', `session/${pattern}`);
  return [
    {
      sid: 'StartSessionsOnThisBastionOnly',
      actions: ['ssm:StartSession', 'ssm:GetConnectionStatus'],
      resources: [context.arn('ec2', 'instance/*')],
      conditions: tagConditions,
    },
    {
      // With the access check, a session without --document-name (the account default document, which this
      // policy does not grant) is refused: every shell runs with the logged, encrypted preferences.
      sid: 'StartSessionsWithTheLoggedOrPortForwardingDocumentsOnly',
      actions: ['ssm:StartSession'],
      resources: [
        context.arn('ssm', `document/${props.sessionDocumentName}`),
        // AWS-owned documents have no account in their ARN.
        ...PORT_FORWARDING_DOCUMENTS.map((name) => context.arn('ssm', `document/${name}`, { account: '' })),
      ],
      conditions: [{ test: 'BoolIfExists', variable: 'ssm:SessionDocumentAccessCheck', values: ['true'] }],
    },
    {
      // The client encrypts the session stream with a data key of the audit key.
      sid: 'EncryptSessionsWithTheAuditKey',
      actions: ['kms:GenerateDataKey'],
      resources: [props.kmsKeyArn],
    },
    {
      // AWS's end-user policy: session ids begin with the caller's user id.
      sid: 'EndOrResumeOwnSessionsById',
      actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
      resources: [sessions(`${AWS_USERID}-*`)],
    },
    {
      // Session Manager tags each session with its owner; this also covers federated (SSO) callers.
      sid: 'EndOrResumeOwnSessionsByOwnerTag',
      actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
      resources: [sessions('*')],
      conditions: [{ test: 'StringLike', variable: 'ssm:resourceTag/aws:ssmmessages:session-id', values: [AWS_USERID] }],
    },
    {
      // The client opens the data channel of the session it started (it holds the session's token).
      sid: 'OpenDataChannelsOfSessionsInThisAccount',
      actions: ['ssmmessages:OpenDataChannel'],
      resources: [sessions('*')],
    },
    {
      sid: 'ReadThisBastionsPatchCompliance',
      actions: ['ssm:DescribeInstancePatchStates', 'ssm:DescribeInstancePatches'],
      resources: [context.arn('ec2', 'instance/*')],
      conditions: tagConditions,
    },
    {
      // `bastion up ec2` / `bastion down ec2`: the fast, compute-only park of this instance (the stopped
      // instance keeps its volume; bastion_enabled=false is the full park).
      sid: 'StartOrStopThisBastionOnly',
      actions: ['ec2:StartInstances', 'ec2:StopInstances'],
      resources: [context.arn('ec2', 'instance/*')],
      conditions: Object.entries(props.bastionTags).map(([key, value]) => ({ test: 'StringEquals', variable: `aws:ResourceTag/${key}`, values: [value] })),
    },
    {
      // `bastion status` shows the session document.
      sid: 'ReadTheSessionDocument',
      actions: ['ssm:DescribeDocument'],
      resources: [context.arn('ssm', `document/${props.sessionDocumentName}`)],
    },
    {
      // What the CLI and console read to find the bastion and list sessions; AWS defines no resource types for
      // these, so "*" is the only possible resource.
      sid: 'FindTheBastionAndListSessions',
      actions: [
        'ec2:DescribeInstances',
        'ec2:DescribeVpcEndpoints',
        'ssm:DescribeInstanceInformation',
        'ssm:DescribeInstanceProperties',
        'ssm:DescribeSessions',
      ],
      resources: ['*'],
    },
  ];
}

/** The customer-managed policy to attach to the operators' group, role or permission set. */
export class OperatorPolicy extends Construct {
  readonly policyArn: string;
  readonly policyName: string;

  constructor(scope: Construct, id: string, props: OperatorPolicyProps) {
    super(scope, id);
    const document = new PolicyDocument(this, 'document', operatorPolicyStatements(props));
    const policy = new IamPolicy(this, 'policy', {
      name: props.context.names.resource('operator'),
      description: 'Shell and port forwarding on the ssm-bastion EC2 bastion through Session Manager, with the logged session document.',
      policy: document.json,
    });
    this.policyArn = policy.arn;
    this.policyName = policy.name;
  }
}
