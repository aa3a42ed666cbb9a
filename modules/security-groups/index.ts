import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import type { TargetConfig } from '../config';
import type { DeploymentContext } from '../context';

/** Who may reach the interface endpoints the stack creates. */
export type EndpointClients =
  /** Only the bastion: the VPC is the bastion's own. */
  | { readonly kind: 'bastion' }
  /**
   * Every address of the VPC, as AWS's own endpoints would admit: with private DNS the endpoints serve every
   * workload of a shared VPC, which would otherwise time out calling these services.
   */
  | { readonly kind: 'vpc'; readonly cidrBlocks: string[] };

export interface BastionSecurityGroupsProps {
  /** Where the stack is deployed: region, partition, account and resource names. */
  readonly context: DeploymentContext;
  /** The VPC: the created one, or the `vpc_id` variable in an existing VPC. */
  readonly vpcId: string;
  /** What the bastion may reach: one egress rule each (and an ingress rule on the target's group if asked). */
  readonly targets: readonly TargetConfig[];
  /**
   * S3's prefix list (from the gateway endpoint, or looked up): egress to it for image layers, archive and
   * patches (443), and for the agent's plain-HTTP calls to AWS-managed buckets (80).
   * @default - no S3 rule
   */
  readonly s3PrefixListId?: string;
  /**
   * Create the security group of the interface endpoints the stack creates, admitting these clients on 443.
   * @default - no interface endpoints are created
   */
  readonly interfaceEndpointClients?: EndpointClients;
  /**
   * IPv4 blocks of the VPC, when the bastion uses interface endpoints the VPC already has: egress 443 to them.
   * @default - none
   */
  readonly existingEndpointCidrBlocks?: string[];
  /**
   * Allow HTTPS to any address, for an existing VPC whose NAT gateway reaches the AWS APIs the bastion needs
   * because some endpoint groups are "none".
   * @default false
   */
  readonly httpsToInternet?: boolean;
}

/**
 * The bastion's security group (no ingress at all; egress only to the endpoints, S3 and the configured
 * targets) and the interface endpoints' group (443 from the bastion, or from the VPC it shares).
 * Every rule is its own resource with a description.
 */
export class BastionSecurityGroups extends Construct {
  /** Security group of the bastion task or instance. */
  readonly bastionSecurityGroupId: string;
  /** Security group of the interface endpoints, when created. */
  readonly endpointSecurityGroupId?: string;

