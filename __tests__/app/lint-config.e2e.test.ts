import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const projectRoot = join(__dirname, '..', '..');

interface LintResult {
  status: number;
  output: string;
}

/**
 * The project's whole ESLint configuration applies the deep-import rule to its TypeScript (the rule itself:
 * lint-rule.test.ts). An end-to-end file: loading eslint.config.mjs loads typescript-eslint and with it the
 * TypeScript compiler, about 1.5 CPU-seconds.
 *
 * Lints each source as a module of the project, with the project's eslint.config.mjs (what `eslint --stdin`
 * does), in a worker thread: the TypeScript compiler takes about 100 MiB, which the thread takes away when it
 * ends instead of leaving it in the test worker for every later file.
 */
function lintAll(sources: readonly string[]): Promise<LintResult[]> {
  const thread = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { ESLint } = require(workerData.eslint);
    (async () => {
      const eslint = new ESLint({ cwd: workerData.cwd });
      const results = [];
      for (const source of workerData.sources) {
        const [result] = await eslint.lintText(source, { filePath: workerData.filePath });
        results.push({
          status: result.errorCount > 0 ? 1 : 0,
          output: result.messages.map((m) => m.line + ':' + m.column + ' ' + m.message + ' (' + (m.ruleId ?? '') + ')').join('\\n'),
        });
      }
      parentPort.postMessage(results);
    })();`;
  const workerData = { eslint: require.resolve('eslint'), cwd: projectRoot, filePath: join(projectRoot, 'modules', 'probe', 'index.ts'), sources };
  return new Promise((resolve, reject) => {
    const worker = new Worker(thread, { eval: true, workerData });
    worker.once('message', (results: LintResult[]) => resolve(results));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the lint thread ended (exit code ${code}) without an answer`)));
  });
}

// Built, not written out, so this file itself holds no barrel import for a text search to trip over.
const BARREL = ['@cdktf', 'provider-aws'].join('/');

describe('the deep-import lint rule, in the project’s ESLint configuration', () => {
  let packageRoot: LintResult;
  let libIndex: LintResult;
  let deepImport: LintResult;
  beforeAll(async () => {
    [packageRoot, libIndex, deepImport] = await lintAll([
      `import { Vpc } from '${BARREL}';\nexport const v = Vpc;\n`,
      `import * as aws from '${BARREL}/lib';\nexport const a = aws;\n`,
      `import { Vpc } from '${BARREL}/lib/vpc';\nexport const v = Vpc;\n`,
    ]);
  }, 30_000);

  it('refuses the @cdktf/provider-aws package root (it loads every resource module)', () => {
    expect(packageRoot.status).toBe(1);
    expect(packageRoot.output).toContain('@cdktf/provider-aws/lib/<resource>');
  });

  it('refuses the lib index too', () => {
    expect(libIndex.status).toBe(1);
  });

  it('accepts a deep import', () => {
    expect(deepImport).toEqual({ status: 0, output: '' });
  });
});
