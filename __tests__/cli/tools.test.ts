/** Finding the AWS CLI and the session-manager-plugin on PATH, and the install hints when one is missing. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliError, EXIT } from '../../cli/errors';
import { createWhich, requireTools } from '../../cli/tools';
import { tempDir } from './fakes';

describe('tools on PATH', () => {
  test('createWhich finds executables only', () => {
    const dir = tempDir('bastion-which-');
    writeFileSync(join(dir, 'aws'), '#!/bin/sh\n');
    chmodSync(join(dir, 'aws'), 0o755);
    writeFileSync(join(dir, 'session-manager-plugin'), 'not executable');
    chmodSync(join(dir, 'session-manager-plugin'), 0o644);
    const which = createWhich({ PATH: `/nonexistent:${dir}` }, 'linux');
    expect(which('aws')).toBe(join(dir, 'aws'));
    expect(which('session-manager-plugin')).toBeUndefined();
    expect(createWhich({}, 'linux')('aws')).toBeUndefined();
    // A directory named like the tool (searchable, so X_OK passes) is not the tool.
    const shadow = tempDir('bastion-which-dir-');
    mkdirSync(join(shadow, 'aws'));
    expect(createWhich({ PATH: `${shadow}:${dir}` }, 'linux')('aws')).toBe(join(dir, 'aws'));
  });

  test('requireTools fails with install hints for each missing tool', () => {
    const missing = (tool: string) => {
      try {
        requireTools((command) => (command === tool ? undefined : `/bin/${command}`));
      } catch (error) {
        return error as CliError;
      }
      throw new Error('expected an error');
    };
    const aws = missing('aws');
    expect(aws).toMatchObject({ code: 'MissingTool', exitCode: EXIT.error });
    expect(aws.message).toContain('AWS CLI');
    expect(aws.hint).toContain('https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html');
    const plugin = missing('session-manager-plugin');
    expect(plugin.message).toContain('session-manager-plugin');
    expect(plugin.hint).toContain('session-manager-working-with-install-plugin');
    expect(plugin.hint).toContain('brew install --cask session-manager-plugin');
    expect(() => requireTools((command) => `/bin/${command}`)).not.toThrow();
  });
});