  constructor(scope: Construct, id: string, props: BastionSecurityGroupsProps) {
    super(scope, id);
    const { context } = props;
    const bastion = new SecurityGroup(this, 'bastion', {
      name: context.names.resource('bastion'),
      description: 'ssm-bastion: no ingress; egress only to VPC endpoints, S3 and the configured targets',
      vpcId: props.vpcId,
      // No inline rules: the per-rule resources below own them, and an empty inline egress would fight them.
      tags: { Name: context.names.resource('bastion') },
      lifecycle: { createBeforeDestroy: true },
    });
    this.bastionSecurityGroupId = bastion.id;

    const clients = props.interfaceEndpointClients;
    if (clients) {
      const endpoints = new SecurityGroup(this, 'endpoints', {
        name: context.names.resource('vpc-endpoints'),
        description:
          clients.kind === 'vpc'
            ? 'ssm-bastion: interface VPC endpoints, HTTPS from the VPC (private DNS serves the whole VPC)'
            : 'ssm-bastion: interface VPC endpoints, HTTPS from the bastion only',
        vpcId: props.vpcId,
        tags: { Name: context.names.resource('vpc-endpoints') },
        lifecycle: { createBeforeDestroy: true },
      });
      this.endpointSecurityGroupId = endpoints.id;
      if (clients.kind === 'vpc') {
        const cidrs = TerraformIterator.fromList(clients.cidrBlocks);
        new VpcSecurityGroupIngressRule(this, 'endpoints-from-vpc', {
          forEach: cidrs,
          securityGroupId: endpoints.id,
          description: 'HTTPS from the VPC to the interface endpoints, as AWS endpoints admit their VPC',
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrIpv4: cidrs.value,
          tags: { Name: context.names.resource('endpoints-from-vpc') },
        });
      } else {
        new VpcSecurityGroupIngressRule(this, 'endpoints-from-bastion', {
          securityGroupId: endpoints.id,
          description: 'HTTPS from the bastion to the interface endpoints',
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          referencedSecurityGroupId: bastion.id,
          tags: { Name: context.names.resource('endpoints-from-bastion') },
        });
      }
      new VpcSecurityGroupEgressRule(this, 'bastion-to-endpoints', {
        securityGroupId: bastion.id,
        description: 'HTTPS to the interface VPC endpoints of this stack (SSM, ECR, Logs, KMS)',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: endpoints.id,
        tags: { Name: context.names.resource('bastion-to-endpoints') },
      });
    }
    if (props.existingEndpointCidrBlocks) {
      // The VPC's own endpoints have network interfaces somewhere in its blocks; their security group decides.
      const cidrs = TerraformIterator.fromList(props.existingEndpointCidrBlocks);
      new VpcSecurityGroupEgressRule(this, 'bastion-to-existing-endpoints', {
        forEach: cidrs,
        securityGroupId: bastion.id,
        description: 'HTTPS to the interface endpoints the VPC already has (its own address blocks only)',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidrs.value,
        tags: { Name: context.names.resource('bastion-to-existing-endpoints') },
      });
    }
    if (props.s3PrefixListId) {
      new VpcSecurityGroupEgressRule(this, 'bastion-to-s3', {
        securityGroupId: bastion.id,
        description: 'HTTPS to S3 through the gateway endpoint (image layers, session archive, patches)',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        prefixListId: props.s3PrefixListId,
        tags: { Name: context.names.resource('bastion-to-s3') },
      });
      // "SSM Agent connects to [AWS managed buckets] using HTTP calls": a dropped port 80 stalls the agent until
      // it falls back. https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html
      new VpcSecurityGroupEgressRule(this, 'bastion-to-s3-http', {
        securityGroupId: bastion.id,
        description: 'HTTP to S3: the SSM agent reads AWS-managed buckets over plain HTTP first',
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        prefixListId: props.s3PrefixListId,
        tags: { Name: context.names.resource('bastion-to-s3-http') },
      });
    }
    if (props.httpsToInternet) {
      new VpcSecurityGroupEgressRule(this, 'bastion-to-aws-apis', {
        securityGroupId: bastion.id,
        // No quotes: EC2 refuses a rule description with any character outside RULE_DESCRIPTION_CHARACTERS.
        description: 'HTTPS to public AWS APIs through the NAT gateway (endpoint groups set to none)',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
        tags: { Name: context.names.resource('bastion-to-aws-apis') },
      });
    }
    // Two targets may share a destination and port (an Aurora writer and reader behind one security group):
    // one rule per distinct pair, since AWS refuses a duplicate rule.
    for (const group of groupByDestination(props.targets)) {
      const [first] = group;
      const names = group.map((t) => t.name);
      new VpcSecurityGroupEgressRule(this, `bastion-to-${first.name}`, {
        securityGroupId: bastion.id,
        description: describeTargets(`Bastion to target${group.length > 1 ? 's' : ''}`, names, first.port),
        ipProtocol: 'tcp',
        fromPort: first.port,
        toPort: first.port,
        referencedSecurityGroupId: first.securityGroupId,
        cidrIpv4: first.cidr,
        tags: { Name: context.names.resource(`to-${first.name}`) },
      });
      const admitted = group.filter((t) => t.securityGroupId && t.addIngressRule);
      if (admitted.length > 0) {
        new VpcSecurityGroupIngressRule(this, `${first.name}-from-bastion`, {
          securityGroupId: first.securityGroupId!,
          description: describeTargets(`${context.namePrefix} bastion to`, admitted.map((t) => t.name), first.port),
          ipProtocol: 'tcp',
          fromPort: first.port,
          toPort: first.port,
          referencedSecurityGroupId: bastion.id,
          tags: { Name: context.names.resource(`${first.name}-from-bastion`) },
        });
      }
    }
  }
}

/** AWS refuses a security group rule description longer than this (the IpRange / UserIdGroupPair Description). */
export const MAX_RULE_DESCRIPTION = 255;

/**
 * What EC2 accepts in a security group rule description (and a group description): "a-z, A-Z, 0-9, spaces, and
 * ._-:/()#,@[]+=&;{}!$*". No quotes, no apostrophes, nothing non-ASCII. aws_vpc_security_group_*_rule does not
 * check it at plan time (aws_security_group_rule does), so a character outside the set fails only at apply.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
 */
export const RULE_DESCRIPTION_CHARACTERS = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

/**
 * `<lead> a, b, c on TCP <port>`, with as many names as fit in a rule description and "N more" for the rest:
 * up to 50 targets may share one destination and port.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html
 */
export function describeTargets(lead: string, names: readonly string[], port: number): string {
  const text = (listed: readonly string[]) => `${lead} ${listed.join(', ')} on TCP ${port}`;
  for (let kept = names.length; kept > 0; kept--) {
    const listed = kept === names.length ? names : [...names.slice(0, kept), `${names.length - kept} more`];
    if (text(listed).length <= MAX_RULE_DESCRIPTION) return text(listed);
  }
  return text([`${names.length} targets`]);
}

/** Targets grouped by what a rule is about: destination (security group or CIDR) and port, in input order. */
function groupByDestination(targets: readonly TargetConfig[]): TargetConfig[][] {
  const groups = new Map<string, TargetConfig[]>();
  for (const target of targets) {
    const key = `${target.securityGroupId ?? target.cidr}:${target.port}`;
    groups.set(key, [...(groups.get(key) ?? []), target]);
  }
  return [...groups.values()];
}
