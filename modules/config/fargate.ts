/** Task-size combinations Fargate accepts (Linux), from the ECS task definition parameters reference. */
const FARGATE_MEMORY_BY_CPU: Record<number, { min: number; max: number; step: number } | number[]> = {
  256: [512, 1024, 2048],
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

export const FARGATE_CPU_VALUES = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

/** The memory sizes (MiB) Fargate accepts for a CPU value, or undefined for an unknown CPU value. */
export function fargateMemoryFor(cpu: number): number[] | undefined {
  const rule = FARGATE_MEMORY_BY_CPU[cpu];
  if (!rule) return undefined;
  if (Array.isArray(rule)) return rule;
  const sizes: number[] = [];
  for (let m = rule.min; m <= rule.max; m += rule.step) sizes.push(m);
  return sizes;
}

export function describeFargateMemory(cpu: number): string {
  const rule = FARGATE_MEMORY_BY_CPU[cpu];
  if (!rule) return '';
  if (Array.isArray(rule)) return rule.join(', ');
  return `${rule.min} to ${rule.max} in steps of ${rule.step}`;
}
