import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type CdktfSynthResult, cdktfSynthAsync } from '../support/cdktf-cli';

describe('cdktf synth', () => {
  // The three runs start together (each is mostly the CLI starting up) and each test reads its own.
  let valid: CdktfSynthResult;
  let badField: CdktfSynthResult;
  let malformed: CdktfSynthResult;
  beforeAll(async () => {
    [valid, badField, malformed] = await Promise.all([
      cdktfSynthAsync({ accountId: '123456789012' }),
      cdktfSynthAsync({ targets: [{ name: 'aurora', port: 70000, securityGroupId: 'sg-0123456789abcdef0' }] }),
      cdktfSynthAsync('{ "region": "eu-west-1", }'),
    ]);
  }, 120_000);
  // Each run gets a temporary folder (configuration and cdktf.out): removed once the suite is done.
  afterAll(() => [valid, badField, malformed].forEach((run) => run && rmSync(run.dir, { recursive: true, force: true })));

  it('writes both stacks from a valid configuration', () => {
    expect(valid.status).toBe(0);
    expect(readdirSync(join(valid.outdir, 'stacks')).sort()).toEqual(['ec2-bastion', 'ecs-bastion']);
  });

  it('stops on a bad configuration, names the field, and writes no stack', () => {
    expect(badField.status).not.toBe(0);
    expect(badField.output).toContain('targets[0].port: 70000: must be a port from 1 to 65535');
    expect(existsSync(join(badField.outdir, 'stacks'))).toBe(false);
  });

  it('stops on malformed JSON with its position', () => {
    expect(malformed.status).not.toBe(0);
    expect(malformed.output).toMatch(/not valid JSON at line 1, column 26/);
    expect(existsSync(join(malformed.outdir, 'stacks'))).toBe(false);
  });
});
