import { hclExpression, hclString } from '../../modules/hcl';
import { MOCK_PROVIDER_BLOCK, MOCKS_FILE, mocksFile } from './mocks';
import type { ModuleBlock, ParsedModule } from './module';
import { refusedValues } from './refused-values';

/**
 * The tests shipped with a hand-off module (`tests/` beside main.tf): `.tftest.hcl` files a Terraform-only team
 * runs with `terraform init && terraform test`, offline and without AWS credentials (AWS is mocked, see
 * mocks.ts). Generated from the module as parsed, like its README: a new resource, output, variable or data
 * source is covered without anyone writing a test, and a value the generator cannot know (a refused value, a
 * data source's mock values) stops the generation with the table entry to add.
 */

export interface ModuleTestFile {
  /** Path in the module folder. */
  readonly path: string;
  readonly text: string;
  /** One line for the module's README. */
  readonly summary: string;
}

/** The variable that parks the bastion. */
const SWITCH = 'bastion_enabled';

/** Resource types parking keeps, every instance: the audit trail. */
const AUDIT_TRAIL_TYPES: readonly string[] = ['aws_kms_key', 'aws_cloudwatch_log_group', 'aws_s3_bucket'];

/** Attribute values parking must bring resources to, by type: the ECS service stays, with no task running. */
const PARKED_VALUES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  aws_ecs_service: { desired_count: 0 },
};

/** Whether parking must remove `block`: what its count (or for_each) switches, the compute, the interface endpoints. */
function parkingRemoves(block: ModuleBlock): boolean {
  if (new RegExp(`\\bvar\\.${SWITCH}\\b`).test(`${block.count ?? ''} ${block.forEach ?? ''}`)) return true;
  return block.type === 'aws_instance' || (block.type === 'aws_vpc_endpoint' && block.body.vpc_endpoint_type === 'Interface');
}

/** The test files of a module: parking (when it has the switch), variable validations, and the mocks both use. */
export function moduleTests(module: ParsedModule): ModuleTestFile[] {
  const files: ModuleTestFile[] = [
    {
      path: MOCKS_FILE,
      text: mocksFile(module),
      summary: 'what mocked AWS returns: values the provider accepts for the data sources the module reads and the ARNs it uses.',
    },
  ];
  if (module.variables.some((variable) => variable.name === SWITCH)) {
    files.push({
      path: 'tests/parking.tftest.hcl',
      text: parkingTests(module),
      summary: `deployed, every output has a value; parked (\`${SWITCH} = false\`), the compute and the interface endpoints are gone and the audit trail (KMS key, log groups, session archive) stays; woken, they are back.`,
    });
  }
  const validated = module.variables.filter((variable) => variable.validations.length > 0);
  if (validated.length > 0) {
    files.push({
      path: 'tests/variables.tftest.hcl',
      text: variableTests(module),
      summary: `each validated variable (${validated.map((variable) => `\`${variable.name}\``).join(', ')}) refuses bad values.`,
    });
  }
  return files;
}

function parkingTests(module: ParsedModule): string {
  const removed = module.managed.filter(parkingRemoves);
  if (removed.length === 0) throw new Error(`The module has ${SWITCH} but nothing that parking removes: no parking test can be written.`);
  const kept = module.managed.filter((block) => AUDIT_TRAIL_TYPES.includes(block.type));
  const scaled = module.managed.flatMap((block) => Object.entries(PARKED_VALUES[block.type] ?? {}).map(([name, value]) => ({ block, name, value })));
  const outputs = module.outputs.filter((output) => output.value !== null);

  // Every run sets the switch: terraform test also reads the team's terraform.tfvars, which may park the bastion.
  const deployed = run('deployed', 'apply', { [SWITCH]: true }, [
    ...removed.map((block) => assert(`length(${instances(block)}) > 0`, `${block.address} must exist while ${SWITCH} is true.`)),
    ...outputs.map((output) => assert(`output.${output.name} != null`, `Output ${output.name} must have a value once deployed.`)),
  ]);
  const parked = run('parked', 'apply', { [SWITCH]: false }, [
    ...removed.map((block) => assert(`length(${instances(block)}) == 0`, `Parking (${SWITCH} = false) must remove ${block.address}.`)),
    ...scaled.map(({ block, name, value }) =>
      assert(`${block.address}.${name} == ${hclExpression(value, 'literal', false)}`, `Parking (${SWITCH} = false) must set ${name} of ${block.address} to ${String(value)}.`),
    ),
    ...kept.map((block) => assert(`length(${instances(block)}) > 0`, `Parking (${SWITCH} = false) must keep ${block.address}: it is part of the audit trail.`)),
  ]);
  const woken = run('woken', 'apply', { [SWITCH]: true }, [
    ...removed.map((block) => assert(`length(${instances(block)}) > 0`, `Waking (${SWITCH} = true after parking) must bring ${block.address} back.`)),
  ]);
  return testFile(
    [
      `Parking: ${SWITCH} = false removes the bastion's compute and interface VPC endpoints and keeps its audit trail.`,
      'The runs apply to mocked AWS one after the other, as a team would: deployed, parked, woken.',
    ],
    [deployed, parked, woken],
  );
}

function variableTests(module: ParsedModule): string {
  const validated = module.variables.filter((variable) => variable.validations.length > 0).map((variable) => ({ variable, values: refusedValues(variable) }));
  // One plan refuses a value of every validated variable at once (expect_failures needs each of them to fail):
  // a plan of the whole module per bad value would take minutes.
  const rounds = Math.max(...validated.map(({ values }) => values.length));
  const runs = Array.from({ length: rounds }, (_, round) => {
    const bad = validated.filter(({ values }) => round < values.length);
    return run(
      `refuse_bad_values_${round + 1}`,
      'plan',
      Object.fromEntries(bad.map(({ variable, values }) => [variable.name, values[round]])),
      [`expect_failures = [${bad.map(({ variable }) => `var.${variable.name}`).join(', ')}]`],
    );
  });
  return testFile(
    [
      'Each validated variable refuses bad values: every run plans with a bad value for each of them and expects',
      'every one to fail its validation. Terraform prints their messages:',
      ...validated.map(({ variable }) => `  ${variable.name}: ${variable.validations.join(' ')}`),
    ],
    runs,
  );
}

/** The instances of a resource as a list: the resource itself when counted, its values with for_each, else a one-item list (a splat). */
function instances(block: ModuleBlock): string {
  if (block.count !== undefined) return block.address;
  return block.forEach !== undefined ? `values(${block.address})` : `${block.address}[*]`;
}

function testFile(description: string[], runs: string[]): string {
  const header = [...description, 'Generated with the module: run `terraform init && terraform test` in the module folder.'].map((line) => `# ${line}`);
  return `${header.join('\n')}\n\n${MOCK_PROVIDER_BLOCK}\n\n${runs.join('\n\n')}\n`;
}

function run(name: string, command: 'plan' | 'apply', variables: Record<string, unknown>, body: string[]): string {
  const lines = [`command = ${command}`];
  const entries = Object.entries(variables);
  if (entries.length > 0) lines.push(`variables {\n${entries.map(([key, value]) => `${key} = ${hclExpression(value, 'literal')}`).join('\n')}\n}`);
  lines.push(...body);
  return `run "${name}" {\n${lines.join('\n')}\n}`;
}

function assert(condition: string, message: string): string {
  return `assert {\ncondition = ${condition}\nerror_message = ${hclString(message, 'literal')}\n}`;
}
