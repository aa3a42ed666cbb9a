import { type ChildProcess, execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'cdktf';
import { type BastionConfigInput, parseConfig, type StackName } from '../../modules/config';
import { terraformAvailable } from '../../modules/hcl';
import { addBastionStacks } from '../../modules/stacks';
import { HELPER_NODE_ARGS, startBackground } from './background';
import type { StubVpc } from './ec2-stub';
import { type SchemaTypes, stopProviderServers, useProviderFrom, withProviderServer, withProviderServerAsync } from './provider-server';
import { typesNamedIn } from './schema-trim';
import { chooseProviderSource, initInvocation, type ProviderSource } from './terraform-provider';
import { OFFLINE_PROVIDER, TEST_ACCOUNT } from './synth';

/**
 * The Terraform stage: what we synthesize goes through the real AWS provider (5.100.0, from a filesystem
 * mirror or the registry, see terraform-provider.ts): `init`, `validate`, and an offline `plan`.
 */

export function terraformSkipped(): boolean {
  return process.env.SKIP_TERRAFORM === '1';
}

/**
 * Fails with what to do when terraform is missing (unless SKIP_TERRAFORM=1); returns where the AWS provider
 * comes from (a mirror, else the registry through a shared cache, filled by the global setup).
 */
export function requireTerraform(): { provider: ProviderSource } {
  // The check the HCL rendering makes too: `terraform version` from the current PATH, once for each PATH.
  if (!terraformAvailable()) {
    throw new Error(
      'The Terraform stage needs `terraform` (>= 1.10) on PATH: install it from https://developer.hashicorp.com/terraform/install, ' +
        'or run the other tests with SKIP_TERRAFORM=1.',
    );
  }
  return { provider: chooseProviderSource() };
}

const execFileAsync = promisify(execFile);

/** The existing VPC the stage's stacks read (their configuration names it): DNS on, a primary and a secondary block. */
export const STUB_VPC: StubVpc = {
  vpcId: 'vpc-0123456789abcdef0',
  cidrBlocks: ['10.0.0.0/16', '100.64.0.0/20'],
  dnsSupport: true,
  dnsHostnames: true,
};

/** A VPC with both DNS attributes off, for the plans that must fail on it (given as `-var vpc_id=…`). */
export const DNS_OFF_VPC: StubVpc = { ...STUB_VPC, vpcId: 'vpc-0d0500ff0000d0500', dnsSupport: false, dnsHostnames: false };

/** Another VPC, with a block of its own: what the equivalence plans give as a non-default `vpc_id`. */
export const OTHER_VPC: StubVpc = { vpcId: 'vpc-0fedcba9876543210', cidrBlocks: ['10.1.0.0/16'], dnsSupport: true, dnsHostnames: true };

/** Every VPC the EC2 stub describes. */
export const STUB_VPCS: readonly StubVpc[] = [STUB_VPC, DNS_OFF_VPC, OTHER_VPC];

let stub: { url: string; child: ChildProcess } | undefined;

/**
 * The URL of the EC2 stub on loopback describing STUB_VPCS (started once per test process, stopped with it),
 * for AWS_ENDPOINT_URL_EC2 (stageEnv): the real provider then reads an existing VPC offline. One stub for
 * every VPC keeps one environment, so the provider servers started in it serve every plan.
 */
export function ec2StubUrl(): string {
  if (stub) return stub.url;
  const { child, ready } = startBackground(process.execPath, [...HELPER_NODE_ARGS, join(__dirname, 'ec2-stub.ts'), JSON.stringify(STUB_VPCS)], {
    env: { ...process.env, EC2_STUB_PARENT: String(process.pid) },
    ready: /listening (\d+)/,
    timeoutMs: 20_000,
    stderr: 'inherit',
    failure: () => 'The EC2 stub of the Terraform stage did not start within 20 s.',
  });
  stub = { url: `http://127.0.0.1:${ready[1]}`, child };
  return stub.url;
}

/** Stops the EC2 stub this process started (the next call of ec2StubUrl starts a new one). */
export function stopEc2Stub(): void {
  stub?.child.kill();
  stub = undefined;
}

process.on('exit', stopEc2Stub);

/**
 * Stops what the Terraform stage keeps running (provider servers with their schema proxies, and the EC2 stub).
 * They serve file after file in a worker and stop when it exits: starting a server costs about 2 s of CPU
 * (the provider starts, then builds its whole schema once for the proxy), once per worker instead of per file.
 */
export function stopTerraformHelpers(): void {
  stopProviderServers();
  stopEc2Stub();
}

/**
 * The configuration every Terraform-stage synth uses: literal account, explicit zones, provider skip flags.
 * An existing VPC is read from the loopback EC2 stub through the environment (stageEnv), not through the
 * provider's `endpoints` block: with that block, each plan took 2 s longer (the provider validates its
 * configuration twice a plan, and an `endpoints` block makes that slow).
 */
export function offlineConfig(input: BastionConfigInput = {}): BastionConfigInput {
  return {
    region: 'eu-west-1',
    accountId: TEST_ACCOUNT,
    ...input,
    provider: { ...OFFLINE_PROVIDER, ...input.provider },
  };
}

/** Synthesizes the app the way `cdktf synth` does, into a fresh temporary folder. Returns the stack folder. */
export function synthToDisk(stackName: StackName, input: BastionConfigInput): { root: string; stackDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'ssm-bastion-tf-'));
  const config = parseConfig(offlineConfig({ ...input, stacks: [stackName] }));
  const app = new App({ outdir: join(root, 'cdktf.out') });
  addBastionStacks(app, config);
  app.synth();
  return { root, stackDir: join(root, 'cdktf.out', 'stacks', stackName) };
}

