import type { BastionConfig, StackName } from '../config';
import { PREFIX_TAG, STACK_TAG, type StackNames, stackNames } from '../naming';

/**
 * What every module needs to know about where it is deployed, resolved once per stack: region, partition,
 * account (a literal from the configuration, or a token from aws_caller_identity) and the resource names.
 */
export interface DeploymentContext {
  /** The configured region, e.g. "eu-west-1". */
  readonly region: string;
  /** The region's partition: "aws", "aws-cn" or "aws-us-gov". */
  readonly partition: string;
  /** Service principal / endpoint DNS suffix (amazonaws.com). */
  readonly dnsSuffix: string;
  /** Account id: the configured literal, or a token resolved at plan time. */
  readonly accountId: string;
  /** The configured `namePrefix`, which every resource name starts with. */
  readonly namePrefix: string;
  /** Stack whose resources these are. */
  readonly stackName: StackName;
  /** The names of this stack's resources, checked against AWS's naming rules before synth. */
  readonly names: StackNames;
  /** The Terraform expression of the `bastion_enabled` switch, for `count`. */
  readonly enabledCount: number;
  /**
   * The tags of every resource: the configured ones and the stack's own. The provider applies them as
   * default_tags to resources, but not to tags a resource passes on (launch template tag specifications, the
   * repositories an ECR creation template makes): those must name them.
   */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** Builds an ARN in this partition, region and account: arn('logs', 'log-group:/x'). */
  arn(service: string, resource: string, options?: { readonly region?: string; readonly account?: string }): string;
  /** Service principal, e.g. servicePrincipal('logs') = "logs.eu-west-1.amazonaws.com" when regional. */
  servicePrincipal(service: string, options?: { readonly regional?: boolean }): string;
}

/** The tags of every resource of a stack: the configured ones, then the stack's own (which win). */
export function stackTags(config: Pick<BastionConfig, 'tags' | 'namePrefix'>, stackName: StackName): Readonly<Record<string, string>> {
  return { ...config.tags, [STACK_TAG]: stackName, [PREFIX_TAG]: config.namePrefix, ManagedBy: 'terraform (ssm-bastion)' };
}

/**
 * Services whose principal takes the partition's DNS suffix in China (ec2.amazonaws.com.cn,
 * logs.cn-north-1.amazonaws.com.cn); every other service principal, and every one in the other partitions we
 * deploy to, ends in amazonaws.com. A trust or key policy naming ec2.amazonaws.com in cn-north-1 admits no one:
 * the instance profile cannot be used, the log groups cannot use the key. The table is the AWS provider's own, as
 * its aws_service_principal data source computes it (internal/service/meta/service_principal_data_source.go):
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/service_principal
 */
const CHINA_SUFFIXED_PRINCIPALS: ReadonlySet<string> = new Set(['codedeploy', 'ec2', 'elasticmapreduce', 'logs', 's3']);

/** The DNS suffix of a service principal: the partition's for the services China names so, else amazonaws.com. */
export function servicePrincipalSuffix(service: string, partition: string, dnsSuffix: string): string {
  return partition === 'aws-cn' && CHINA_SUFFIXED_PRINCIPALS.has(service) ? dnsSuffix : 'amazonaws.com';
}

export function deploymentContext(config: BastionConfig, stackName: StackName, accountId: string, enabledCount: number): DeploymentContext {
  const { region, partition, dnsSuffix, namePrefix } = config;
  return {
    region,
    partition,
    dnsSuffix,
    accountId,
    namePrefix,
    stackName,
    names: stackNames(namePrefix, region, stackName),
    enabledCount,
    defaultTags: stackTags(config, stackName),
    arn: (service, resource, options = {}) =>
      `arn:${partition}:${service}:${options.region ?? region}:${options.account ?? accountId}:${resource}`,
    servicePrincipal: (service, options = {}) => {
      const suffix = servicePrincipalSuffix(service, partition, dnsSuffix);
      return options.regional ? `${service}.${region}.${suffix}` : `${service}.${suffix}`;
    },
  };
}
