import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHcl } from '../../modules/hcl';
import { type HandoffModule, MODULE_FILE } from '../../scripts/hcl/write';
import type { TerraformJson } from '../support/synth';
import { terraformTest } from '../support/terraform';

/**
 * The tests shipped with each hand-off module (`tests/`, run by the receiving team with `terraform test`), run
 * here so they cannot rot: they pass offline without AWS credentials, they cover what the JSON synthesis
 * declares (an independent source), and they fail when what they assert is broken.
 */

export interface ShippedTestsContext {
  readonly handoff: HandoffModule;
  /** The JSON synthesis of the same stack and configuration. */
  readonly json: TerraformJson;
}

type Run = { assert?: { condition: string; error_message: string }[]; expect_failures?: string[]; variables?: Record<string, unknown>[] };

/** Test files, as paths relative to the module folder. */
function testFiles(dir: string, sub = 'tests'): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? testFiles(dir, `${sub}/${entry.name}`) : [`${sub}/${entry.name}`]))
    .sort();
}

/** The run blocks of one test file, by name. */
async function runsOf(dir: string, file: string): Promise<Record<string, Run>> {
  const parsed = await parseHcl(readFileSync(join(dir, file), 'utf8'), file);
  return Object.fromEntries(Object.entries((parsed.run ?? {}) as Record<string, Run[]>).map(([name, [body]]) => [name, body]));
}

const conditions = (run: Run | undefined) => (run?.assert ?? []).map((assert) => assert.condition);

/** The terraform test summary line: how many runs passed and failed. */
function summary(output: string): { passed: number; failed: number } | undefined {
  const match = /(?:Success|Failure)! (\d+) passed, (\d+) failed/.exec(output);
  return match ? { passed: Number(match[1]), failed: Number(match[2]) } : undefined;
}

/**
 * Registers the checks of a module's shipped tests (inside a describe whose beforeAll has written and
 * initialised the module). `proveBrokenAssertionFails` adds the proof that a broken assertion fails the run.
 */
