import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import { TRANSCRIPTS } from '../naming';

export {
  AWS_USERID,
  AWS_USERNAME,
  DOCUMENT_ACCESS_CHECK,
  ownSessionStatements,
  PORT_FORWARDING_DOCUMENTS,
  portForwardingDocumentArns,
} from './operator-statements';
export { HOST_PLACEHOLDER, forwardHost, localPortFor, portForwardParameters } from './port-forwarding';

/** Key prefix of session transcripts in the archive bucket; the instance role may write below it. */
export const SESSION_LOG_PREFIX = TRANSCRIPTS['ec2-bastion'].s3Prefix;
/** Name Session Manager gives the account-wide preferences document of a region. */
export const ACCOUNT_SESSION_DOCUMENT = 'SSM-SessionManagerRunShell';

// The session opens in the home directory of ssm-user with a login bash, instead of sh in /usr/bin.
const LINUX_SHELL_PROFILE = 'cd ~ && exec bash -l';

export interface SessionPreferencesContent {
  /** KMS key (id or ARN) that encrypts the session stream, end to end between client and agent. */
  readonly kmsKeyId: string;
  /** Encrypted log group that receives session transcripts as they are typed. */
  readonly logGroupName: string;
  /**
   * Archive bucket for a transcript of each session when it ends.
   * @default - no S3 transcripts (CloudWatch Logs only)
   */
  readonly archiveBucketName?: string;
  /** Minutes without input after which Session Manager ends a session. */
  readonly idleSessionTimeoutMinutes: number;
  /**
   * The OS user shell sessions run as (it must exist on the instance).
   * @default - ssm-user (Run As off)
   */
  readonly runAsUser?: string;
  /** Shown in the console. @default 'Session preferences' */
  readonly description?: string;
}

/**
 * The content of a Session Manager preferences document (schema 1.0, Standard_Stream), as a Terraform
 * `jsonencode(...)` expression: the bucket, log group and key are tokens, which JSON.stringify would mangle.
 */
export function sessionPreferencesContent(content: SessionPreferencesContent): string {
  const s3 = content.archiveBucketName ? { s3BucketName: content.archiveBucketName, s3KeyPrefix: SESSION_LOG_PREFIX, s3EncryptionEnabled: true } : {};
  return Fn.jsonencode({
    schemaVersion: '1.0',
    description: content.description ?? 'Session preferences',
    sessionType: 'Standard_Stream',
    inputs: {
      ...s3,
      cloudWatchLogGroupName: content.logGroupName,
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      kmsKeyId: content.kmsKeyId,
      idleSessionTimeout: String(content.idleSessionTimeoutMinutes),
      // Shells run as the unprivileged user the instance creates at first boot (not ssm-user, which the agent
      // would give sudo): a session cannot reach the instance role that writes its transcript. Who did what is
      // in the transcript and CloudTrail, not in OS accounts.
      runAsEnabled: content.runAsUser !== undefined,
      runAsDefaultUser: content.runAsUser ?? '',
      shellProfile: { linux: LINUX_SHELL_PROFILE, windows: '' },
    },
  });
}

export interface SessionPreferencesProps extends Omit<SessionPreferencesContent, 'description'> {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /**
   * Also manage the account-wide SSM-SessionManagerRunShell document of the region with the same preferences.
   * It usually exists already (the console creates it), and creating it again fails with DocumentAlreadyExists.
   * @default false
   */
  readonly manageAccountDocument?: boolean;
}

/**
 * The bastion's own Session Manager preferences: a `Session` document named after the prefix, which operators
 * pass with `--document-name` (their policy refuses sessions without it), so every shell is logged to S3 and
 * CloudWatch and encrypted with the audit key, whatever the account-wide preferences say.
 */
export class SessionPreferences extends Construct {
  /** Name of the custom session document. */
  readonly documentName: string;
  /** ARN of the custom session document. */
  readonly documentArn: string;

  constructor(scope: Construct, id: string, props: SessionPreferencesProps) {
    super(scope, id);
    const { context } = props;
    const content = sessionPreferencesContent({
      ...props,
      description: `${context.namePrefix}: logged and KMS-encrypted shell sessions on the EC2 bastion`,
    });
    const document = new SsmDocument(this, 'document', {
      name: context.names.sessionDocument,
      documentType: 'Session',
      documentFormat: 'JSON',
      content,
    });
    if (props.manageAccountDocument ?? false) {
      new SsmDocument(this, 'account-document', {
        name: ACCOUNT_SESSION_DOCUMENT,
        documentType: 'Session',
        documentFormat: 'JSON',
        // The account's preferences apply to every instance of the region, most without the bastion's session
        // user: the same logging and key, without Run As.
        content: sessionPreferencesContent({ ...props, runAsUser: undefined, description: `${context.namePrefix}: account-wide session preferences` }),
      });
    }
    this.documentName = document.name;
    this.documentArn = document.arn;
  }
}