/**
 * Terraform commands that can run at once: two jest workers, each with two provider servers serving a
 * command at a time (provider-server.ts), every command beside its provider.
 */
const COMMANDS_AT_ONCE = 4;

/**
 * GOMAXPROCS for the stage's Terraform commands and provider servers (Go programs): their share of the
 * cores, at least one, unless GOMAXPROCS is already set. The stage keeps every core busy with several
 * commands at once, and a Go process that may run on every core spends CPU in parallel collection and in
 * threads looking for work. Measured on 2 cores kept busy, alternating the same plan and show of one stack:
 * Terraform used 9 % less CPU with GOMAXPROCS=1 (9.1 against 9.9 CPU-s over 16 commands), the provider 9 %
 * less a plan (561 against 617 ms). https://pkg.go.dev/runtime#hdr-Environment_Variables
 */
export function goMaxProcs(cores = availableParallelism(), env: NodeJS.ProcessEnv = process.env): string {
  return env.GOMAXPROCS ?? String(Math.max(1, Math.floor(cores / COMMANDS_AT_ONCE)));
}

/** The offline environment every Terraform call of the tests runs in (dummy keys, no checkpoint, no IMDS). */
export const TERRAFORM_ENV = {
  ...process.env,
  GOMAXPROCS: goMaxProcs(),
  CHECKPOINT_DISABLE: '1',
  TF_IN_AUTOMATION: '1',
  TF_INPUT: '0',
  AWS_ACCESS_KEY_ID: 'AKIAOFFLINEPLAN00000',
  AWS_SECRET_ACCESS_KEY: 'offline-plan-dummy-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Commands that load the AWS provider, and so attach to a provider server (provider-server.ts). */
const PROVIDER_COMMANDS = new Set(['plan', 'show', 'validate', 'test', 'apply', 'console']);

/** Whether a Terraform command loads the AWS provider (and may attach to a running provider server). */
export function loadsProvider(args: readonly string[]): boolean {
  return PROVIDER_COMMANDS.has(args[0] ?? '') || (args[0] === 'providers' && args[1] === 'schema');
}

/**
 * The environment of the stage's Terraform commands and of the provider: TERRAFORM_ENV, with EC2 calls sent
 * to the loopback stub describing STUB_VPCS (AWS_ENDPOINT_URL_EC2, which the provider honours like an `endpoints`
 * entry: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/custom-service-endpoints).
 */
export function stageEnv(): Record<string, string> {
  return { ...(TERRAFORM_ENV as Record<string, string>), AWS_ENDPOINT_URL_EC2: ec2StubUrl() };
}

/** The environment a command runs in: the stage's (EC2 stub included) when it loads the provider. */
function commandEnv(args: readonly string[]): Record<string, string> {
  return loadsProvider(args) ? stageEnv() : (TERRAFORM_ENV as Record<string, string>);
}

/**
 * The provider schemas a command in `dir` reads: those of the types the folder's files name, except for
 * `terraform providers schema`, which prints the whole schema.
 */
export function schemaTypes(dir: string, args: readonly string[]): SchemaTypes {
  return args[0] === 'providers' ? undefined : typesNamedIn(dir);
}

/** A failed command, with what Terraform printed. */
function failure(dir: string, args: readonly string[], error: unknown): Error {
  const e = error as { stdout?: string; stderr?: string };
  return new Error(`terraform ${args.join(' ')} failed in ${dir}:\n${e.stderr ?? ''}\n${e.stdout ?? ''}`);
}

/** Runs a Terraform command in the stage's environment (attached to a provider server when it loads the provider). */
export function terraform(dir: string, args: string[], env: Record<string, string> = {}): string {
  const baseEnv = commandEnv(args);
  const run = (server: Record<string, string>) =>
    execFileSync('terraform', args, {
      cwd: dir,
      env: { ...baseEnv, ...server, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  try {
    return loadsProvider(args) ? withProviderServer(baseEnv, schemaTypes(dir, args), run) : run({});
  } catch (error) {
    throw failure(dir, args, error);
  }
}

/** `terraform` without blocking: the plans of a scenario (JSON, hand-off, cdktf synth --hcl) run side by side. */
export async function terraformAsync(dir: string, args: string[]): Promise<string> {
  const baseEnv = commandEnv(args);
  const run = async (server: Record<string, string>) =>
    (await execFileAsync('terraform', args, { cwd: dir, env: { ...baseEnv, ...server }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })).stdout;
  try {
    return await (loadsProvider(args) ? withProviderServerAsync(baseEnv, schemaTypes(dir, args), run) : run({}));
  } catch (error) {
    throw failure(dir, args, error);
  }
}

/** The arguments of an offline plan into `planFile`, with `-var`s and optionally a `-var-file`. */
export function planArgs(vars: Record<string, string>, planFile: string, varFile?: string): string[] {
  const varArgs = [...Object.entries(vars).flatMap(([name, value]) => ['-var', `${name}=${value}`]), ...(varFile ? [`-var-file=${varFile}`] : [])];
  return ['plan', '-input=false', '-lock=false', '-no-color', `-out=${planFile}`, ...varArgs];
}

export function init(dir: string, provider: ProviderSource): void {
  const { args, env } = initInvocation(provider);
  terraform(dir, ['init', '-input=false', '-no-color', ...args], env);
  useProviderFrom(dir);
}

export function validate(dir: string): { valid: boolean; diagnostics: unknown[] } {
  return JSON.parse(terraform(dir, ['validate', '-json', '-no-color'])) as { valid: boolean; diagnostics: unknown[] };
}

/** Runs an offline plan into `planFile`; throws with Terraform's output when it fails (planView reads one back). */
export function plan(dir: string, vars: Record<string, string> = {}, planFile = 'offline.plan'): void {
  terraform(dir, planArgs(vars, planFile));
}

export function cleanUp(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/**
 * The resource addresses a synthesized stack defines: counted resources expand to `[0]` when enabled and
 * disappear when parked (every `count` we write is the bastion_enabled switch); resources repeated for each
 * of the existing VPC's CIDR blocks expand to one per block the stub describes.
 */
export function expectedAddresses(
  tf: { resource?: Record<string, Record<string, { count?: unknown; for_each?: unknown }>> },
  enabled: boolean,
  vpc: StubVpc = STUB_VPC,
): string[] {
  const addresses: string[] = [];
  for (const [type, resources] of Object.entries(tf.resource ?? {})) {
    for (const [name, body] of Object.entries(resources)) {
      if (body.for_each !== undefined) {
        if (!/cidr_block_associations/.test(String(body.for_each))) throw new Error(`${type}.${name}: for_each over something the harness does not know`);
        addresses.push(...vpc.cidrBlocks.map((cidr) => `${type}.${name}["${cidr}"]`));
      } else if (body.count === undefined) addresses.push(`${type}.${name}`);
      else if (enabled) addresses.push(`${type}.${name}[0]`);
    }
  }
  return addresses.sort();
}

/**
 * The environment of `terraform test` runs: no AWS credentials at all (no keys, no profile files, no instance
 * metadata), as in a receiving team's CI, where the shipped tests must run on mocked AWS alone.
 */
export const NO_AWS_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(TERRAFORM_ENV).filter(([name]) => !name.startsWith('AWS_'))),
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** `terraform test` in `dir` (initialised) without AWS credentials: its exit status and output, never a throw. */
export function terraformTest(dir: string, args: string[] = []): { status: number | null; output: string } {
  // The provider server runs without credentials too, so the runs prove they need none.
  const result = withProviderServer(NO_AWS_ENV, typesNamedIn(dir), (server) =>
    spawnSync('terraform', ['test', '-no-color', ...args], { cwd: dir, env: { ...NO_AWS_ENV, ...server }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
  );
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
