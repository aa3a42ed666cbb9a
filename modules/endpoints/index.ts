import { DataAwsPrefixList } from '@cdktf/provider-aws/lib/data-aws-prefix-list';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { DeploymentContext } from '../context';
import { PolicyDocument, type PolicyStatement } from '../iam';

/** Interface endpoint services, by the configuration flag that turns them on. */
export const INTERFACE_ENDPOINT_GROUPS = {
  ssm: ['ssm', 'ssmmessages', 'ec2messages'],
  ecr: ['ecr.api', 'ecr.dkr'],
  logs: ['logs'],
  kms: ['kms'],
} as const;

export type InterfaceService = (typeof INTERFACE_ENDPOINT_GROUPS)[keyof typeof INTERFACE_ENDPOINT_GROUPS][number];

/**
 * Interface endpoint services the China regions name `cn.com.amazonaws.<region>.<service>` instead of
 * `com.amazonaws.…` (ssm, ssmmessages, ec2messages, logs and kms keep `com.amazonaws`, and so does the S3 gateway
 * endpoint). CreateVpcEndpoint refuses the other spelling (InvalidServiceName), which no plan notices.
 * "In the aws-cn partition, the format is different: cn.com.amazonaws.region.<service>":
 * https://docs.amazonaws.cn/en_us/batch/latest/userguide/vpc-endpoint-create.html; the services with that prefix, as
 * `aws ec2 describe-vpc-endpoint-services` lists them, are tabled in aws-cdk-lib's InterfaceVpcEndpointAwsService
 * (hashicorp/terraform-provider-aws#17640 shows cn.com.amazonaws.cn-north-1.ecr.dkr).
 */
const CN_PREFIXED_SERVICES: ReadonlySet<string> = new Set(['ecr.api', 'ecr.dkr']);

/** The name of an AWS endpoint service in a region: com.amazonaws.<region>.<service>, cn.com.amazonaws.… where China names it so. */
export function endpointServiceName(region: string, service: string): string {
  const prefix = region.startsWith('cn-') && CN_PREFIXED_SERVICES.has(service) ? 'cn.com.amazonaws' : 'com.amazonaws';
  return `${prefix}.${region}.${service}`;
}

export interface S3GatewayEndpointProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** The VPC: the created one, or the `vpc_id` variable in an existing VPC. */
  readonly vpcId: string;
  /** Route tables of the bastion subnets. */
  readonly routeTableIds: string[];
  /**
   * What may pass through the endpoint: statements on the buckets the bastion really uses (image layers, the
   * session archive, patch repositories). Principal `*` is added; scope each statement by its resources.
   * Leave it out where others share the route tables: AWS's default full-access policy then keeps their S3
   * access as it was.
   * @default - AWS's default policy (full access)
   */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * The S3 gateway endpoint (free of charge). In a VPC of its own the bastion's endpoint admits only the buckets
 * it needs; on route tables other workloads share, an endpoint policy would restrict them too, so none is set.
 */
export class S3GatewayEndpoint extends Construct {
  /** Id of the endpoint. */
  readonly endpointId: string;
  /** Managed prefix list of S3 in this region, for the bastion's egress rule. */
  readonly prefixListId: string;

  constructor(scope: Construct, id: string, props: S3GatewayEndpointProps) {
    super(scope, id);
    const policy = props.statements
      ? new PolicyDocument(
          this,
          'policy',
          props.statements.map((s) => ({ ...s, principals: s.principals ?? [{ type: '*', identifiers: ['*'] }] })),
        )
      : undefined;
    const endpoint = new VpcEndpoint(this, 'endpoint', {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.context.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: props.routeTableIds,
      policy: policy?.json,
      tags: { Name: props.context.names.resource('s3') },
    });
    this.endpointId = endpoint.id;
    this.prefixListId = endpoint.prefixListId;
  }
}

/** The name of S3's AWS-managed prefix list in a region. */
export function s3PrefixListName(region: string): string {
  return `com.amazonaws.${region}.s3`;
}

/**
 * Looks up S3's prefix list of the region at plan time, for the bastion's egress rules where S3 is reached
 * through a gateway endpoint the VPC already has, or through a NAT gateway.
 */
export function lookUpS3PrefixList(scope: Construct, id: string, region: string): string {
  return new DataAwsPrefixList(scope, id, { name: s3PrefixListName(region) }).id;
}

export interface InterfaceEndpointsProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** The VPC: the created one, or the `vpc_id` variable in an existing VPC. */
  readonly vpcId: string;
  /** Subnets to place the endpoint network interfaces in. */
  readonly subnetIds: string[];
  /** Security group of the endpoints. */
  readonly securityGroupId: string;
  /** Services to create endpoints for. */
  readonly services: readonly InterfaceService[];
  /**
   * Place the endpoints in the first subnet only: half the hourly cost, no zone redundancy.
   * @default false
   */
  readonly singleAz?: boolean;
}

/**
 * Interface endpoints with private DNS, so the bastion reaches AWS APIs with no NAT. They are the costly part
 * of an idle bastion, so each carries `count = bastion_enabled ? 1 : 0`.
 *
 * Private DNS makes an endpoint answer for the service's regional name in the whole VPC, not for the bastion
 * only: in an existing VPC every other workload's calls to the service move from its NAT to the endpoint, which
 * its security groups, network ACLs and aws:SourceIp policies may refuse (`bastion preflight` reads the first two;
 * docs/existing-vpc.md). https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
 */
export class InterfaceEndpoints extends Construct {
  /** The endpoints, by service. */
  readonly endpoints: Partial<Record<InterfaceService, VpcEndpoint>> = {};

  constructor(scope: Construct, id: string, props: InterfaceEndpointsProps) {
    super(scope, id);
    const subnetIds = props.singleAz ? Fn.slice(props.subnetIds, 0, 1) : props.subnetIds;
    for (const service of props.services) {
      this.endpoints[service] = new VpcEndpoint(this, service.replace('.', '-'), {
        count: props.context.enabledCount,
        vpcId: props.vpcId,
        serviceName: endpointServiceName(props.context.region, service),
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds,
        securityGroupIds: [props.securityGroupId],
        tags: { Name: props.context.names.resource(service) },
      });
    }
  }
}
