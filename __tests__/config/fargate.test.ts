import { parseConfig } from '../../modules/config';
import { describeFargateMemory, FARGATE_CPU_VALUES, fargateMemoryFor } from '../../modules/config/fargate';
import { configProblems, problemsOf } from './support';

/**
 * The Fargate task sizes, exhaustively, against a table written independently from the AWS documentation
 * ("Task CPU and memory", Amazon ECS Developer Guide, Linux containers on Fargate): every CPU value with every
 * memory size it accepts, and the sizes just outside each range and between its steps refused, through the
 * configuration as a user writes it.
 */
const AWS_TASK_SIZES: readonly { cpu: number; memory: { from: number; to: number; step: number } | number[] }[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: { from: 1024, to: 4096, step: 1024 } },
  { cpu: 1024, memory: { from: 2048, to: 8192, step: 1024 } },
  { cpu: 2048, memory: { from: 4096, to: 16384, step: 1024 } },
  { cpu: 4096, memory: { from: 8192, to: 30720, step: 1024 } },
  { cpu: 8192, memory: { from: 16384, to: 61440, step: 4096 } },
  { cpu: 16384, memory: { from: 32768, to: 122880, step: 8192 } },
];

function sizes(memory: (typeof AWS_TASK_SIZES)[number]['memory']): number[] {
  if (Array.isArray(memory)) return memory;
  return Array.from({ length: (memory.to - memory.from) / memory.step + 1 }, (_, i) => memory.from + i * memory.step);
}

/** Memory sizes next to the accepted ones that must be refused: one MiB off each size, the gaps between steps, one step beyond each end. */
function neighbours(accepted: number[]): number[] {
  const candidates = accepted.flatMap((m, i) => [m - 1, m + 1, ...(i + 1 < accepted.length ? [(m + accepted[i + 1]) / 2] : [])]);
  const step = accepted.length > 1 ? accepted[1] - accepted[0] : 512;
  candidates.push(accepted[0] - step, accepted.at(-1)! + step, 0);
  return [...new Set(candidates)].filter((m) => m >= 0 && Number.isInteger(m) && !accepted.includes(m)).sort((a, b) => a - b);
}

/** Whether the configuration accepts the pair (and keeps it as written). */
function accepts(cpu: number, memory: number): boolean {
  const input = { stacks: ['ecs-bastion'], ecs: { cpu, memory } };
  if (configProblems(input).length > 0) return false;
  const { ecs } = parseConfig(input);
  return ecs.cpu === cpu && ecs.memory === memory;
}

describe('Fargate task sizes', () => {
  it('offer exactly the CPU values AWS documents, in order', () => {
    expect(FARGATE_CPU_VALUES).toEqual(AWS_TASK_SIZES.map((row) => row.cpu));
  });

  describe.each(AWS_TASK_SIZES)('with ecs.cpu $cpu', ({ cpu, memory }) => {
    const accepted = sizes(memory);

    it('knows exactly the memory sizes AWS documents', () => {
      expect(fargateMemoryFor(cpu)).toEqual(accepted);
    });

    it('accepts every one of them in the configuration', () => {
      expect(accepted.filter((m) => !accepts(cpu, m))).toEqual([]);
    });

    it('refuses the sizes next to them, at ecs.memory, naming what Fargate accepts', () => {
      const refused = neighbours(accepted);
      expect(refused.length).toBeGreaterThan(accepted.length);
      for (const m of refused) {
        const problems = problemsOf({ stacks: ['ecs-bastion'], ecs: { cpu, memory: m } });
        expect({ memory: m, problems }).toEqual({
          memory: m,
          problems: [expect.objectContaining({ path: 'ecs.memory', value: m, message: `with ecs.cpu ${cpu}, Fargate accepts ${describeFargateMemory(cpu)} MiB` })],
        });
      }
    });

    it('describes the range as AWS does', () => {
      expect(describeFargateMemory(cpu)).toBe(
        Array.isArray(memory) ? memory.join(', ') : `${memory.from} to ${memory.to} in steps of ${memory.step}`,
      );
    });

    it('refuses every memory size documented only for another CPU value', () => {
      const elsewhere = [...new Set(AWS_TASK_SIZES.filter((row) => row.cpu !== cpu).flatMap((row) => sizes(row.memory)))].filter((m) => !accepted.includes(m));
      expect(elsewhere.filter((m) => accepts(cpu, m) || fargateMemoryFor(cpu)!.includes(m))).toEqual([]);
      for (const m of elsewhere) expect(problemsOf({ stacks: ['ecs-bastion'], ecs: { cpu, memory: m } }).map((p) => p.path)).toEqual(['ecs.memory']);
    });
  });

  it.each([0, 128, 255, 257, 384, 511, 513, 768, 1023, 1025, 1536, 3072, 6144, 12288, 16383, 16385, 32768])(
    'refuses ecs.cpu %i, listing the values Fargate offers',
    (cpu) => {
      expect(fargateMemoryFor(cpu)).toBeUndefined();
      expect(describeFargateMemory(cpu)).toBe('');
      expect(problemsOf({ stacks: ['ecs-bastion'], ecs: { cpu, memory: 2048 } })).toEqual([
        expect.objectContaining({ path: 'ecs.cpu', value: cpu, message: 'Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384' }),
      ]);
    },
  );
});
