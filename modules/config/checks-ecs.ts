import type { ConfigProblem } from './errors';
import { describeFargateMemory, FARGATE_CPU_VALUES, fargateMemoryFor } from './fargate';
import type { BastionConfig } from './resolve';
import { pullThroughPrefix } from '../naming/names';

/** ECR's limit on a repository name; a cached repository is `<pull-through prefix>/<upstream repository>`. */
const ECR_REPOSITORY_NAME_MAX = 256;

/**
 * The service's tasks run in every subnet of the configuration, and ECS takes at most 16 in a service's network
 * configuration: CreateService refuses more, at apply time.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html
 */
export const ECS_SERVICE_SUBNETS_MAX = 16;

function sizeProblems(config: BastionConfig): ConfigProblem[] {
  const { cpu, memory } = config.ecs;
  const sizes = fargateMemoryFor(cpu);
  if (!sizes) {
    return [{ path: 'ecs.cpu', value: cpu, message: `Fargate accepts ${FARGATE_CPU_VALUES.join(', ')}` }];
  }
  if (!sizes.includes(memory)) {
    return [{ path: 'ecs.memory', value: memory, message: `with ecs.cpu ${cpu}, Fargate accepts ${describeFargateMemory(cpu)} MiB` }];
  }
  return [];
}

/** Cross-field checks of the `ecs` section. */
export function ecsProblems(config: BastionConfig): ConfigProblem[] {
  const problems = sizeProblems(config);
  const { ecs, network } = config;
  if (network.mode === 'existing' && network.subnetIds.length > ECS_SERVICE_SUBNETS_MAX) {
    problems.push({
      path: 'network.subnetIds',
      value: network.subnetIds,
      message: `lists ${network.subnetIds.length} subnets, and the ECS service of ecs-bastion takes at most ${ECS_SERVICE_SUBNETS_MAX}: list one private subnet per availability zone`,
    });
  }
  if (ecs.spot && ecs.architecture === 'arm64') {
    problems.push({
      path: 'ecs.spot',
      value: ecs.spot,
      message: 'Fargate Spot runs x86_64 tasks only; set ecs.architecture to "x86_64" to use Spot, or turn ecs.spot off to stay on arm64',
    });
  }
  if ('pullThrough' in ecs.image) {
    const { repository } = ecs.image.pullThrough;
    const cached = `${pullThroughPrefix(config.namePrefix)}/${repository}`;
    if (config.partition !== 'aws') {
      problems.push({
        path: 'ecs.image',
        value: ecs.image,
        message: `ECR Public, the upstream of the pull-through cache, serves the commercial AWS partition only, not ${config.region}; use { "build": true } and push the image from docker/`,
      });
    }
    if (cached.length > ECR_REPOSITORY_NAME_MAX) {
      problems.push({
        path: 'ecs.image.pullThrough.repository',
        value: repository,
        message: `the cached repository "${cached}" would have ${cached.length} characters; ECR allows ${ECR_REPOSITORY_NAME_MAX}`,
      });
    }
  }
  return problems;
}
