/**
 * The programs sessions need on PATH, the AWS CLI and the session-manager-plugin: finding them, and the
 * error with install hints when one is missing.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CliError } from './errors';

/** Finds an executable on PATH (undefined: not installed). */
export type Which = (command: string) => string | undefined;

/** A Which over `env`'s PATH (and PATHEXT on Windows) that only accepts executable files. */
export function createWhich(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Which {
  return (command) => {
    const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
    const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
    for (const dir of dirs) {
      for (const ext of extensions) {
        const candidate = join(dir, command + ext);
        try {
          if (!statSync(candidate).isFile()) continue;
          if (platform !== 'win32') accessSync(candidate, constants.X_OK);
          return candidate;
        } catch {
          // not here
        }
      }
    }
    return undefined;
  };
}

/** The programs a session is started through. */
export type Tool = 'aws' | 'session-manager-plugin';

/** Where to get each tool, per platform. */
export const INSTALL_HINTS: Readonly<Record<Tool, string>> = {
  aws:
    'Install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html ' +
    '(macOS: `brew install awscli`; Windows: `winget install Amazon.AWSCLI`), then open a new shell so it is on PATH.',
  'session-manager-plugin':
    'Install the Session Manager plugin for the AWS CLI: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html ' +
    '(macOS: `brew install --cask session-manager-plugin`; Debian/Ubuntu: the session-manager-plugin.deb from that page), then open a new shell so it is on PATH.',
};

const TOOL_NAMES: Readonly<Record<Tool, string>> = { aws: 'The AWS CLI (`aws`)', 'session-manager-plugin': 'The session-manager-plugin' };

/** A MissingTool error with the tool's install hint. */
export function missingTool(tool: Tool, detail = 'was not found on PATH'): CliError {
  return new CliError('MissingTool', `${TOOL_NAMES[tool]} ${detail}; sessions are started through it.`, { hint: INSTALL_HINTS[tool] });
}

/** Fails with install hints unless both the AWS CLI and the session-manager-plugin are on PATH. */
export function requireTools(which: Which, tools: readonly Tool[] = ['aws', 'session-manager-plugin']): void {
  for (const tool of tools) if (!which(tool)) throw missingTool(tool);
}
