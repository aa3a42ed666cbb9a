import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHcl } from '../../modules/hcl';
import { appCommand } from '../../scripts/app-command';
import { PROJECT_ROOT } from '../support/cdktf-cli';
import { offlineConfig } from '../support/terraform';

/**
 * `cdktf synth --hcl` on a machine without Terraform. (With Terraform, equivalence.ts runs the real command for
 * each stack and network variant: fmt clean, no machine path, plan-identical to the JSON synthesis.)
 */

describe('the app under cdktf synth --hcl, without terraform on PATH', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ssm-bastion-no-terraform-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes valid HCL, unformatted, and says so, naming what to install', async () => {
    // A PATH holding node only, so `terraform` cannot be found wherever it is installed here.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const configFile = join(work, 'bastion.config.json');
    writeFileSync(configFile, JSON.stringify(offlineConfig({ stacks: ['ecs-bastion'] })));
    const outdir = join(work, 'cdktf.out');
    // What `cdktf synth --hcl` runs: the app of cdktf.json, with SYNTH_HCL_OUTPUT and CDKTF_OUTDIR.
    const app = appCommand();
    const result = spawnSync(app.command, app.args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PATH: bin, BASTION_CONFIG: configFile, SYNTH_HCL_OUTPUT: 'true', CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toMatch(
      /cdk\.tf: valid HCL that plans exactly what the JSON synthesis plans, but not terraform fmt formatted: `terraform` \(>= 1\.10\) is not on PATH\. Install it/,
    );
    expect(result.status).toBe(0);
    const dir = join(outdir, 'stacks', 'ecs-bastion');
    expect(readdirSync(dir).sort()).toEqual(['cdk.tf', 'metadata.json']);
    const parsed = await parseHcl(readFileSync(join(dir, 'cdk.tf'), 'utf8'));
    expect(Object.keys(parsed.resource as object).length).toBeGreaterThan(0);
  }, 60_000);
});
