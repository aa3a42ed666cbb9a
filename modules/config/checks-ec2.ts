import { type ConfigProblem, formatPath } from './errors';
import {
  architectureOfInstanceType,
  instanceMetadataTagKeyProblem,
  instanceTypeShapeProblem,
  isMacInstanceType,
  rateHours,
  scheduleProblem,
  timeZoneProblem,
} from './ec2-facts';
import type { BastionConfig } from './resolve';

function instanceTypeProblems(config: BastionConfig): ConfigProblem[] {
  const { instanceType, architecture } = config.ec2;
  if (isMacInstanceType(instanceType)) {
    return [
      {
        path: 'ec2.instanceType',
        value: instanceType,
        message: 'EC2 Mac instances run macOS on dedicated hosts; the bastion runs Amazon Linux 2023: pick e.g. t4g.nano (arm64) or t3.nano (x86_64)',
      },
    ];
  }
  const shape = instanceTypeShapeProblem(instanceType);
  if (shape) return [{ path: 'ec2.instanceType', value: instanceType, message: shape }];
  const typeArchitecture = architectureOfInstanceType(instanceType);
  if (typeArchitecture === architecture) return [];
  return [
    {
      path: 'ec2.instanceType',
      value: instanceType,
      message: `is an ${typeArchitecture} type but ec2.architecture is ${architecture}; pick an ${architecture} type (e.g. ${
        architecture === 'arm64' ? 't4g.nano' : 't3.nano'
      }) or set ec2.architecture to ${typeArchitecture}`,
    },
  ];
}

function patchingProblems(config: BastionConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { patching } = config.ec2;
  const schedule = scheduleProblem(patching.schedule);
  if (schedule) {
    problems.push({ path: 'ec2.patching.schedule', value: patching.schedule, message: schedule });
  } else {
    const every = rateHours(patching.schedule);
    if (every !== undefined && every < patching.durationHours) {
      problems.push({
        path: 'ec2.patching.schedule',
        value: patching.schedule,
        message: `runs every ${every < 1 ? `${Math.round(every * 60)} minutes` : `${every} hours`}, but each window lasts ec2.patching.durationHours (${
          patching.durationHours
        } hours): a window would start before the last one ended`,
      });
    }
  }
  const timezone = timeZoneProblem(patching.timezone);
  if (timezone) problems.push({ path: 'ec2.patching.timezone', value: patching.timezone, message: timezone });
  if (patching.cutoffHours >= patching.durationHours) {
    problems.push({
      path: 'ec2.patching.cutoffHours',
      value: patching.cutoffHours,
      message: `must be less than ec2.patching.durationHours (${patching.durationHours}), or no task could ever start`,
    });
  }
  return problems;
}

// The instance exposes its tags in instance metadata (so the agent sees PatchGroup), and every configured tag
// reaches it through the provider's default tags: a key EC2 refuses there would only fail at launch.
function tagProblems(config: BastionConfig): ConfigProblem[] {
  return Object.keys(config.tags).flatMap((key) => {
    const message = instanceMetadataTagKeyProblem(key);
    // formatPath, as for the schema's own problems: tags._index, not tags["_index"], so one key has one path.
    return message ? [{ path: formatPath(['tags', key]), value: key, message }] : [];
  });
}

/** Cross-field checks of the `ec2` section (and of what the EC2 bastion needs from the rest). */
export function ec2Problems(config: BastionConfig): ConfigProblem[] {
  return [...instanceTypeProblems(config), ...patchingProblems(config), ...tagProblems(config)];
}
