import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn, TerraformIterator, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { cidrSubnet, type CreateNetworkConfig, ECS_SERVICE_SUBNETS_MAX, type ExistingNetworkConfig, isZoneId, parseCidr, type StackName, subnetNewBits } from '../config';
import type { DeploymentContext } from '../context';
import type { AuditTrail } from '../audit';
import { StackVariable } from '../hcl';
import { ServiceRole } from '../iam';

export interface NetworkProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** A new private VPC, or an existing VPC to deploy into. */
  readonly network: CreateNetworkConfig | ExistingNetworkConfig;
  /** Audit trail whose key encrypts the flow log group (create mode). */
  readonly audit: AuditTrail;
  /**
   * Interface endpoints with private DNS are in use (created by the stack, or the VPC's own): in an existing
   * VPC, the plan then fails unless the VPC has DNS support and DNS hostnames on.
   * @default true
   */
  readonly privateDnsEndpoints?: boolean;
}

/**
 * Where the bastion lives. In `create` mode: a VPC with private subnets only (no internet gateway, no NAT),
 * one per zone with its own route table, flow logs to an encrypted log group, and the default security group
 * stripped of every rule. In `existing` mode: the VPC, subnets and route tables the user names, exposed as
 * Terraform variables (`vpc_id`, `subnet_ids`, `route_table_ids`) so one synthesized module serves every VPC.
 */
export class Network extends Construct {
  /** Id of the VPC. */
  readonly vpcId: string;
  /** Private subnets for the bastion and the interface endpoints. */
  readonly subnetIds: string[];
  /** Route tables of those subnets (for the S3 gateway endpoint). */
  readonly routeTableIds: string[];
  /**
   * Every IPv4 CIDR block of the VPC (a token list in existing mode, read at plan time, so blocks associated
   * later are picked up by the next plan).
   */
  readonly cidrBlocks: string[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (props.network.mode === 'create') {
      const created = this.createVpc(props.context, props.network, props.audit);
      this.vpcId = created.vpcId;
      this.subnetIds = created.subnetIds;
      this.routeTableIds = created.routeTableIds;
      this.cidrBlocks = [props.network.cidr];
    } else {
      const existing = this.existingVpc(props.network, props.context.stackName);
      this.vpcId = existing.vpcId;
      this.subnetIds = existing.subnetIds;
      this.routeTableIds = existing.routeTableIds;
      this.cidrBlocks = this.lookUpVpc(existing.vpcId, props.privateDnsEndpoints ?? true);
    }
  }

