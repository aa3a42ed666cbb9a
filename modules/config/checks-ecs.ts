import type { ConfigProblem } from './errors';
import { describeFargateMemory, FARGATE_CPU_VALUES, fargateMemoryFor } from './fargate';
import type { BastionConfig } from './resolve';

/** Cross-field checks of the `ecs` section. */
export function ecsProblems(config: BastionConfig): ConfigProblem[] {
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