export function describeShippedTests(context: () => ShippedTestsContext, options: { proveBrokenAssertionFails?: boolean } = {}): void {
  it('ships tests/ generated from main.tf: parking covers every counted resource and the audit trail, every output, every validated variable, every data source', async () => {
    const { handoff, json } = context();
    const dir = handoff.dir;
    expect(testFiles(dir)).toEqual(['tests/mocks/aws.tfmock.hcl', 'tests/parking.tftest.hcl', 'tests/variables.tftest.hcl']);

    const parking = await runsOf(dir, 'tests/parking.tftest.hcl');
    expect(Object.keys(parking)).toEqual(['deployed', 'parked', 'woken']);
    const resources = Object.entries(json.resource ?? {}).flatMap(([type, named]) => Object.entries(named).map(([name, body]) => ({ address: `${type}.${name}`, type, body })));
    const counted = resources.filter(({ body }) => body.count !== undefined);
    expect(counted.length).toBeGreaterThan(0);
    for (const { address } of counted) {
      expect(conditions(parking.deployed)).toContain(`\${length(${address}) > 0}`);
      expect(conditions(parking.parked)).toContain(`\${length(${address}) == 0}`);
      expect(conditions(parking.woken)).toContain(`\${length(${address}) > 0}`);
    }
    const auditTrail = resources.filter(({ type }) => ['aws_kms_key', 'aws_cloudwatch_log_group', 'aws_s3_bucket'].includes(type));
    expect(auditTrail.length).toBeGreaterThan(1);
    for (const { address } of auditTrail) expect(conditions(parking.parked)).toContain(`\${length(${address}[*]) > 0}`);
    for (const [name, output] of Object.entries(json.output ?? {})) {
      if (output.value !== null) expect(conditions(parking.deployed)).toContain(`\${output.${name} != null}`);
    }

    const refusals = Object.values(await runsOf(dir, 'tests/variables.tftest.hcl'));
    const validated = Object.entries(json.variable ?? {})
      .filter(([, variable]) => Array.isArray(variable.validation))
      .map(([name]) => name);
    expect(validated.length).toBeGreaterThan(0);
    for (const run of refusals) expect(run.expect_failures!.sort()).toEqual(Object.keys(run.variables![0]).map((name) => `\${var.${name}}`).sort());
    const refused = new Set(refusals.flatMap((run) => run.expect_failures!));
    expect([...refused].sort()).toEqual(validated.map((name) => `\${var.${name}}`).sort());

    const mocks = await parseHcl(readFileSync(join(dir, 'tests/mocks/aws.tfmock.hcl'), 'utf8'), 'aws.tfmock.hcl');
    expect(Object.keys((mocks.mock_data ?? {}) as object).sort()).toEqual(Object.keys(json.data ?? {}).sort());
  });

  it('terraform test passes offline, without AWS credentials: every run of every file', async () => {
    const { handoff } = context();
    const runs = (await Promise.all(['tests/parking.tftest.hcl', 'tests/variables.tftest.hcl'].map((file) => runsOf(handoff.dir, file)))).flatMap(Object.keys);
    const result = terraformTest(handoff.dir);
    expect({ status: result.status, summary: summary(result.output) }).toEqual({ status: 0, summary: { passed: runs.length, failed: 0 } });
    for (const run of runs) expect(result.output).toContain(`run "${run}"... pass`);
  }, 300_000);

  it('fails a refusal run with the error message of every validated variable once its expect_failures is removed', () => {
    const { handoff, json } = context();
    // The shipped file, less its expect_failures, in a test folder of its own (-test-directory), mocks as shipped.
    const broken = join(handoff.dir, 'tests-broken');
    mkdirSync(broken);
    try {
      const shipped = readFileSync(join(handoff.dir, 'tests/variables.tftest.hcl'), 'utf8');
      const mutated = shipped.replace(/^\s*expect_failures = \[.*\]\n/gm, '');
      expect(mutated).not.toBe(shipped);
      writeFileSync(join(broken, 'variables.tftest.hcl'), mutated);
      const result = terraformTest(handoff.dir, ['-test-directory=tests-broken']);
      // The first run refuses a value of every validated variable; a run ending in an error skips the next ones.
      expect({ status: result.status, summary: summary(result.output) }).toEqual({ status: 1, summary: { passed: 0, failed: 1 } });
      expect(result.output).toContain('run "refuse_bad_values_1"... fail');
      for (const [name, variable] of Object.entries(json.variable ?? {})) {
        for (const rule of (variable.validation ?? []) as { error_message: string }[]) {
          // Terraform wraps long messages over lines.
          expect({ name, output: result.output.replace(/\s+/g, ' ') }).toEqual({ name, output: expect.stringContaining(rule.error_message) });
        }
      }
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 300_000);

  if (options.proveBrokenAssertionFails) {
    it('fails when a shipped assertion is broken: a module whose interface endpoint no longer parks fails the parked run with its message', () => {
      const { handoff } = context();
      const endpoint = handoff.module.managed.find((block) => block.type === 'aws_vpc_endpoint' && block.count !== undefined)!;
      // A copy (with the initialised .terraform/ and its links) where that endpoint lost its count.
      const copy = mkdtempSync(join(tmpdir(), 'ssm-bastion-broken-module-'));
      try {
        cpSync(handoff.dir, copy, { recursive: true, verbatimSymlinks: true });
        const main = readFileSync(join(copy, MODULE_FILE), 'utf8');
        const header = `resource "${endpoint.type}" "${endpoint.name}" {\n`;
        const start = main.indexOf(header);
        const end = main.indexOf('\n}\n', start) + 1;
        const block = main.slice(start, end);
        const unparked = block.replace(/^\s*count\s*=.*\n/m, '');
        expect(unparked).not.toBe(block);
        writeFileSync(join(copy, MODULE_FILE), main.slice(0, start) + unparked + main.slice(end));
        const result = terraformTest(copy, ['-filter=tests/parking.tftest.hcl']);
        expect(result.status).toBe(1);
        expect(result.output).toContain('run "parked"... fail');
        expect(result.output.replace(/\s+/g, ' ')).toContain(`Parking (bastion_enabled = false) must remove ${endpoint.address}.`);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }, 300_000);
  }
}
