/**
 * Named AWS profiles, as the SDK and the AWS CLI read them: `[profile <name>]` (and `[default]`) in the shared
 * config file, `[<name>]` in the shared credentials file, at AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or
 * ~/.aws/config and ~/.aws/credentials.
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors';

/** The shared config and credentials files of an environment. */
export function sharedFiles(env: NodeJS.ProcessEnv): { readonly config: string; readonly credentials: string } {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    config: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

const sections = (text: string) => [...text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)].map((m) => m[1]!.replace(/\s+/g, ' '));

/** The profiles the files define (what `aws configure list-profiles` lists), in file order, without repeats. */
export function definedProfiles(files: { readonly config: string; readonly credentials: string }, read: (file: string) => string | undefined): string[] {
  const fromConfig = sections(read(files.config) ?? '').flatMap((s) => (s === 'default' ? ['default'] : s.startsWith('profile ') ? [s.slice('profile '.length)] : []));
  const fromCredentials = sections(read(files.credentials) ?? '');
  return [...new Set([...fromConfig, ...fromCredentials])];
}

const readIfThere = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Refuses a profile (--profile, or AWS_PROFILE) that no shared file defines. The SDK would only say it found no
 * credentials (or, on an instance with a role, quietly use the role), and the AWS CLI, which the sessions run
 * through, refuses it ("The config profile (…) could not be found").
 */
export function checkProfile(profile: string | undefined, source: string, env: NodeJS.ProcessEnv, read = readIfThere): void {
  if (!profile) return;
  const files = sharedFiles(env);
  const defined = definedProfiles(files, read);
  if (defined.includes(profile)) return;
  const there = defined.length > 0 ? `; the profiles there: ${defined.join(', ')}` : '; they define none';
  throw new CliError('NoCredentials', `The AWS profile "${profile}" (${source}) is in neither ${files.config} nor ${files.credentials}${there}.`, {
    hint: `Check the name (\`aws configure list-profiles\`), or create the profile with \`aws configure sso --profile ${profile}\` (or \`aws configure --profile ${profile}\`).`,
  });
}
