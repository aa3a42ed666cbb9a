import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import { PolicyDocument, type PolicyStatement } from '../iam';
import { DOCUMENT_ACCESS_CHECK, ownSessionStatements, portForwardingDocumentArns } from '../session-manager';

export interface OperatorPolicyProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** Name of the custom session document operators must use for shells. */
  readonly sessionDocumentName: string;
  /** ARN of the audit key that encrypts sessions. */
  readonly kmsKeyArn: string;
  /** ARN of the bastion instance (`Ec2Bastion.instanceArn`): the only instance the policy grants on. */
  readonly instanceArn: string;
  /** Tags (key → value) only this bastion carries: a second check, on top of the instance ARN. */
  readonly bastionTags: Readonly<Record<string, string>>;
}

/**
 * What an operator needs to reach the bastion and nothing more: sessions on this instance only (by its ARN, which
 * Terraform rewrites when it replaces the instance; tags alone would let anyone who may tag an instance make it
 * reachable), only with the logged session document or the port-forwarding documents, the key to encrypt them, ending or resuming their own sessions, and the reads a client makes.
 */
export function operatorPolicyStatements(props: OperatorPolicyProps): PolicyStatement[] {
  const { context } = props;
  const tagConditions = Object.entries(props.bastionTags).map(([key, value]) => ({
    test: 'StringEquals',
    variable: `ssm:resourceTag/${key}`,
    values: [value],
  }));
  const instances = props.instanceArn;
  // EC2 uses the audit key as the caller when it starts the instance: its root volume is encrypted with it.
  // https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html#ebs-encryption-permissions
  const viaEc2 = { test: 'StringEquals', variable: 'kms:ViaService', values: [`ec2.${context.region}.${context.dnsSuffix}`] };
  return [
    {
      // Every statement that allows StartSession carries the document access check, or it is not enforced.
      sid: 'StartSessionsOnThisBastionOnly',
      actions: ['ssm:StartSession'],
      resources: [instances],
      conditions: [...tagConditions, DOCUMENT_ACCESS_CHECK],
    },
    {
      // With the access check, a session without --document-name (the account default document, which this
      // policy does not grant) is refused: every shell runs with the logged, encrypted preferences.
      sid: 'StartSessionsWithTheLoggedOrPortForwardingDocumentsOnly',
      actions: ['ssm:StartSession'],
      resources: [context.arn('ssm', `document/${props.sessionDocumentName}`), ...portForwardingDocumentArns(context)],
      conditions: [DOCUMENT_ACCESS_CHECK],
    },
    {
      // The Session Manager console polls whether the bastion can take a session.
      sid: 'SeeWhetherTheBastionCanTakeASession',
      actions: ['ssm:GetConnectionStatus'],
      resources: [instances],
      conditions: tagConditions,
    },
    {
      // The client encrypts the session stream with a data key of the audit key.
      sid: 'EncryptSessionsWithTheAuditKey',
      actions: ['kms:GenerateDataKey'],
      resources: [props.kmsKeyArn],
    },
    ...ownSessionStatements(context),
    {
      sid: 'ReadThisBastionsPatchCompliance',
      actions: ['ssm:DescribeInstancePatchStates', 'ssm:DescribeInstancePatches'],
      resources: [instances],
      conditions: tagConditions,
    },
    {
      // `bastion up ec2` / `bastion down ec2`: the fast, compute-only park of this instance (the stopped
      // instance keeps its volume; bastion_enabled=false is the full park).
      sid: 'StartOrStopThisBastionOnly',
      actions: ['ec2:StartInstances', 'ec2:StopInstances'],
      resources: [instances],
      conditions: Object.entries(props.bastionTags).map(([key, value]) => ({ test: 'StringEquals', variable: `aws:ResourceTag/${key}`, values: [value] })),
    },
    {
      // Without these, StartInstances succeeds and the instance goes pending -> stopped ("Client error on launch").
      sid: 'LetEc2AttachTheEncryptedRootVolumeOnStart',
      actions: ['kms:Decrypt', 'kms:DescribeKey'],
      resources: [props.kmsKeyArn],
      conditions: [viaEc2],
    },
    {
      sid: 'LetEc2GrantItselfTheRootVolumeKeyOnStart',
      actions: ['kms:CreateGrant'],
      resources: [props.kmsKeyArn],
      conditions: [viaEc2, { test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
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
