/**
 * scripts/load-typescript.js: how the app (cdktf.json), the `bastion` launcher, `npm run synth:hcl`, the test
 * workers and their helpers run TypeScript. tsx for our files; Node itself for installed packages, when it
 * can require() ES modules.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appCommand, npmScriptCommand } from '../../scripts/app-command';
import { tempDir } from '../support/temp-dir';

const ROOT = join(__dirname, '..', '..');
const LOADER = join(ROOT, 'scripts', 'load-typescript.js');
const { jsLoaderFor } = require(LOADER) as { jsLoaderFor: (filename: string, nodeRequiresEsm?: boolean) => 'node' | 'tsx' };

describe('which loader takes a .js file', () => {
  test.each([
    ['/home/dev/ssm-bastion/node_modules/cdktf/lib/index.js', 'node'],
    ['/home/dev/ssm-bastion/node_modules/@aws-sdk/client-ec2/dist-cjs/index.js', 'node'],
    ['C:\\dev\\ssm-bastion\\node_modules\\cdktf\\lib\\index.js', 'node'],
    ['/home/dev/ssm-bastion/bin/bastion.js', 'tsx'],
    ['/home/dev/ssm-bastion/scripts/static-checks.js', 'tsx'],
    ['/home/dev/node_modules_old/ssm-bastion/bin/bastion.js', 'tsx'],
  ])('%s: %s, on a Node that can require() ES modules', (filename, loader) => {
    expect(jsLoaderFor(filename, true)).toBe(loader);
  });

  test('tsx takes every file on a Node that cannot (before 20.19)', () => {
    expect(jsLoaderFor('/home/dev/ssm-bastion/node_modules/cdktf/lib/index.js', false)).toBe('tsx');
  });

  test('is what this test worker loads with', () => {
    expect((require('node:module') as { _extensions: Record<string, { name: string }> })._extensions['.js'].name).toBe('loadJs');
  });
});

describe('a process started with it', () => {
  test('loads TypeScript, a CommonJS package and an ES-module-only package', () => {
    const dir = tempDir('ssm-bastion-loader-');
    const packageDir = (name: string) => join(dir, 'node_modules', name);
    mkdirSync(packageDir('common'), { recursive: true });
    writeFileSync(join(packageDir('common'), 'package.json'), JSON.stringify({ name: 'common', main: 'index.js' }));
    writeFileSync(join(packageDir('common'), 'index.js'), "exports.kind = 'commonjs';\n");
    mkdirSync(packageDir('modern'), { recursive: true });
    writeFileSync(join(packageDir('modern'), 'package.json'), JSON.stringify({ name: 'modern', type: 'module', exports: './index.js' }));
    writeFileSync(join(packageDir('modern'), 'index.js'), "export const kind = 'esm';\n");
    writeFileSync(join(dir, 'helper.ts'), 'export const twice = (n: number): number => n * 2;\n');
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { kind as commonKind } from 'common';",
        "import { kind as modernKind } from 'modern';",
        "import { twice } from './helper';",
        'const typed: string = `${commonKind} ${modernKind} ${twice(21)}`;',
        'process.stdout.write(typed);',
      ].join('\n'),
    );
    // Without tsx's cache: its entries are per file path, and this folder is new each run.
    const env = { ...process.env, TSX_DISABLE_CACHE: '1' };
    const output = execFileSync(process.execPath, ['--require', LOADER, 'main.ts'], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toBe('commonjs esm 42');
  });
});

describe('the node commands of cdktf.json and package.json', () => {
  /** The options before the script: what node is told. */
  const nodeOptions = (command: { args: readonly string[] }) => command.args.slice(0, -1);

  test.each([
    ['cdktf.json "app"', appCommand()],
    ['package.json "scripts.synth:hcl"', npmScriptCommand('synth:hcl')],
  ])('%s: the loader, never tsx’s ESM loader, and the HCL parser compiled by Liftoff only (modules/hcl/parse.ts)', (_where, command) => {
    const options = nodeOptions(command);
    expect(options).toContain('--require');
    expect(options[options.indexOf('--require') + 1]).toBe('./scripts/load-typescript.js');
    expect(options).toContain('--liftoff-only');
    expect(options).not.toContain('--import');
    expect(command.args.at(-1)).toMatch(/\.ts$/);
  });
});
