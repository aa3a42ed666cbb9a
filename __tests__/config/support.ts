import { ConfigError, parseConfig } from '../../modules/config';

/** The problems parseConfig reports for an input (fails the test when the input is accepted). */
export function problemsOf(input: unknown): ConfigError['problems'] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}
