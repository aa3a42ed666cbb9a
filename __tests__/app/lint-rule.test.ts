import { join } from 'node:path';
import { ESLint } from 'eslint';

const projectRoot = join(__dirname, '..', '..');

/** Lints a source as a module of the project, with the project's eslint.config.mjs (what `eslint --stdin` does). */
async function lint(source: string): Promise<{ status: number; output: string }> {
  const [result] = await new ESLint({ cwd: projectRoot }).lintText(source, { filePath: join(projectRoot, 'modules', 'probe', 'index.ts') });
  return { status: result.errorCount > 0 ? 1 : 0, output: result.messages.map((m) => `${m.line}:${m.column} ${m.message} (${m.ruleId ?? ''})`).join('\n') };
}

// Built, not written out, so this file itself holds no barrel import for a text search to trip over.
const BARREL = ['@cdktf', 'provider-aws'].join('/');

describe('the deep-import lint rule', () => {
  it('refuses the @cdktf/provider-aws package root (it loads every resource module)', async () => {
    const result = await lint(`import { Vpc } from '${BARREL}';\nexport const v = Vpc;\n`);
    expect(result.status).toBe(1);
    expect(result.output).toContain('@cdktf/provider-aws/lib/<resource>');
  }, 30_000);

  it('refuses the lib index too', async () => {
    expect((await lint(`import * as aws from '${BARREL}/lib';\nexport const a = aws;\n`)).status).toBe(1);
  }, 30_000);

  it('accepts a deep import', async () => {
    expect(await lint(`import { Vpc } from '${BARREL}/lib/vpc';\nexport const v = Vpc;\n`)).toEqual({ status: 0, output: '' });
  }, 30_000);
});
