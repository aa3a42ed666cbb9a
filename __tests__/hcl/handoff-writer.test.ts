import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BastionConfigInput, parseConfig } from '../../modules/config';
import { npmScriptCommand } from '../../scripts/app-command';
import { HandoffError, writeHandoff } from '../../scripts/hcl/write';
import { offlineConfig, terraformSkipped } from '../support/terraform';

/**
 * `npm run synth:hcl` and the writer behind it: exactly main.tf, README.md and tests/ per stack, nothing stale after a
 * second run, no path of this machine, and never a team's state thrown away. Needs `terraform` (for fmt).
 */

const ROOT = join(__dirname, '..', '..');

function listTree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? [`${prefix}${entry.name}/`, ...listTree(join(dir, entry.name), `${prefix}${entry.name}/`)] : [`${prefix}${entry.name}`]))
    .sort();
}

const describeOrSkip = terraformSkipped() ? describe.skip : describe;

describeOrSkip('npm run synth:hcl', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'ssm-bastion-synth-hcl-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  /** Runs the real script, as `npm run synth:hcl -- --out <out>` would, with a configuration file. */
  function synthHcl(out: string, input: BastionConfigInput, ...args: string[]) {
    const configFile = join(work, 'bastion.config.json');
    writeFileSync(configFile, JSON.stringify(offlineConfig(input)));
    const script = npmScriptCommand('synth:hcl');
    return spawnSync(script.command, [...script.args, '--out', out, ...args], {
      cwd: ROOT,
      env: { ...process.env, BASTION_CONFIG: configFile },
      encoding: 'utf8',
    });
  }

  it('twice in a row leaves exactly main.tf, README.md and tests/ per stack: nothing stale, no cdk.tf.json, no lock file', async () => {
    const out = join(work, 'dist', 'terraform');
    const first = synthHcl(out, {});
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/wrote .*ecs-bastion\/ \(main\.tf, README\.md, tests\/\)/);
    const moduleFiles = ['README.md', 'main.tf', 'tests/', 'tests/mocks/', 'tests/mocks/aws.tfmock.hcl', 'tests/parking.tftest.hcl', 'tests/variables.tftest.hcl'];
    const expected = ['ec2-bastion', 'ecs-bastion'].flatMap((stack) => [`${stack}/`, ...moduleFiles.map((file) => `${stack}/${file}`)]).sort();
    expect(listTree(out)).toEqual(expected);

    // What an older synthesis or a trial `terraform init` leaves behind.
    writeFileSync(join(out, 'ecs-bastion', 'cdk.tf.json'), '{}');
    writeFileSync(join(out, 'ecs-bastion', 'old.tf'), 'variable "gone" {}\n');
    writeFileSync(join(out, 'ecs-bastion', 'tests', 'removed.tftest.hcl'), 'run "gone" {}\n');
    writeFileSync(join(out, 'ec2-bastion', '.terraform.lock.hcl'), '# lock\n');
    mkdirSync(join(out, 'ec2-bastion', '.terraform', 'providers'), { recursive: true });
    // The second run is the writer the script calls, in-process: the script's own part (options, output,
    // exit status) is proved by the first run, and each run of it costs seconds of CPU.
    await writeHandoff({ config: parseConfig(offlineConfig({})), outDir: out });
    expect(listTree(out)).toEqual(expected);
  }, 120_000);

  it('refuses a folder holding Terraform state, leaving it untouched, until --force', async () => {
    const out = join(work, 'terraform');
    await writeHandoff({ config: parseConfig(offlineConfig({ stacks: ['ecs-bastion'] })), outDir: out });
    writeFileSync(join(out, 'ecs-bastion', 'terraform.tfstate'), '{"version": 4}');
    const refused = synthHcl(out, { stacks: ['ecs-bastion'] });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/ecs-bastion holds terraform\.tfstate: it is someone's working copy.*--force/s);
    expect(readFileSync(join(out, 'ecs-bastion', 'terraform.tfstate'), 'utf8')).toBe('{"version": 4}');
    expect(synthHcl(out, { stacks: ['ecs-bastion'] }, '--force').status).toBe(0);
    expect(listTree(join(out, 'ecs-bastion')).filter((file) => !/^tests\/./.test(file))).toEqual(['README.md', 'main.tf', 'tests/']);
  }, 120_000);
});

describeOrSkip('writeHandoff', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'ssm-bastion-handoff-writer-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const config = (input: BastionConfigInput) => parseConfig(offlineConfig(input));

  it('writes no absolute path of this machine anywhere (backend, README, anything)', async () => {
    await writeHandoff({ config: config({}), outDir: out });
    // This checkout, the output folder (under the temporary folder) and a personal home folder.
    const home = homedir().split('/').filter(Boolean).length >= 2 ? [`${homedir()}/`] : [];
    const forbidden = [ROOT, out, process.cwd(), ...home];
    for (const file of listTree(out).filter((entry) => !entry.endsWith('/'))) {
      const text = readFileSync(join(out, file), 'utf8');
      for (const path of forbidden) expect({ file, mentions: text.includes(path) ? path : null }).toEqual({ file, mentions: null });
    }
  });

  it('refuses to write a module that mentions a path of this machine', async () => {
    // As a leaked absolute path would (an asset, a default backend): here through a tag value.
    await expect(writeHandoff({ config: config({ tags: { checkout: ROOT } }), outDir: out })).rejects.toThrow(/main\.tf mentions the path .* of this machine/);
    expect(readdirSync(out)).toEqual([]);
    // The output folder is a path of this machine too, wherever it is (here outside the checkout).
    await expect(writeHandoff({ config: config({ tags: { output: out } }), outDir: out })).rejects.toThrow(/main\.tf mentions the path .* of this machine/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('removes the folder of a stack the configuration no longer has', async () => {
    await writeHandoff({ config: config({}), outDir: out });
    const modules = await writeHandoff({ config: config({ stacks: ['ec2-bastion'] }), outDir: out });
    expect(modules.map((module) => module.stack)).toEqual(['ec2-bastion']);
    expect(readdirSync(out)).toEqual(['ec2-bastion']);
  });

  it('refuses .tfvars files as well, and touches no module folder when it refuses', async () => {
    await writeHandoff({ config: config({}), outDir: out });
    writeFileSync(join(out, 'ec2-bastion', 'prod.tfvars'), 'bastion_enabled = false\n');
    const before = readFileSync(join(out, 'ecs-bastion', 'main.tf'), 'utf8');
    await expect(writeHandoff({ config: config({ namePrefix: 'other-bastion' }), outDir: out })).rejects.toThrow(HandoffError);
    expect(readFileSync(join(out, 'ecs-bastion', 'main.tf'), 'utf8')).toBe(before);
    expect(existsSync(join(out, 'ec2-bastion', 'prod.tfvars'))).toBe(true);
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses variable files in the JSON syntax too (terraform.tfvars.json is loaded like terraform.tfvars)', async () => {
    await writeHandoff({ config: config({}), outDir: out });
    writeFileSync(join(out, 'ecs-bastion', 'terraform.tfvars.json'), '{"bastion_enabled": false}\n');
    await expect(writeHandoff({ config: config({}), outDir: out })).rejects.toThrow(/terraform\.tfvars\.json: it is someone's working copy/);
    expect(existsSync(join(out, 'ecs-bastion', 'terraform.tfvars.json'))).toBe(true);
  });
});
