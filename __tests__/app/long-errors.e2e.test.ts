import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appCommand, type NodeCommand, npmScriptCommand } from '../../scripts/app-command';

const ROOT = join(__dirname, '..', '..');

// 1,500 unknown stacks: one problem line each, about 120 KiB of stderr, well past a pipe's 64 KiB buffer.
const MANY_PROBLEMS = { stacks: Array.from({ length: 1500 }, () => 'lambda-bastion') };
const LAST_LINE = 'Nothing was synthesized. The allowed keys and values are described in bastion.config.schema.json and the README.';

/**
 * Runs a command of the project with stderr on a pipe whose reader starts late, as a busy `| tee` or `| less`
 * may: what the process has not written when it exits is lost, so the output shows whether it waited. (Jest's own
 * pipes are read at once and hid the loss.) The reader waits 4 s, longer than the app needs to start and fail.
 */
function runPiped(work: string, { command, args }: NodeCommand, extra: readonly string[], config: string, outdir: string, reader = '(sleep 4; cat)'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `"$0" "$@" 2>&1 | ${reader}`, command, ...args, ...extra], {
      cwd: ROOT,
      env: { ...process.env, BASTION_CONFIG: join(work, config), CDKTF_OUTDIR: join(work, outdir) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const CASES: [string, NodeCommand, boolean, { args: string[]; config: string }][] = [
  // The run before, which ends normally, fills tsx's cache as a user's earlier runs have: on a miss tsx starts
  // esbuild, whose process inherits stderr and leaves the shared pipe blocking, which would hide the loss.
  ['the app (what cdktf synth runs)', appCommand(), false, { args: [], config: 'valid.json' }],
  ['npm run synth:hcl', npmScriptCommand('synth:hcl'), true, { args: ['--help'], config: 'bastion.config.json' }],
];

describe('a configuration with more problems than a pipe buffers', () => {
  const works: string[] = [];
  const outputs = new Map<string, Promise<{ work: string; stdout: string }>>();
  // Both commands run side by side, each in a folder of its own: most of a run is the late reader's wait.
  beforeAll(() => {
    for (const [what, command, takesOut, warmUp] of CASES) {
      const work = mkdtempSync(join(tmpdir(), 'ssm-bastion-long-errors-'));
      works.push(work);
      writeFileSync(join(work, 'valid.json'), JSON.stringify({ stacks: ['ec2-bastion'] }));
      writeFileSync(join(work, 'bastion.config.json'), JSON.stringify(MANY_PROBLEMS));
      const args = takesOut ? ['--out', join(work, 'terraform')] : [];
      const run = async () => {
        await runPiped(work, command, warmUp.args, warmUp.config, 'warm-up.out', 'cat');
        return { work, stdout: await runPiped(work, command, args, 'bastion.config.json', 'cdktf.out') };
      };
      const output = run();
      output.catch(() => {}); // reported by its test
      outputs.set(what, output);
    }
  });
  afterAll(() => {
    for (const work of works) rmSync(work, { recursive: true, force: true });
  });

  it.each(CASES.map(([what]) => what))(
    '%s lists every problem to the last line and writes nothing',
    async (what) => {
      const { work, stdout } = await outputs.get(what)!;
      expect(stdout).toContain('stacks[1499]: "lambda-bastion": ');
      expect(stdout.trimEnd().endsWith(LAST_LINE)).toBe(true);
      expect(existsSync(join(work, 'cdktf.out'))).toBe(false);
      expect(existsSync(join(work, 'terraform'))).toBe(false);
    },
    60_000,
  );
});
