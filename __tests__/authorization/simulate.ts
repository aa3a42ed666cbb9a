import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { IamRequest } from '../../cli/permissions';
import type { IamModel, IamPolicyJson } from './iam-model';

/**
 * Authorization as AWS evaluates it, offline: `@cloud-copilot/iam-simulate` (a test-only devDependency,
 * AGPL-3.0; nothing of it ships) evaluates each request against the identity policies of the caller, the
 * resource policy of what it touches (the key policy for KMS, the bucket policy for the stack's buckets, the
 * trust policy for sts:AssumeRole) and, for S3 requests from inside the VPC, the S3 gateway endpoint's policy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** Who makes a request. */
export interface Principal {
  /** For messages. */
  readonly label: string;
  /** The principal ARN (an assumed-role session, an IAM user) or a service principal (`logs.<region>.amazonaws.com`). */
  readonly arn: string;
  /** Identity policies of the caller (none for a service principal). */
  readonly identityPolicies: readonly IamPolicyJson[];
  /** Global context keys of the caller (aws:userid, aws:username, aws:PrincipalAccount, …). */
  readonly context: Readonly<Record<string, string>>;
  /** The caller runs inside the bastion's VPC: its S3 requests pass the S3 gateway endpoint of the stack. */
  readonly inVpc?: boolean;
}

/** A caller in the stack's account: an assumed-role session of a role whose identity policies are given. */
export function roleSession(
  label: string,
  where: { partition: string; accountId: string },
  role: string,
  session: string,
  policies: readonly IamPolicyJson[],
  options: { inVpc?: boolean; roleId?: string } = {},
): Principal {
  const userid = `${options.roleId ?? 'AROAEXAMPLEROLEID0001'}:${session}`;
  return {
    label,
    arn: `arn:${where.partition}:sts::${where.accountId}:assumed-role/${role}/${session}`,
    identityPolicies: policies,
    context: {
      'aws:userid': userid,
      'aws:PrincipalAccount': where.accountId,
      'aws:PrincipalArn': `arn:${where.partition}:iam::${where.accountId}:role/${role}`,
      'aws:PrincipalType': 'AssumedRole',
    },
    inVpc: options.inVpc,
  };
}

/** An IAM user of the stack's account. */
export function iamUser(label: string, where: { partition: string; accountId: string }, name: string, policies: readonly IamPolicyJson[]): Principal {
  return {
    label,
    arn: `arn:${where.partition}:iam::${where.accountId}:user/${name}`,
    identityPolicies: policies,
    context: {
      'aws:userid': 'AIDAEXAMPLEUSERID0001',
      'aws:username': name,
      'aws:PrincipalAccount': where.accountId,
      'aws:PrincipalArn': `arn:${where.partition}:iam::${where.accountId}:user/${name}`,
      'aws:PrincipalType': 'User',
    },
  };
}

/** An AWS service acting with its own service principal (key policies, trust and bucket policies). */
export function servicePrincipal(name: string): Principal {
  return { label: name, arn: name, identityPolicies: [], context: {} };
}

const S3_ARN = /^arn:[^:]+:s3:::([^/]+)/;

/**
 * AWS-owned SSM documents have no account in their ARN (`arn:aws:ssm:<region>::document/AWS-…`), which the
 * simulator's resource-type check does not accept. The same stand-in account is written on both sides (policies
 * and request), so what matches what is unchanged.
 */
const AWS_OWNED_DOCUMENT = /(arn:[^:]+:ssm:[^:]*)::document\//g;
const withStandInAccount = (text: string) => text.replace(AWS_OWNED_DOCUMENT, '$1:aws:document/');

/**
 * The simulator accepts variable condition keys only in the `prefix/name` form, so it would ignore the
 * `kms:EncryptionContext:<name>` keys (names such as `aws:logs:arn` hold colons) and every condition on them
 * would fail as if the key were missing. Such keys are renamed to a stand-in of that form, in the policies and
 * the request alike (no policy of the stacks uses aws:RequestTag), so conditions on them are evaluated.
 */
const ENCRYPTION_CONTEXT = /kms:EncryptionContext:([A-Za-z0-9:_./-]+)/g;
const ENCRYPTION_CONTEXT_STAND_IN = 'aws:RequestTag/kms-encryption-context.';
const withStandInKeys = (text: string) => text.replace(ENCRYPTION_CONTEXT, (_key, name: string) => `${ENCRYPTION_CONTEXT_STAND_IN}${name}`);

function forSimulator<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(withStandInKeys(withStandInAccount(JSON.stringify(value)))) as T);
}

/** The resource policy AWS evaluates with a request, if the stack writes one. */
function resourcePolicy(model: IamModel, request: IamRequest): IamPolicyJson | undefined {
  if (request.action.startsWith('kms:')) return model.keyPolicy();
  if (request.action === 'sts:AssumeRole') return model.trustPolicy(request.resource.split('/').pop()!);
  const bucket = S3_ARN.exec(request.resource)?.[1];
  if (request.action.startsWith('s3:') && bucket) return model.bucketPolicy(bucket);
  return undefined;
}

/** How AWS decides `request` by `principal` against the stack's policies (throws when the simulator rejects the input). */
export async function decide(model: IamModel, principal: Principal, request: IamRequest): Promise<Decision> {
  const endpoint = principal.inVpc && request.action.startsWith('s3:') ? model.s3EndpointPolicy() : undefined;
  const simulation: Simulation = {
    request: {
      principal: principal.arn,
      action: request.action,
      resource: { resource: withStandInAccount(request.resource), accountId: model.where.accountId },
      contextVariables: {
        ...principal.context,
        ...(principal.inVpc && endpoint ? { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } : {}),
        ...Object.fromEntries(Object.entries(request.context ?? {}).map(([key, value]) => [withStandInKeys(key), typeof value === 'string' ? value : [...value]])),
      },
    },
    identityPolicies: principal.identityPolicies.map((policy, i) => ({ name: `identity-${i}`, policy: forSimulator(policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: forSimulator(resourcePolicy(model, request)),
    vpcEndpointPolicies: endpoint ? [{ name: 's3-gateway-endpoint', policy: forSimulator(endpoint) }] : undefined,
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(`iam-simulate refused ${request.action} on ${request.resource} by ${principal.label}: ${JSON.stringify(result.errors)}`);
  }
  // A context key the simulator does not know for the action would be ignored silently: refuse that instead.
  const ignored = 'result' in result ? (result.result.ignoredContextKeys ?? []) : [];
  if (ignored.length > 0) throw new Error(`iam-simulate ignored the context keys ${ignored.join(', ')} of ${request.action} by ${principal.label}`);
  return result.overallResult as Decision;
}

/** The requests of `requests` that AWS would not allow, as readable lines (empty: every one is allowed). */
export async function refused(model: IamModel, principal: Principal, requests: readonly IamRequest[]): Promise<string[]> {
  const lines: string[] = [];
  for (const request of requests) {
    const decision = await decide(model, principal, request);
    if (decision !== 'Allowed') lines.push(`${principal.label}: ${request.action} on ${request.resource}${request.note ? ` (${request.note})` : ''} → ${decision}`);
  }
  return lines;
}

/** The requests of `requests` that AWS would allow (empty: every one is refused). */
export async function allowed(model: IamModel, principal: Principal, requests: readonly IamRequest[]): Promise<string[]> {
  const lines: string[] = [];
  for (const request of requests) {
    if ((await decide(model, principal, request)) === 'Allowed') {
      lines.push(`${principal.label}: ${request.action} on ${request.resource}${request.note ? ` (${request.note})` : ''}`);
    }
  }
  return lines;
}
