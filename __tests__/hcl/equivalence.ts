import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BastionConfigInput, parseConfig, type StackName } from '../../modules/config';
import { parseHcl, terraformFmtCheck } from '../../modules/hcl';
import { type HandoffModule, MODULE_FILE, README_FILE, writeHandoff } from '../../scripts/hcl/write';
import { PROJECT_ROOT } from '../support/cdktf-cli';
import { type PlanView, planView } from '../support/plan-view';
import type { TerraformJson } from '../support/synth';
import { cleanUp, init, offlineConfig, OTHER_VPC, requireTerraform, synthToDisk, validate } from '../support/terraform';
import type { TerraformScenario } from '../terraform/scenario';
import { readmeTable } from './readme-table';
import { describeShippedTests } from './shipped-tests';

/**
 * A non-default value (as given to `-var`) for every variable a stack may have. The equivalence test plans
 * the JSON and the HCL module with these and compares; it fails for a variable missing here, so no variable
 * is added without that coverage. Values must pass the variables' validations and differ from any default.
 */
export const NON_DEFAULT_VALUES: Readonly<Record<string, string>> = {
  // Its non-default value is the parked scenario; the "non-default values" plan keeps the bastion enabled.
  bastion_enabled: 'false',
  log_retention_days: '90',
  vpc_id: OTHER_VPC.vpcId,
  subnet_ids: '["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]',
  route_table_ids: '["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2"]',
  ecs_desired_count: '2',
  ec2_instance_type: 't4g.small',
  patch_schedule: 'cron(0 4 ? * SAT *)',
  patch_timezone: 'America/New_York',
};

/** Compares two plans address by address, so a failure names the first resource that differs. */
export function expectSamePlan(hcl: PlanView, json: PlanView): void {
  expect(Object.keys(hcl.resources).sort()).toEqual(Object.keys(json.resources).sort());
  for (const address of Object.keys(json.resources)) expect({ address, ...(hcl.resources[address] as object) }).toEqual({ address, ...(json.resources[address] as object) });
  expect(Object.keys(hcl.reads).sort()).toEqual(Object.keys(json.reads).sort());
  for (const address of Object.keys(json.reads)) expect({ address, ...(hcl.reads[address] as object) }).toEqual({ address, ...(json.reads[address] as object) });
  expect(hcl.actions).toEqual(json.actions);
  expect(hcl.outputs).toEqual(json.outputs);
  expect(hcl.variables).toEqual(json.variables);
}

/** A `-var` value read back as a value, to compare with a default. */
function varValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Paths of this machine no rendered file may mention: this checkout, the output folder, a personal home folder. */
function machinePaths(dir: string): string[] {
  const home = homedir().split('/').filter(Boolean).length >= 2 ? [`${homedir()}/`] : [];
  return [PROJECT_ROOT, dir, process.cwd(), ...home];
}

/** The HCL without its backend block, the one part where cdktf.out and the hand-off differ on purpose. */
function withoutBackend(hcl: string): string {
  return hcl.replace(/\n {2}backend "[a-z0-9]+" \{\n(?: {4}.*\n)* {2}\}\n/, '\n');
}

/**
 * Registers the HCL stage of a scenario (inside its describe, whose beforeAll prepared the JSON synthesis), for
 * both HCL commands: the hand-off module (`npm run synth:hcl`) and `cdktf synth --hcl` (run as a user types
 * it) are `terraform fmt` clean and mention no path of this machine; the hand-off validates and documents
 * exactly its variables and outputs; cdktf.out's cdk.tf is the hand-off's main.tf but for the backend (one
 * rendering path); and both plan exactly what the JSON synthesis plans — with the defaults, and the hand-off
 * also parked and with every variable set to a non-default value.
 */
