import { posix } from 'node:path';
import type { ConfigProblem } from './errors';
import { AWS_NAME_RULES, nameViolation, plannedNames } from '../naming/rules';
import { ec2Problems } from './checks-ec2';
import { ecsProblems } from './checks-ecs';
import { isNetworkAligned, isPrivateRange, parseCidr } from './network-math';
import { defaultAvailabilityZones, dnsSuffixOf, isZoneId, partitionOf, zoneIdPrefix } from './regions';
import { ENDPOINT_GROUPS, type EndpointGroup, type EndpointMode, type ParsedConfig, STACK_PLACEHOLDER, type StackName } from './schema';

export interface CreateNetworkConfig {
  readonly mode: 'create';
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
}

export interface ExistingNetworkConfig {
  readonly mode: 'existing';
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly routeTableIds: readonly string[];
  readonly natGateway: boolean;
}

/** How the stacks reach each group of AWS services: every group resolved to a mode. */
export interface EndpointsConfig extends Readonly<Record<EndpointGroup, EndpointMode>> {
  /** Interface endpoints this stack creates go into the first subnet only. */
  readonly singleAz: boolean;
}

/** The validated configuration with every default filled in; what the constructs consume. */
export interface BastionConfig extends Omit<ParsedConfig, 'network' | '$schema' | 'endpoints'> {
  readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  /** DNS suffix of service principals and endpoints (amazonaws.com, or amazonaws.com.cn). */
  readonly dnsSuffix: string;
  readonly network: CreateNetworkConfig | ExistingNetworkConfig;
  readonly endpoints: EndpointsConfig;
  readonly ec2: ParsedConfig['ec2'] & { readonly patching: ParsedConfig['ec2']['patching'] & { readonly patchGroup: string } };
}

/** The endpoint groups each stack cannot work without when its subnets have no route to the internet. */
export const REQUIRED_ENDPOINTS: Record<StackName, Record<EndpointGroup, string | undefined>> = {
  'ecs-bastion': {
    ssm: 'ECS Exec and port forwarding open their channels through ssmmessages',
    ecr: 'the task pulls its image from ECR',
    logs: 'the container and ECS Exec sessions log to CloudWatch Logs',
    kms: 'ECS Exec sessions are encrypted with the audit KMS key',
    s3: 'ECR serves image layers from S3',
  },
  'ec2-bastion': {
    ssm: 'the SSM agent registers and opens sessions through ssm, ssmmessages and ec2messages',
    ecr: undefined,
    logs: 'sessions and patch runs log to CloudWatch Logs',
    kms: 'sessions are encrypted with the audit KMS key',
    s3: 'Patch Manager downloads patches and baselines from S3',
  },
};

function resolveNetwork(parsed: ParsedConfig): BastionConfig['network'] {
  const network = parsed.network;
  if (network.mode === 'existing') return network;
  return {
    mode: 'create',
    cidr: network.cidr,
    availabilityZones: network.availabilityZones ?? defaultAvailabilityZones(parsed.region),
  };
}

/**
 * Every group defaults to "create", except S3 in an existing VPC: most already have an S3 gateway endpoint on
 * their route tables, a route table takes only one, and one this stack added would carry a policy for the
 * whole VPC. There the default is "existing", and `bastion preflight` says when the VPC has none.
 */
function resolveEndpoints(parsed: ParsedConfig): EndpointsConfig {
  const given = parsed.endpoints;
  const defaults: Record<EndpointGroup, EndpointMode> = {
    ssm: 'create',
    ecr: 'create',
    logs: 'create',
    kms: 'create',
    s3: parsed.network.mode === 'existing' ? 'existing' : 'create',
  };
  const modes = Object.fromEntries(ENDPOINT_GROUPS.map((group) => [group, given[group] ?? defaults[group]])) as Record<EndpointGroup, EndpointMode>;
  return { ...modes, singleAz: given.singleAz };
}

/** Fills in the defaults that depend on other fields. */
export function resolveConfig(parsed: ParsedConfig): BastionConfig {
  const { $schema: _schema, ...rest } = parsed;
  return {
    ...rest,
    partition: partitionOf(parsed.region),
    dnsSuffix: dnsSuffixOf(parsed.region),
    network: resolveNetwork(parsed),
    endpoints: resolveEndpoints(parsed),
    ec2: { ...parsed.ec2, patching: { ...parsed.ec2.patching, patchGroup: parsed.ec2.patching.patchGroup ?? parsed.namePrefix } },
    backend: parsed.backend.type === 's3' ? { ...parsed.backend, region: parsed.backend.region ?? parsed.region } : parsed.backend,
  };
}