  private createVpc(context: DeploymentContext, network: CreateNetworkConfig, audit: AuditTrail) {
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: network.cidr,
      // Private DNS of the interface endpoints needs both.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: context.names.resource('vpc') },
    });
    // A new VPC's default security group admits all traffic from itself; nothing should ever use it.
    new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: context.names.resource('default-do-not-use') },
    });
    const newBits = subnetNewBits(parseCidr(network.cidr).prefix);
    const subnetIds: string[] = [];
    const routeTableIds: string[] = [];
    network.availabilityZones.forEach((zone, index) => {
      const subnet = new Subnet(this, `private-${zone}`, {
        vpcId: vpc.id,
        ...(isZoneId(zone) ? { availabilityZoneId: zone } : { availabilityZone: zone }),
        cidrBlock: cidrSubnet(network.cidr, newBits, index),
        mapPublicIpOnLaunch: false,
        tags: { Name: context.names.resource(`private-${zone}`), Tier: 'private' },
      });
      // Only the implicit local route: no internet gateway, no NAT. The S3 gateway endpoint adds its own.
      const routeTable = new RouteTable(this, `private-routes-${zone}`, {
        vpcId: vpc.id,
        tags: { Name: context.names.resource(`private-${zone}`) },
      });
      new RouteTableAssociation(this, `private-routes-association-${zone}`, {
        subnetId: subnet.id,
        routeTableId: routeTable.id,
      });
      subnetIds.push(subnet.id);
      routeTableIds.push(routeTable.id);
    });
    this.createFlowLogs(context, vpc, audit);
    return { vpcId: vpc.id, subnetIds, routeTableIds };
  }

  private createFlowLogs(context: DeploymentContext, vpc: Vpc, audit: AuditTrail) {
    const logGroup = audit.logGroup('flow-log-group', 'vpc-flow-logs');
    const role = new ServiceRole(this, 'flow-logs-role', {
      name: context.names.resource('vpc-flow-logs'),
      description: 'Lets VPC Flow Logs deliver the bastion VPC flow records to its encrypted log group.',
      servicePrincipal: 'vpc-flow-logs.amazonaws.com',
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [context.accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [context.arn('ec2', 'vpc-flow-log/*')] },
      ],
      statements: [
        {
          sid: 'DeliverFlowRecordsToTheFlowLogGroup',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [logGroup.arn, `${logGroup.arn}:*`],
        },
        {
          // The delivery service checks the group exists before writing; AWS cannot scope DescribeLogGroups
          // to a resource, so only "*" matches.
          sid: 'FindTheFlowLogGroup',
          actions: ['logs:DescribeLogGroups'],
          resources: ['*'],
        },
      ],
    });
    new FlowLog(this, 'flow-log', {
      vpcId: vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.roleArn,
      maxAggregationInterval: 60,
      tags: { Name: context.names.resource('vpc-flow-log') },
    });
  }

  /**
   * Reads the existing VPC at plan time: its CIDR blocks (the interface endpoints serve the whole VPC) and,
   * where private DNS endpoints are used, its DNS attributes. Private DNS needs both enableDnsSupport and
   * enableDnsHostnames, and custom VPCs default hostnames to off; without this check the apply would fail
   * half-way, at the first endpoint.
   * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
   */
  private lookUpVpc(vpcId: string, privateDnsEndpoints: boolean): string[] {
    const turnOn = (attribute: string, flag: string) =>
      `VPC \${self.id} has ${attribute} turned off, and the interface endpoints' private DNS needs it. Turn it on (aws ec2 modify-vpc-attribute --vpc-id \${self.id} --${flag} Value=true), or set every endpoint group to "none" if the subnets reach AWS through a NAT gateway.`;
    const vpc = new DataAwsVpc(this, 'existing-vpc', {
      id: vpcId,
      lifecycle: privateDnsEndpoints
        ? {
            postcondition: [
              { condition: '${self.enable_dns_support}', errorMessage: turnOn('enableDnsSupport', 'enable-dns-support') },
              { condition: '${self.enable_dns_hostnames}', errorMessage: turnOn('enableDnsHostnames', 'enable-dns-hostnames') },
            ],
          }
        : undefined,
    });
    // Blocks being or already disassociated stay listed for a while: only the associated ones are the VPC's.
    const associations = TerraformIterator.fromList(Token.asAny(Fn.lookupNested(vpc, ['cidr_block_associations'])));
    return Token.asList(associations.forExpressionForList('val.cidr_block if val.state == "associated"'));
  }

  private existingVpc(network: ExistingNetworkConfig, stackName: StackName) {
    // Declared at stack scope so the names stay `vpc_id` etc. (nested variables get hashed names). In the JSON
    // syntax a validation condition is a string template, hence the ${...} around each expression.
    const stack = TerraformStack.of(this);
    const vpcId = new StackVariable(stack, 'vpc_id', {
      type: 'string',
      default: network.vpcId,
      description: 'Id of the existing VPC the bastion is deployed into.',
      validation: [{ condition: '${can(regex("^vpc-[0-9a-f]{8}([0-9a-f]{9})?$", var.vpc_id))}', errorMessage: 'vpc_id must be a VPC id such as vpc-0123456789abcdef0.' }],
    });
    const subnetIds = new StackVariable(stack, 'subnet_ids', {
      type: 'list(string)',
      default: [...network.subnetIds],
      description: `Private subnets (one per availability zone) for the bastion and the interface endpoints${stackName === 'ecs-bastion' ? `; at most ${ECS_SERVICE_SUBNETS_MAX}` : ''}.`,
      validation: [
        {
          condition: '${length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8}([0-9a-f]{9})?$", s))])}',
          errorMessage: 'subnet_ids must list at least one subnet id such as subnet-0123456789abcdef0.',
        },
        // The configuration's bound (checks-ecs.ts), for a Terraform-only team that sets the variable without it:
        // the ECS service takes at most 16 subnets. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html
        ...(stackName === 'ecs-bastion'
          ? [
              {
                condition: `\${length(var.subnet_ids) <= ${ECS_SERVICE_SUBNETS_MAX}}`,
                errorMessage: `subnet_ids may list at most ${ECS_SERVICE_SUBNETS_MAX} subnets: the ECS service of the bastion takes no more (one private subnet per availability zone is enough).`,
              },
            ]
          : []),
      ],
    });
    const routeTableIds = new StackVariable(stack, 'route_table_ids', {
      type: 'list(string)',
      default: [...network.routeTableIds],
      description: 'Route tables of the bastion subnets; an S3 gateway endpoint the stack creates (endpoints.s3 "create") is attached to them.',
      validation: [
        {
          condition: '${alltrue([for r in var.route_table_ids : can(regex("^rtb-[0-9a-f]{8}([0-9a-f]{9})?$", r))])}',
          errorMessage: 'route_table_ids must hold route table ids such as rtb-0123456789abcdef0.',
        },
      ],
    });
    return { vpcId: vpcId.stringValue, subnetIds: subnetIds.listValue, routeTableIds: routeTableIds.listValue };
  }
}
