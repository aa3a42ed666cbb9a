/**
 * Names of everything the stacks create, derived from `namePrefix` in one place, and the rules AWS applies to
 * them at apply time.
 */
export {
  type BastionNames,
  bastionNames,
  builtImageRepository,
  PREFIX_TAG,
  pullThroughPrefix,
  STACK_TAG,
  type StackNames,
  stackNames,
  stackShortName,
  TRANSCRIPTS,
  type TranscriptPlace,
} from './names';
export { AWS_NAME_RULES, type AwsNameRule, type NamingOptions, nameViolation, type PlannedName, plannedNames } from './rules';
