import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appCommand, type NodeCommand, npmScriptCommand } from '../../scripts/app-command';

const ROOT = join(__dirname, '..', '..');

// 1,500 unknown stacks: one problem line each, about 120 KiB of stderr, well past a pipe's 64 KiB buffer.
const MANY_PROBLEMS = { stacks: Array.from({ length: 1500 }, () => 'lambda-bastion') };
const LAST_LINE = 'Nothing was synthesized. The allowed keys and values are described in bastion.config.schema.json and the README.';

describe('a configuration with more problems than a pipe buffers', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'ssm-bastion-long-errors-'));
    writeFileSync(join(work, 'valid.json'), JSON.stringify({ stacks: ['ec2-bastion'] }));
    writeFileSync(join(work, 'bastion.config.json'), JSON.stringify(MANY_PROBLEMS));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  /**
   * Runs a command of the project with stderr on a pipe whose reader starts late, as a busy `| tee` or `| less`
   * may: what the process has not written when it exits is lost, so the output shows whether it waited. (Jest's own
   * pipes are read at once and hid the loss.) The reader waits 4 s, longer than the app needs to start and fail.
   */
  function runPiped({ command, args }: NodeCommand, extra: readonly string[], config: string, outdir: string, reader = '(sleep 4; cat)') {
    return spawnSync('sh', ['-c', `"$0" "$@" 2>&1 | ${reader}`, command, ...args, ...extra], {
      cwd: ROOT,
      env: { ...process.env, BASTION_CONFIG: join(work, config), CDKTF_OUTDIR: join(work, outdir) },
      encoding: 'utf8',
    });
  }

  it.each([
    // The run before, which ends normally, fills tsx's cache as a user's earlier runs have: on a miss tsx starts
    // esbuild, whose process inherits stderr and leaves the shared pipe blocking, which would hide the loss.
    ['the app (what cdktf synth runs)', appCommand(), false, { args: [], config: 'valid.json' }],
    ['npm run synth:hcl', npmScriptCommand('synth:hcl'), true, { args: ['--help'], config: 'bastion.config.json' }],
  ])('%s lists every problem to the last line and writes nothing', (_what, command, takesOut, warmUp) => {
    const args = takesOut ? ['--out', join(work, 'terraform')] : [];
    runPiped(command, warmUp.args, warmUp.config, 'warm-up.out', 'cat');
    const result = runPiped(command, args, 'bastion.config.json', 'cdktf.out');
    expect(result.stdout).toContain('stacks[1499]: "lambda-bastion": ');
    expect(result.stdout.trimEnd().endsWith(LAST_LINE)).toBe(true);
    expect(existsSync(join(work, 'cdktf.out'))).toBe(false);
    expect(existsSync(join(work, 'terraform'))).toBe(false);
  }, 60_000);
});
