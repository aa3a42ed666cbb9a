import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cdktfSynth as runCdktfSynth } from '../support/cdktf-cli';

describe('cdktf synth', () => {
  // Each run gets a temporary folder (configuration and cdktf.out): removed once the suite is done.
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const cdktfSynth = (config: unknown) => {
    const result = runCdktfSynth(config);
    dirs.push(result.dir);
    return result;
  };

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
