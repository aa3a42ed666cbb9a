import type { ConfigProblem } from './errors';
import { architectureOfInstanceType, isIanaTimeZone, scheduleProblem } from './ec2-facts';
import type { BastionConfig } from './resolve';

/** Cross-field checks of the `ec2` section. */
export function ec2Problems(config: BastionConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { instanceType, architecture, patching } = config.ec2;
  const typeArchitecture = architectureOfInstanceType(instanceType);
  if (typeArchitecture !== architecture) {
    problems.push({
      path: 'ec2.instanceType',
      value: instanceType,
      message: `is an ${typeArchitecture} type but ec2.architecture is ${architecture}; pick an ${architecture} type (e.g. ${
        architecture === 'arm64' ? 't4g.nano' : 't3.nano'
      }) or set ec2.architecture to ${typeArchitecture}`,
    });
  }
  const schedule = scheduleProblem(patching.schedule);
  if (schedule) problems.push({ path: 'ec2.patching.schedule', value: patching.schedule, message: schedule });
  if (!isIanaTimeZone(patching.timezone)) {
    problems.push({ path: 'ec2.patching.timezone', value: patching.timezone, message: 'must be an IANA time zone name, e.g. "UTC" or "Europe/Berlin"' });
  }
  if (patching.cutoffHours >= patching.durationHours) {
    problems.push({
      path: 'ec2.patching.cutoffHours',
      value: patching.cutoffHours,
      message: `must be less than ec2.patching.durationHours (${patching.durationHours}), or no task could ever start`,
    });
  }
  return problems;
}