export function describeHclEquivalence(scenario: TerraformScenario): void {
  const { stackName, input } = scenario;
  describe('HCL stage (npm run synth:hcl, cdktf synth --hcl): plan-identical to the JSON synthesis', () => {
    let json: TerraformJson;
    let outDir: string;
    let handoff: HandoffModule;
    let cdktfDir: string;
    let cdktfStackDir: string;

    beforeAll(async () => {
      json = scenario.json;
      outDir = mkdtempSync(join(tmpdir(), 'ssm-bastion-handoff-'));
      [handoff] = await writeHandoff({ config: parseConfig(offlineConfig({ ...input, stacks: [stackName] })), outDir });
      const synth = await scenario.cdktfHclSynth();
      cdktfDir = synth.dir;
      expect({ status: synth.status, output: synth.output }).toEqual({ status: 0, output: expect.stringContaining('Generated Terraform code') });
      cdktfStackDir = join(synth.outdir, 'stacks', stackName);
      init(handoff.dir, scenario.provider);
      init(cdktfStackDir, scenario.provider);
    }, 240_000);
    // cdktfDir is the variant's shared run, which the global teardown removes with the run folder.
    afterAll(() => {
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    });

    it('is terraform fmt clean and valid', () => {
      expect(terraformFmtCheck(handoff.dir)).toEqual([]);
      const result = validate(handoff.dir);
      expect(result.diagnostics).toEqual([]);
      expect(result.valid).toBe(true);
      expect(handoff.module.resources.length).toBeGreaterThan(0);
    }, 120_000);

    it('documents exactly its variables and outputs in README.md', () => {
      const readme = readFileSync(join(handoff.dir, README_FILE), 'utf8');
      const variables = readmeTable(readme, 'Variables');
      const outputs = readmeTable(readme, 'Outputs');
      // From main.tf as parsed, and from the JSON synthesis (an independent source).
      expect(variables.map((row) => row.name)).toEqual(handoff.module.variables.map((variable) => variable.name).sort());
      expect(variables.map((row) => row.name)).toEqual(Object.keys(json.variable ?? {}).sort());
      expect(outputs.map((row) => row.name)).toEqual(Object.keys(json.output ?? {}).sort());
      for (const row of variables) {
        const variable = json.variable![row.name];
        expect(row.type).toBe(`\`${String(variable.type)}\``);
        expect(row.description).toContain(String(variable.description));
        expect(row.required).toBe('default' in variable ? 'no' : 'yes');
      }
      for (const row of outputs) expect(row.description).toContain(String(json.output![row.name].description ?? ''));
    });

    it('has a non-default value in NON_DEFAULT_VALUES for every variable, differing from its default', () => {
      const missing = Object.keys(json.variable ?? {}).filter((name) => !(name in NON_DEFAULT_VALUES));
      expect(missing).toEqual([]); // add each new variable to NON_DEFAULT_VALUES (__tests__/hcl/equivalence.ts)
      for (const [name, variable] of Object.entries(json.variable ?? {})) {
        expect({ name, value: varValue(NON_DEFAULT_VALUES[name]) }).not.toEqual({ name, value: variable.default });
      }
    });

    it('cdktf synth --hcl writes cdk.tf alone (no cdk.tf.json), terraform fmt clean, with the configured backend and no path of this machine', async () => {
      // Beside what `terraform init` adds (.terraform/, its lock file).
      expect(readdirSync(cdktfStackDir).filter((name) => !name.startsWith('.')).sort()).toEqual(['cdk.tf', 'metadata.json']);
      expect(terraformFmtCheck(cdktfStackDir)).toEqual([]);
      const hcl = readFileSync(join(cdktfStackDir, 'cdk.tf'), 'utf8');
      for (const path of machinePaths(cdktfDir)) expect({ mentions: hcl.includes(path) ? path : null }).toEqual({ mentions: null });
      const terraform = (await parseHcl(hcl)).terraform as { backend: unknown }[];
      // The state cdktf deploy and the JSON synthesis use (backend.path is relative to the project root).
      expect(terraform[0].backend).toEqual({ local: [{ path: `../../../terraform.${stackName}.tfstate` }] });
    });

    it("cdktf synth --hcl writes the hand-off's main.tf but for the backend: one rendering for both commands", () => {
      const cdktfOut = readFileSync(join(cdktfStackDir, 'cdk.tf'), 'utf8');
      const module = readFileSync(join(handoff.dir, MODULE_FILE), 'utf8');
      expect(withoutBackend(cdktfOut)).not.toBe(cdktfOut);
      expect(withoutBackend(cdktfOut)).toBe(withoutBackend(module));
    });

    it('plans the same as the JSON synthesis with the defaults (no -var), from the hand-off and from cdktf synth --hcl', async () => {
      const [hcl, cdktfOut, fromJson] = await Promise.all([
        planView(handoff.dir, {}, 'defaults.plan'),
        planView(cdktfStackDir, {}, 'defaults.plan'),
        scenario.defaultsPlan(),
      ]);
      expectSamePlan(hcl, fromJson);
      expectSamePlan(cdktfOut, fromJson);
    }, 180_000);

    it('plans the same parked (bastion_enabled=false), with null for every other non-nullable variable', async () => {
      // The variables file the JSON's parked plan takes too (scenario.ts): a non-nullable variable given null
      // takes its default; one that lost nullable = false would be null.
      expect(readFileSync(scenario.nullsFile, 'utf8')).toMatch(/ = null\n/);
      const parkedVars = { bastion_enabled: 'false' };
      const [parked, fromJson] = await Promise.all([planView(handoff.dir, parkedVars, 'parked.plan', scenario.nullsFile), scenario.parkedPlan()]);
      expectSamePlan(parked, fromJson);
      // Parking removes the counted resources: fewer managed resources planned than the module declares.
      const managed = Object.values(parked.resources).filter((resource) => (resource as { mode: string }).mode === 'managed');
      expect(managed.length).toBeLessThan(handoff.module.resources.length);
    }, 120_000);

    it('plans the same with every other variable set to a non-default value', async () => {
      const vars = Object.fromEntries(
        Object.keys(json.variable ?? {})
          .filter((name) => name !== 'bastion_enabled' && name in NON_DEFAULT_VALUES)
          .map((name) => [name, NON_DEFAULT_VALUES[name]]),
      );
      const [changed, fromJson] = await Promise.all([planView(handoff.dir, vars, 'non-default.plan'), planView(scenario.jsonDir, vars, 'non-default.plan')]);
      expectSamePlan(changed, fromJson);
      // The plan reports each -var as given (text), or converted for lists: either way, the value was taken.
      for (const [name, value] of Object.entries(vars)) expect([value, varValue(value)]).toContainEqual((changed.variables[name] as { value: unknown }).value);
    }, 120_000);

    // The tests shipped in the module's tests/ folder; proved once per stack that a broken assertion fails.
    describeShippedTests(() => ({ handoff, json }), { proveBrokenAssertionFails: input.network?.mode !== 'existing' });
  });
}