function duplicates(values: readonly string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

function networkProblems(config: BastionConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const network = config.network;
  if (network.mode === 'create') {
    const { prefix } = parseCidr(network.cidr);
    if (prefix < 16 || prefix > 24) {
      problems.push({ path: 'network.cidr', value: network.cidr, message: 'the VPC block must be between /16 and /24' });
    } else if (!isNetworkAligned(network.cidr)) {
      problems.push({ path: 'network.cidr', value: network.cidr, message: 'host bits are set; use the network address of the block (e.g. 10.42.0.0/16)' });
    } else if (!isPrivateRange(network.cidr)) {
      problems.push({
        path: 'network.cidr',
        value: network.cidr,
        message: 'must lie in a private range: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10',
      });
    }
    network.availabilityZones.forEach((zone, i) => {
      const ofRegion = isZoneId(zone)
        ? // AZ numbers start at 1, without leading zeros: "euw1-az0" or "euw1-az01" fail only at apply.
          // https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
          new RegExp(`^${zoneIdPrefix(config.region)}-az[1-9]\\d*$`).test(zone)
        : new RegExp(`^${config.region}[a-z]$`).test(zone);
      if (!ofRegion) {
        problems.push({
          path: `network.availabilityZones[${i}]`,
          value: zone,
          message: `must be an availability zone of region ${config.region}: a name like "${config.region}a" or a zone id like "${zoneIdPrefix(config.region)}-az1"`,
        });
      }
    });
    for (const zone of new Set(duplicates(network.availabilityZones))) {
      problems.push({ path: 'network.availabilityZones', value: zone, message: 'lists the same availability zone twice' });
    }
    // A zone name maps to a zone id per account, so "eu-west-1a" and "euw1-az1" may be one zone, and two
    // subnets of one zone fail the endpoints at apply (DuplicateSubnetsInSameZone).
    // https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html
    if (network.availabilityZones.some(isZoneId) && !network.availabilityZones.every(isZoneId)) {
      problems.push({
        path: 'network.availabilityZones',
        value: network.availabilityZones,
        message: 'mixes zone names and zone ids, which may name the same zone (names map to ids per account): use names only or ids only',
      });
    }
  } else {
    for (const subnet of new Set(duplicates(network.subnetIds))) {
      problems.push({ path: 'network.subnetIds', value: subnet, message: 'lists the same subnet twice' });
    }
    if (config.endpoints.s3 === 'create' && network.routeTableIds.length === 0) {
      problems.push({
        path: 'network.routeTableIds',
        value: network.routeTableIds,
        message:
          'endpoints.s3 is "create", and the S3 gateway endpoint needs the route tables of the subnets: list them, or set endpoints.s3 to "existing" if the VPC already has one (`npx bastion preflight` tells)',
      });
    }
  }
  return problems;
}

function endpointProblems(config: BastionConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const existingVpc = config.network.mode === 'existing';
  const hasNat = existingVpc && config.network.natGateway;
  for (const group of ENDPOINT_GROUPS) {
    const mode = config.endpoints[group];
    const needing = config.stacks.filter((stack) => REQUIRED_ENDPOINTS[stack][group] !== undefined);
    if (mode === 'existing' && !existingVpc) {
      problems.push({
        path: `endpoints.${group}`,
        value: mode,
        message: 'a VPC this project creates has no endpoints of its own yet; use "create" ("existing" is for network.mode "existing")',
      });
    }
    if (mode !== 'none' || hasNat) continue;
    for (const stack of needing) {
      problems.push({
        path: `endpoints.${group}`,
        value: mode,
        message: existingVpc
          ? `stack ${stack} cannot work without it: ${REQUIRED_ENDPOINTS[stack][group]}, and network.natGateway is false, so the subnets have no route to AWS without endpoints. Use "create", or "existing" if the VPC already has this endpoint, or set network.natGateway to true if the subnets have a NAT gateway`
          : `stack ${stack} cannot work without it: ${REQUIRED_ENDPOINTS[stack][group]}, and a created VPC has no NAT. Use "create", or remove ${stack} from "stacks"`,
      });
    }
  }
  return problems;
}

// Interface endpoint groups both stacks create (private DNS allows one endpoint per service and VPC), and S3
// (a route table takes the S3 route of one gateway endpoint only).
const SHARED_ENDPOINT_GROUPS = ['ssm', 'logs', 'kms', 's3'] as const;

function sharedVpcProblems(config: BastionConfig): ConfigProblem[] {
  if (config.network.mode !== 'existing' || config.stacks.length < 2) return [];
  const both = SHARED_ENDPOINT_GROUPS.filter((group) => config.endpoints[group] === 'create');
  if (both.length === 0) return [];
  const limits = [
    ...(both.some((group) => group !== 's3') ? ['one private-DNS interface endpoint per service and VPC'] : []),
    ...(both.includes('s3') ? ['one S3 gateway route per route table'] : []),
  ];
  return [
    {
      path: 'stacks',
      value: config.stacks,
      message: `both stacks would create the ${both.join(', ')} endpoints in the same VPC, and AWS allows ${limits.join(', and ')}. Deploy one stack per configuration here (set "stacks" to one of them), or create those endpoints once and set endpoints.${both.join('/')} to "existing"`,
    },
  ];
}

/** The widest range a target may name: a whole private network such as 10.0.0.0/8. */
const TARGET_WIDEST_PREFIX = 8;

function targetProblems(config: BastionConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  config.targets.forEach((target, i) => {
    const path = `targets[${i}]`;
    if ((target.securityGroupId === undefined) === (target.cidr === undefined)) {
      problems.push({
        path,
        value: { securityGroupId: target.securityGroupId, cidr: target.cidr },
        message: 'set exactly one of securityGroupId (the target security group) or cidr (the target address range)',
      });
    }
    if (target.cidr !== undefined) {
      const { prefix } = parseCidr(target.cidr);
      if (prefix === 0) {
        problems.push({ path: `${path}.cidr`, value: target.cidr, message: 'the whole internet is not a target; name the range of the resource' });
      } else if (prefix < TARGET_WIDEST_PREFIX) {
        // Two /1 targets open the bastion to every address on that port, as 0.0.0.0/0 would.
        problems.push({
          path: `${path}.cidr`,
          value: target.cidr,
          message: `is 1/${2 ** prefix} of all IPv4 addresses, not the range of a database or cache: name the range of the resource, a /${TARGET_WIDEST_PREFIX} (such as 10.0.0.0/8) or narrower`,
        });
      } else if (!isNetworkAligned(target.cidr)) {
        problems.push({ path: `${path}.cidr`, value: target.cidr, message: 'host bits are set; write the network address, or /32 for one host' });
      }
    }
  });
  const names = config.targets.map((t) => t.name);
  for (const name of new Set(duplicates(names))) {
    problems.push({ path: `targets[${names.lastIndexOf(name)}].name`, value: name, message: 'target names must be unique' });
  }
  return problems;
}

// Stands in for the account a stack looks up at plan time: account ids always have 12 digits.
const ACCOUNT_ID_STAND_IN = '000000000000';

/** Names AWS would refuse at apply time, blamed on namePrefix (every name starts with it). */
function namingProblems(config: BastionConfig): ConfigProblem[] {
  const problems = new Map<string, ConfigProblem>();
  for (const stack of config.stacks) {
    const names = plannedNames(stack, {
      namePrefix: config.namePrefix,
      region: config.region,
      accountId: config.accountId ?? ACCOUNT_ID_STAND_IN,
      pullThrough: 'pullThrough' in config.ecs.image,
      patchGroup: config.ec2.patching.patchGroup,
      createsVpc: config.network.mode === 'create',
      s3Archive: config.audit.s3Archive,
    });
    for (const { key, name } of names) {
      const rule = AWS_NAME_RULES[key];
      const violation = nameViolation(name, rule);
      if (!violation) continue;
      const message = `stack ${stack} would name a ${rule.what} "${name}", which AWS refuses at apply time: ${violation} (${rule.source}). Choose another namePrefix`;
      problems.set(`${rule.what}:${violation}`, { path: 'namePrefix', value: config.namePrefix, message });
    }
  }
  return [...problems.values()];
}

/**
 * Both stacks have resources of the same logical names (the key, the VPC, …): in one state file, the second
 * stack's apply would destroy the first's. A local path must tell the stacks apart (S3 keys always do).
 */
function backendProblems(config: BastionConfig): ConfigProblem[] {
  const backend = config.backend;
  if (backend.type !== 'local' || backend.path === undefined || config.stacks.length < 2) return [];
  // As the file system resolves them: "state/{stack}/../shared.tfstate" is one file for both stacks.
  const [first, second] = config.stacks.map((stack) => posix.normalize(backend.path!.replaceAll(STACK_PLACEHOLDER, stack).replaceAll('\\', '/')));
  if (first !== second) return [];
  return [
    {
      path: 'backend.path',
      value: backend.path,
      message: `names one state file for both stacks (${first}), and each stack's apply would destroy the other's resources. Put ${STACK_PLACEHOLDER} in it where it stays part of the path (e.g. "state/${STACK_PLACEHOLDER}.tfstate"), or name one stack in "stacks"`,
    },
  ];
}

export interface ValidationOptions {
  /**
   * Leave out the rule that both stacks may not create the same endpoints in one existing VPC: `bastion preflight`
   * reads such a configuration, reports the collision itself and suggests settings that pass.
   * @default false
   */
  readonly allowSharedVpcEndpoints?: boolean;
}

/** Checks that need more than one field. Returns every problem found. */
export function crossFieldProblems(config: BastionConfig, options: ValidationOptions = {}): ConfigProblem[] {
  return [
    ...namingProblems(config),
    ...networkProblems(config),
    ...endpointProblems(config),
    ...(options.allowSharedVpcEndpoints ? [] : sharedVpcProblems(config)),
    ...targetProblems(config),
    ...backendProblems(config),
    ...(config.stacks.includes('ecs-bastion') ? ecsProblems(config) : []),
    ...(config.stacks.includes('ec2-bastion') ? ec2Problems(config) : []),
  ];
}
