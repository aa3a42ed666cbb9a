import type { BastionConfigInput } from '../../modules/config';
import { synthStack } from '../support/synth';
import { problemPaths } from './support';

/**
 * Every numeric setting at its bounds: the lowest and highest value accepted, one beyond each end and a fraction
 * refused at the setting's path. The bounds are AWS's (CreateMaintenanceWindow Duration 1-24 and Cutoff 0-23,
 * patch baseline ApproveAfterDays 0-360, Session Manager idle timeout 1-60 minutes, TCP ports) or the project's
 * (at most 10 bastion tasks; a root volume no smaller than the 8 GiB AMI and no larger than a bastion needs).
 */
type Setting = { path: string; min: number; max: number; input: (value: number) => BastionConfigInput };
const SETTINGS: Setting[] = [
  { path: 'ecs.desiredCount', min: 0, max: 10, input: (v) => ({ stacks: ['ecs-bastion'], ecs: { desiredCount: v } }) },
  { path: 'ec2.rootVolumeSizeGiB', min: 8, max: 100, input: (v) => ({ stacks: ['ec2-bastion'], ec2: { rootVolumeSizeGiB: v } }) },
  { path: 'ec2.sessionIdleTimeoutMinutes', min: 1, max: 60, input: (v) => ({ stacks: ['ec2-bastion'], ec2: { sessionIdleTimeoutMinutes: v } }) },
  // The cutoff must stay below the duration: each is tested with the other at its most permissive.
  { path: 'ec2.patching.durationHours', min: 1, max: 24, input: (v) => ({ stacks: ['ec2-bastion'], ec2: { patching: { durationHours: v, cutoffHours: 0 } } }) },
  { path: 'ec2.patching.cutoffHours', min: 0, max: 23, input: (v) => ({ stacks: ['ec2-bastion'], ec2: { patching: { durationHours: 24, cutoffHours: v } } }) },
  { path: 'ec2.patching.approveAfterDays', min: 0, max: 360, input: (v) => ({ stacks: ['ec2-bastion'], ec2: { patching: { approveAfterDays: v } } }) },
  { path: 'targets[0].port', min: 1, max: 65535, input: (v) => ({ stacks: ['ec2-bastion'], targets: [{ name: 'db', port: v, cidr: '10.0.0.0/24' }] }) },
];

describe.each(SETTINGS)('$path', ({ path, min, max, input }) => {
  it(`accepts ${min} and ${max}`, () => {
    expect([problemPaths(input(min)), problemPaths(input(max))]).toEqual([[], []]);
  });

  it(`refuses ${min - 1}, ${max + 1} and a fraction at ${path}`, () => {
    for (const value of [min - 1, max + 1, min + 0.5]) expect({ value, paths: problemPaths(input(value)) }).toEqual({ value, paths: [path] });
  });
});

// With ec2-bastion, a cutoff of 24 is also refused by the cutoff < duration check: the schema's own bound is seen alone here.
it('refuses a cutoff of 24 at ec2.patching.cutoffHours by its own bound, also when only ecs-bastion is synthesized', () => {
  expect(problemPaths({ stacks: ['ecs-bastion'], ec2: { patching: { cutoffHours: 24 } } })).toEqual(['ec2.patching.cutoffHours']);
});

describe('the ecs_desired_count variable', () => {
  const [{ condition }] = synthStack('ecs-bastion').tf.variable!.ecs_desired_count.validation as { condition: string }[];

  it('accepts exactly the counts the configuration accepts', () => {
    // The whole expression is pinned, so the evaluation below is Terraform's.
    expect(condition).toBe('${var.ecs_desired_count >= 0 && var.ecs_desired_count <= 10 && floor(var.ecs_desired_count) == var.ecs_desired_count}');
    const variableAccepts = (v: number) => v >= 0 && v <= 10 && Math.floor(v) === v;
    const counts = [-2, -1, -0.5, 0, 0.5, 1, 5, 9.5, 10, 10.5, 11, 100];
    expect(counts.filter((v) => variableAccepts(v) !== (problemPaths({ stacks: ['ecs-bastion'], ecs: { desiredCount: v } }).length === 0))).toEqual([]);
  });
});