/**
 * The stage reaches its EC2 stub through the environment, so its stacks have no provider `endpoints` block:
 * here one has, rendered alike by the JSON synthesis and the hand-off, and Terraform accepts the hand-off's
 * (the JSON's is the same block, compared after parsing).
 */
export function describeProviderEndpointsRendering(stackName: StackName): void {
  it('renders provider.endpoints into the same provider block in the JSON and in the hand-off, which terraform validate accepts', async () => {
    const endpoints = { ec2: 'http://localhost:4566', s3: 'http://localhost:4566', sts: 'https://sts.eu-west-1.amazonaws.com' };
    const input: BastionConfigInput = { provider: { endpoints } };
    const { root, stackDir } = synthToDisk(stackName, input);
    const outDir = mkdtempSync(join(tmpdir(), 'ssm-bastion-handoff-'));
    try {
      const [handoff] = await writeHandoff({ config: parseConfig(offlineConfig({ ...input, stacks: [stackName] })), outDir });
      const jsonProvider = (JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as { provider: { aws: unknown[] } }).provider.aws[0];
      const hclProvider = ((await parseHcl(readFileSync(join(handoff.dir, MODULE_FILE), 'utf8'))).provider as { aws: unknown[] }).aws[0];
      expect(jsonProvider).toMatchObject({ endpoints: [endpoints] });
      expect(hclProvider).toEqual(jsonProvider);
      init(handoff.dir, requireTerraform().provider);
      expect(validate(handoff.dir)).toMatchObject({ valid: true, diagnostics: [] });
    } finally {
      cleanUp(root);
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
}
