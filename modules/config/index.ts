/**
 * The configuration of ssm-bastion: schema (the contract), loading, validation and resolved types.
 */
export { ConfigError, type ConfigProblem } from './errors';
export { CONFIG_ENV_VAR, DEFAULT_CONFIG_FILE, loadConfig, type LoadConfigOptions, parseConfig } from './load';
export {
  type BastionConfig,
  type CreateNetworkConfig,
  type EndpointsConfig,
  type ExistingNetworkConfig,
  REQUIRED_ENDPOINTS,
  type ValidationOptions,
} from './resolve';
export { architectureOfInstanceType, INSTANCE_SIZE_PATTERN, INSTANCE_TYPE_PATTERN, NOT_EBS_OPTIMIZABLE_PATTERN } from './ec2-facts';
export { ECS_SERVICE_SUBNETS_MAX } from './checks-ecs';
export { endpointsForBinding } from './provider-endpoints';
export { cidrSubnet, subnetNewBits, parseCidr } from './network-math';
export { FARGATE_ZONE_IDS, isZoneId, zoneIdPrefix } from './regions';
export {
  type AuditConfig,
  type BackendConfig,
  type BastionConfigInput,
  configSchema,
  type Ec2Config,
  type EcsConfig,
  ENDPOINT_GROUPS,
  ENDPOINT_MODES,
  type EndpointGroup,
  type EndpointMode,
  LOCAL_STATE_PATH,
  LOG_RETENTION_DAYS,
  RESERVED_TARGET_NAMES,
  type PatchingConfig,
  type ProviderConfig,
  STACK_NAMES,
  STACK_PLACEHOLDER,
  type StackName,
  stateKey,
  type TargetConfig,
} from './schema';
