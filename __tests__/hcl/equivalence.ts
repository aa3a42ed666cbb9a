import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BastionConfigInput, parseConfig, type StackName } from '../../modules/config';
import { parseHcl, terraformFmtCheck } from '../../modules/hcl';
import { type HandoffModule, MODULE_FILE, README_FILE, writeHandoff } from '../../scripts/hcl/write';
import { cdktfSynth, PROJECT_ROOT } from '../support/cdktf-cli';
import type { TerraformJson } from '../support/synth';
import { cleanUp, init, offlineConfig, requireTerraform, synthToDisk, TERRAFORM_ENV, terraformSkipped, validate } from '../support/terraform';
import type { ProviderSource } from '../support/terraform-provider';
import { NETWORK_VARIANTS } from '../terraform/stage';
import { readmeTable } from './readme-table';
import { describeShippedTests } from './shipped-tests';

const execFileAsync = promisify(execFile);

/**
 * A non-default value (as given to `-var`) for every variable a stack may have. The equivalence test plans
 * the JSON and the HCL module with these and compares; it fails for a variable missing here, so no variable
 * is added without that coverage. Values must pass the variables' validations and differ from any default.
 */
export const NON_DEFAULT_VALUES: Readonly<Record<string, string>> = {
  // Its non-default value is the parked scenario; the "non-default values" plan keeps the bastion enabled.
  bastion_enabled: 'false',
  log_retention_days: '90',
  vpc_id: 'vpc-0fedcba9876543210',
  subnet_ids: '["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]',
  route_table_ids: '["rtb-0aaaaaaaaaaaaaaa1", "rtb-0aaaaaaaaaaaaaaa2"]',
  ecs_desired_count: '2',
  ec2_instance_type: 't4g.small',
  patch_schedule: 'cron(0 4 ? * SAT *)',
  patch_timezone: 'America/New_York',
};

/** The parts of `terraform show -json <plan>` that say what applying would do. */
export interface PlanView {
  /** Planned resources (and data sources read at plan time) by address: type, values, sensitivity. */
  readonly resources: Record<string, unknown>;
  /** Data sources as read during the plan (policy documents), by address. */
  readonly reads: Record<string, unknown>;
  /** Actions per resource address. */
  readonly actions: Record<string, unknown>;
  /** Output values and which are unknown until apply. */
  readonly outputs: Record<string, unknown>;
  /** Variable values the plan used (defaults included). */
  readonly variables: Record<string, unknown>;
}

interface ShownResource {
  address: string;
  mode: string;
  type: string;
  values?: unknown;
  sensitive_values?: unknown;
}

interface ShownPlan {
  planned_values?: { root_module?: { resources?: ShownResource[] }; outputs?: Record<string, unknown> };
  prior_state?: { values?: { root_module?: { resources?: ShownResource[] } } };
  resource_changes?: { address: string; change: { actions: string[] } }[];
  output_changes?: Record<string, unknown>;
  variables?: Record<string, unknown>;
}

// The JSON and the HCL plan of a scenario run side by side, one per core, in the Terraform stage's environment.

