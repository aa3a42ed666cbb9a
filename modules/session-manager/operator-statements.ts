import type { DeploymentContext } from '../context';
import type { PolicyStatement } from '../iam';

/** AWS-owned port-forwarding documents the operators may use (to the bastion itself / through it). */
export const PORT_FORWARDING_DOCUMENTS = ['AWS-StartPortForwardingSession', 'AWS-StartPortForwardingSessionToRemoteHost'] as const;

/** `${aws:userid}`, escaped so Terraform writes the IAM policy variable literally instead of interpolating it. */
export const AWS_USERID = '$${aws:userid}';
/** `${aws:username}` (IAM users only), escaped for Terraform likewise. */
export const AWS_USERNAME = '$${aws:username}';

/**
 * The document access check. Session Manager enforces it only when every statement that allows
 * ssm:StartSession carries it: one statement without it lets `aws ssm start-session --target …` (no
 * --document-name) open a shell with the account's default preferences, unlogged. With it, a session needs
 * explicit access to its document, and the default SSM-SessionManagerRunShell is never granted.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-sessiondocumentaccesscheck.html
 * BoolIfExists, as documented: with --document-name the key may be absent, and plain Bool would then refuse.
 */
export const DOCUMENT_ACCESS_CHECK = { test: 'BoolIfExists', variable: 'ssm:SessionDocumentAccessCheck', values: ['true'] } as const;

/** ARNs of the AWS-owned port-forwarding documents (AWS-owned documents have no account in their ARN). */
export function portForwardingDocumentArns(context: DeploymentContext): string[] {
  return PORT_FORWARDING_DOCUMENTS.map((name) => context.arn('ssm', `document/${name}`, { account: '' }));
}

/**
 * What an operator's client does with a session it started, on either bastion: open its data channel, and end
 * or resume only sessions of its own.
 *
 * A session id starts with the IAM user name or the role session name (`alice-0a1b2c…`), never with
 * `${aws:userid}` (`AIDA…`, or `AROA…:alice` for a role), so `session/${aws:userid}-*` matches nothing. IAM
 * users match `session/${aws:username}-*`; roles (IAM Identity Center included) have no variable holding the
 * bare session name, so they match through the tag Session Manager puts on each session: its owner's user id.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html
 */
export function ownSessionStatements(context: DeploymentContext): PolicyStatement[] {
  const sessions = (pattern: string) => context.arn('ssm', `session/${pattern}`);
  return [
    {
      // The plugin opens the data channel of the session StartSession or ExecuteCommand returned (it holds the
      // session's token). AWS's end-user example scopes this to session ARNs, but the Service Authorization
      // Reference lists no resource type for ssmmessages:OpenDataChannel, so IAM may match it against "*" only:
      // "*" is the one resource that works under both readings, and the session token still gates the channel.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmessagegatewayservice.html
      sid: 'OpenDataChannelsOfOwnSessionsNoResourceScopeExists',
      actions: ['ssmmessages:OpenDataChannel'],
      resources: ['*'],
    },
    {
      sid: 'EndOrResumeOwnSessionsAsIamUser',
      actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
      resources: [sessions(`${AWS_USERNAME}-*`)],
    },
    {
      sid: 'EndOrResumeOwnSessionsByOwnerTag',
      actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
      resources: [sessions('*')],
      conditions: [{ test: 'StringLike', variable: 'ssm:resourceTag/aws:ssmmessages:session-id', values: [AWS_USERID] }],
    },
  ];
}
