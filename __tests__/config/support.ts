import { ConfigError, type ConfigProblem, parseConfig } from '../../modules/config';

/** The problems parseConfig reports for an input (fails the test when the input is accepted). */
export function problemsOf(input: unknown): ConfigError['problems'] {
  const problems = configProblems(input);
  if (problems.length === 0) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return problems;
}

/** The problems parseConfig reports for an input: none when it is accepted (other errors are rethrown). */
export function configProblems(input: unknown): readonly ConfigProblem[] {
  try {
    parseConfig(input);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** The paths of the problems parseConfig reports for an input: [] when it is accepted. */
export function problemPaths(input: unknown): string[] {
  return configProblems(input).map((p) => p.path);
}
