import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const projectRoot = join(__dirname, '..', '..');

function lint(source: string): { status: number | null; output: string } {
  const result = spawnSync(join(projectRoot, 'node_modules', '.bin', 'eslint'), ['--stdin', '--stdin-filename', 'modules/probe/index.ts'], {
    cwd: projectRoot,
    input: source,
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

// Built, not written out, so this file itself holds no barrel import for a text search to trip over.
const BARREL = ['@cdktf', 'provider-aws'].join('/');

describe('the deep-import lint rule', () => {
  it('refuses the @cdktf/provider-aws package root (it loads every resource module)', () => {
    const result = lint(`import { Vpc } from '${BARREL}';\nexport const v = Vpc;\n`);
    expect(result.status).toBe(1);
    expect(result.output).toContain('@cdktf/provider-aws/lib/<resource>');
  }, 30_000);

  it('refuses the lib index too', () => {
    expect(lint(`import * as aws from '${BARREL}/lib';\nexport const a = aws;\n`).status).toBe(1);
  }, 30_000);

  it('accepts a deep import', () => {
    expect(lint(`import { Vpc } from '${BARREL}/lib/vpc';\nexport const v = Vpc;\n`)).toEqual({ status: 0, output: '' });
  }, 30_000);
});
