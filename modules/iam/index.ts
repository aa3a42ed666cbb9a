import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

/** One statement of an IAM (identity, resource, key or endpoint) policy. */
export interface PolicyStatement {
  /** Statement id: says why the statement exists. */
  readonly sid: string;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  /** @default - none (resource policies may use `principals` with `resources: ['*']` for "this resource") */
  readonly resources?: readonly string[];
  /** For resource-based policies. @default - none (identity policy) */
  readonly principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  /** @default - none */
  readonly conditions?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/**
 * A policy document rendered by the provider's local `aws_iam_policy_document` data source: no AWS call at
 * plan time, valid JSON whatever tokens the statements hold, and a structure tests can inspect.
 */
export class PolicyDocument extends Construct {
  /** The policy as a JSON string (a token). */
  readonly json: string;

  constructor(scope: Construct, id: string, statements: readonly PolicyStatement[]) {
    super(scope, id);
    if (statements.length === 0) throw new Error(`PolicyDocument ${this.node.path}: a policy needs at least one statement`);
    const document = new DataAwsIamPolicyDocument(this, 'document', {
      statement: statements.map((s) => ({
        sid: s.sid,
        effect: s.effect ?? 'Allow',
        actions: [...s.actions],
        resources: s.resources ? [...s.resources] : undefined,
        principals: s.principals?.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
        condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
      })),
    });
    this.json = document.json;
  }
}

export interface ServiceRoleProps {
  /** Role name. */
  readonly name: string;
  /** What the role is for (IAM description). */
  readonly description: string;
  /** Service principal allowed to assume the role, e.g. `ecs-tasks.amazonaws.com`. */
  readonly servicePrincipal: string;
  /**
   * Conditions on the trust policy (aws:SourceAccount / aws:SourceArn), against the confused-deputy problem.
   * @default - none
   */
  readonly trustConditions?: PolicyStatement['conditions'];
  /** The role's inline permissions; each statement's sid says why it exists. */
  readonly statements: readonly PolicyStatement[];
}

/** An IAM role assumed by one AWS service, with one inline least-privilege policy. */
export class ServiceRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly role: IamRole;
  /** The inline policy, for `depends_on` where the role must hold its permissions before use. */
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new PolicyDocument(this, 'trust', [
      {
        sid: 'AssumedByService',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: [props.servicePrincipal] }],
        conditions: props.trustConditions,
      },
    ]);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    const permissions = new PolicyDocument(this, 'permissions', props.statements);
    this.policy = new IamRolePolicy(this, 'policy', { name: 'least-privilege', role: this.role.id, policy: permissions.json });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
