import { requireTerraformCli, terraformAvailable } from '../../modules/hcl';
import { fakeTerraform } from '../support/fake-terraform';

describe('terraformAvailable', () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  it('runs `terraform version` once for each PATH the process has', () => {
    const working = fakeTerraform(0);
    const broken = fakeTerraform(2);
    process.env.PATH = working.bin;
    expect([terraformAvailable(), terraformAvailable()]).toEqual([true, true]);
    expect(working.calls()).toEqual(['version']);
    process.env.PATH = broken.bin;
    expect(terraformAvailable()).toBe(false);
    expect(() => requireTerraformCli('npm run synth:hcl')).toThrow(/npm run synth:hcl needs `terraform` \(>= 1\.10\) on PATH: it formats the HCL with `terraform fmt`/);
    expect(broken.calls()).toEqual(['version']);
    process.env.PATH = working.bin;
    expect(terraformAvailable()).toBe(true);
    expect(working.calls()).toEqual(['version']);
  });
});
