import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const projectRoot = join(__dirname, '..', '..');
const cdktf = join(projectRoot, 'node_modules', '.bin', 'cdktf');

/** Runs `cdktf synth` as a user would, with the configuration file and output folder given. */
function cdktfSynth(config: unknown): { status: number | null; output: string; outdir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-synth-'));
  const configFile = join(dir, 'bastion.config.json');
  writeFileSync(configFile, typeof config === 'string' ? config : JSON.stringify(config));
  const outdir = join(dir, 'cdktf.out');
  const result = spawnSync(cdktf, ['synth', '--output', outdir], {
    cwd: projectRoot,
    env: { ...process.env, BASTION_CONFIG: configFile, CI: 'true', CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, outdir };
}

describe('cdktf synth', () => {
  it('writes both stacks from a valid configuration', () => {
    const result = cdktfSynth({ accountId: '123456789012' });
    expect(result.status).toBe(0);
    expect(readdirSync(join(result.outdir, 'stacks')).sort()).toEqual(['ec2-bastion', 'ecs-bastion']);
  }, 60_000);

  it('stops on a bad configuration, names the field, and writes no stack', () => {
    const result = cdktfSynth({ targets: [{ name: 'aurora', port: 70000, securityGroupId: 'sg-0123456789abcdef0' }] });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('targets[0].port: 70000: must be a port from 1 to 65535');
    expect(existsSync(join(result.outdir, 'stacks'))).toBe(false);
  }, 60_000);

  it('stops on malformed JSON with its position', () => {
    const result = cdktfSynth('{ "region": "eu-west-1", }');
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/not valid JSON at line 1, column 26/);
    expect(existsSync(join(result.outdir, 'stacks'))).toBe(false);
  }, 60_000);
});
