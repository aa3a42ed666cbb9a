import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import { PolicyDocument, type PolicyStatement } from '../iam';
import { DOCUMENT_ACCESS_CHECK, ownSessionStatements, portForwardingDocumentArns } from '../session-manager';

export interface OperatorStatementsProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** ARN of the bastion cluster. */
  readonly clusterArn: string;
  /** ARN of the audit key ECS Exec sessions are encrypted with. */
  readonly kmsKeyArn: string;
  /** Family of the bastion's task definition: `bastion up/down` may not switch the service to another one. */
  readonly taskDefinitionFamily: string;
  /** The service's subnets: `bastion up/down` may not move the tasks into others. */
  readonly subnetIds: string[];
}

/**
 * Everything a person needs to open a shell in, or a tunnel through, this bastion (by hand or with
 * `bastion connect ecs`), and nothing about any other cluster or task.
 */
export function operatorStatements(props: OperatorStatementsProps): PolicyStatement[] {
  const { context } = props;
  const cluster = context.names.ecsCluster;
  const tasks = context.arn('ecs', `task/${cluster}/*`);
  const inThisCluster = [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [props.clusterArn] }];
  return [
    {
      sid: 'ExecIntoTheBastionContainerOnly',
      actions: ['ecs:ExecuteCommand'],
      resources: [props.clusterArn, tasks],
      conditions: [{ test: 'StringEquals', variable: 'ecs:container-name', values: [context.names.ecsContainer] }],
    },
    {
      // To find the task id and runtime id a session needs.
      sid: 'DescribeTheBastionTasks',
      actions: ['ecs:DescribeTasks'],
      resources: [tasks],
      conditions: inThisCluster,
    },
    {
      // ListTasks authorizes against container instances (none on Fargate); the cluster condition scopes it.
      sid: 'ListTasksOfTheBastionClusterOnly',
      actions: ['ecs:ListTasks'],
      resources: ['*'],
      conditions: inThisCluster,
    },
    {
      // `bastion connect ecs` reads the service to tell a parked bastion from a failing one.
      sid: 'DescribeTheBastionService',
      actions: ['ecs:DescribeServices'],
      resources: [context.arn('ecs', `service/${cluster}/${context.names.ecsService}`)],
    },
    {
      // `bastion up ecs` / `bastion down ecs`: the fast, compute-only park (desired count 1 or 0). The next
      // `terraform apply` sets the configured count again; bastion_enabled=false is the full park.
      // UpdateService can change far more than the count. Its condition keys (Service Authorization Reference,
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html)
      // keep the task definition, the subnets and the public IP as deployed. Each holds whether ECS leaves the key
      // out of a count-only request (IfExists, ForAllValues) or fills it with the service's current value.
      // No key covers security groups or load balancers: docs/security.md names that as what remains.
      sid: 'WakeOrParkTheBastionService',
      actions: ['ecs:UpdateService'],
      resources: [context.arn('ecs', `service/${cluster}/${context.names.ecsService}`)],
      conditions: [
        { test: 'ArnLikeIfExists', variable: 'ecs:task-definition', values: [context.arn('ecs', `task-definition/${props.taskDefinitionFamily}:*`)] },
        { test: 'ForAllValues:StringEquals', variable: 'ecs:subnet', values: props.subnetIds },
        { test: 'BoolIfExists', variable: 'ecs:auto-assign-public-ip', values: ['false'] },
      ],
    },
    {
      // `bastion status` reports whether the interface endpoints are present; AWS cannot scope this call.
      sid: 'SeeWhetherTheEndpointsArePresent',
      actions: ['ec2:DescribeVpcEndpoints'],
      resources: ['*'],
    },
    {
      // Port forwarding through a bastion task. The document check makes Session Manager verify access to the
      // document too, so only the two port-forwarding documents work: no plain SSM shell that would bypass
      // the ECS Exec transcript. It is on the only statement that allows StartSession, so it is enforced.
      sid: 'PortForwardThroughBastionTasksOnly',
      actions: ['ssm:StartSession'],
      resources: [tasks, ...portForwardingDocumentArns(context)],
      conditions: [DOCUMENT_ACCESS_CHECK],
    },
    {
      // The operator's client generates the session data key with the cluster's key.
      sid: 'EncryptEcsExecSessionsWithTheAuditKey',
      actions: ['kms:GenerateDataKey'],
      resources: [props.kmsKeyArn],
    },
    ...ownSessionStatements(context),
  ];
}

/**
 * A customer-managed policy the team attaches to the people (or their SSO permission set / role) who may use
 * the bastion. Its ARN is a stack output.
 */
export class OperatorPolicy extends Construct {
  readonly policyArn: string;
  readonly policyName: string;

  constructor(scope: Construct, id: string, props: OperatorStatementsProps) {
    super(scope, id);
    const document = new PolicyDocument(this, 'document', operatorStatements(props));
    const name = props.context.names.resource('operator');
    const policy = new IamPolicy(this, 'policy', {
      name,
      description: `Use the ${props.context.names.ecsCluster} bastion: ECS Exec shell and Session Manager port forwarding through its tasks.`,
      policy: document.json,
      tags: { Name: name },
    });
    this.policyArn = policy.arn;
    this.policyName = policy.name;
  }
}