async function terraformAsync(dir: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('terraform', args, { cwd: dir, env: TERRAFORM_ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${e.stderr ?? ''}\n${e.stdout ?? ''}`);
  }
}

/** Runs an offline plan in `dir` (with `-var`s and optionally a `-var-file`) and returns what it would do. */
export async function planView(dir: string, vars: Record<string, string>, planFile: string, varFile?: string): Promise<PlanView> {
  const varArgs = [...Object.entries(vars).flatMap(([name, value]) => ['-var', `${name}=${value}`]), ...(varFile ? [`-var-file=${varFile}`] : [])];
  await terraformAsync(dir, ['plan', '-input=false', '-lock=false', '-no-color', `-out=${planFile}`, ...varArgs]);
  const shown = JSON.parse(await terraformAsync(dir, ['show', '-json', '-no-color', planFile])) as ShownPlan;
  const byAddress = (resources: ShownResource[] = []) =>
    Object.fromEntries(resources.map(({ address, mode, type, values, sensitive_values }) => [address, { mode, type, values, sensitive_values }]));
  return {
    resources: byAddress(shown.planned_values?.root_module?.resources),
    reads: byAddress(shown.prior_state?.values?.root_module?.resources),
    actions: Object.fromEntries((shown.resource_changes ?? []).map((change) => [change.address, change.change.actions])),
    outputs: { planned: shown.planned_values?.outputs ?? {}, changes: shown.output_changes ?? {} },
    variables: shown.variables ?? {},
  };
}

/** The HCL and the JSON plan of one scenario, run side by side. */
function planBoth(hclDir: string, jsonDir: string, vars: Record<string, string>, planFile: string, varFile?: string): Promise<[PlanView, PlanView]> {
  return Promise.all([planView(hclDir, vars, planFile, varFile), planView(jsonDir, vars, planFile, varFile)]);
}

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
 * Registers the HCL equivalence stage for one stack, in every network variant, for both HCL commands: the
 * hand-off module (`npm run synth:hcl`) and `cdktf synth --hcl` (run as a user types it) are `terraform fmt`
 * clean and mention no path of this machine; the hand-off validates and documents exactly its variables and
 * outputs; cdktf.out's cdk.tf is the hand-off's main.tf but for the backend (one rendering path); and both plan
 * exactly what the JSON synthesis plans — with the defaults, and the hand-off also parked and with every
 * variable set to a non-default value.
 */
export function describeHclEquivalence(stackName: StackName): void {
  const describeOrSkip = terraformSkipped() ? describe.skip : describe;
  describeOrSkip(`HCL of ${stackName} (npm run synth:hcl, cdktf synth --hcl): plan-identical to the JSON synthesis`, () => {
    let provider: ProviderSource;
    beforeAll(() => {
      provider = requireTerraform().provider;
    });

    describe.each(Object.entries(NETWORK_VARIANTS))('in %s', (_variant, input: BastionConfigInput) => {
      let jsonRoot: string;
      let jsonDir: string;
      let json: TerraformJson;
      let outDir: string;
      let handoff: HandoffModule;
      let cdktfDir: string;
      let cdktfStackDir: string;

      beforeAll(async () => {
        ({ root: jsonRoot, stackDir: jsonDir } = synthToDisk(stackName, input));
        json = JSON.parse(readFileSync(join(jsonDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
        outDir = mkdtempSync(join(tmpdir(), 'ssm-bastion-handoff-'));
        [handoff] = await writeHandoff({ config: parseConfig(offlineConfig({ ...input, stacks: [stackName] })), outDir });
        const synth = cdktfSynth(offlineConfig({ ...input, stacks: [stackName] }), ['--hcl']);
        cdktfDir = synth.dir;
        expect({ status: synth.status, output: synth.output }).toEqual({ status: 0, output: expect.stringContaining('Generated Terraform code') });
        cdktfStackDir = join(synth.outdir, 'stacks', stackName);
        init(jsonDir, provider);
        init(handoff.dir, provider);
        init(cdktfStackDir, provider);
      }, 240_000);
      afterAll(() => {
        if (jsonRoot) cleanUp(jsonRoot);
        if (outDir) rmSync(outDir, { recursive: true, force: true });
        if (cdktfDir) cleanUp(cdktfDir);
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
          planView(jsonDir, {}, 'defaults.plan'),
        ]);
        expectSamePlan(hcl, fromJson);
        expectSamePlan(cdktfOut, fromJson);
      }, 180_000);

      it('plans the same parked (bastion_enabled=false), with null for every other non-nullable variable', async () => {
        // A non-nullable variable given null takes its default; one that lost nullable = false would be null.
        // null can only be given in a variables file: -var passes the text "null".
        const nullable = Object.entries(json.variable ?? {}).filter(([name, variable]) => name !== 'bastion_enabled' && variable.nullable === false);
        const varFile = join(outDir, 'nulls.tfvars');
        writeFileSync(varFile, nullable.map(([name]) => `${name} = null\n`).join(''));
        const vars = { bastion_enabled: 'false' };
        const [parked, fromJson] = await planBoth(handoff.dir, jsonDir, vars, 'parked.plan', varFile);
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
        const [changed, fromJson] = await planBoth(handoff.dir, jsonDir, vars, 'non-default.plan');
        expectSamePlan(changed, fromJson);
        // The plan reports each -var as given (text), or converted for lists: either way, the value was taken.
        for (const [name, value] of Object.entries(vars)) expect([value, varValue(value)]).toContainEqual((changed.variables[name] as { value: unknown }).value);
      }, 120_000);

      // The tests shipped in the module's tests/ folder; proved once per stack that a broken assertion fails.
      describeShippedTests(() => ({ handoff, json }), { proveBrokenAssertionFails: input.network?.mode !== 'existing' });
    });
  });
}
