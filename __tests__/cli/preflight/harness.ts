/**
 * What the preflight tests share: `bastion preflight` run in-process (argument parsing, configuration, the EC2
 * Describe* calls answered by aws-sdk-client-mock from a small world, by filter and page by page, the checks,
 * the output and the exit code), every run checked against the permission table (cli/permissions.ts) as the
 * other commands' runs are.
 */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Finding } from '../../../cli/preflight/findings';
import { commandHarness } from '../commands/harness';
import { DB_GROUP, interfaceEndpoint, mockWorld, SUBNET_A, SUBNET_B, VPC_ID, type World, world } from '../preflight-world';
import { configDir, fakeRuntime, PREFIX, REGION } from '../support';

/** An ec2-bastion into the world's VPC, with its two private subnets and a database target. */
export const EXISTING = {
  namePrefix: PREFIX,
  region: REGION,
  stacks: ['ec2-bastion'],
  network: { mode: 'existing', vpcId: VPC_ID, subnetIds: [SUBNET_A, SUBNET_B] },
  targets: [{ name: 'aurora', port: 5432, securityGroupId: DB_GROUP }],
};

export type Config = Record<string, unknown>;

export const withConfig = (changes: Config, base: Config = EXISTING): Config => ({ ...base, ...changes });
export const existingNetwork = (changes: Config) => ({ network: { ...EXISTING.network, ...changes } });

export const ofCheck = (findings: readonly Finding[], check: string) => findings.filter((f) => f.check === check);
export const levels = (findings: readonly Finding[]) => findings.map((f) => f.level);

/** The settings block at the end of the terminal report. */
export function printedBlock(out: string): Config {
  const marker = /Settings that fit this (VPC|region) \(paste into bastion\.config\.json\):\n/.exec(out);
  if (!marker) throw new Error(`no settings block in:\n${out}`);
  return JSON.parse(out.slice(marker.index + marker[0].length)) as Config;
}

export const SSM_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'];
export const sharedSsmEndpoints = (extra: Partial<VpcEndpoint> = {}) => SSM_SERVICES.map((s) => interfaceEndpoint(s, `vpce-0${s}`, extra));

/** The VPC of the main scenario: DNS hostnames off, the ssm endpoints already there, t4g.nano only in zone a. */
export function mainScenario(): World {
  const w = world();
  w.dns[VPC_ID]!.hostnames = false;
  w.endpoints.push(...sharedSsmEndpoints());
  w.offerings['t4g.nano'] = [`${REGION}a`];
  return w;
}

/**
 * The commands' harness (mocked AWS for the calling test file, reset before each test, and `bastion(args,
 * runtime)`, each run recorded for the permission-table check after the test), with `preflight(config, world,
 * args)` and its `--json` twin `preflightJson`, run in a folder holding `config`.
 */
export function preflightHarness() {
  const { ec2Mock, stsMock, bastion } = commandHarness();

  /** `bastion preflight …` in a folder holding `config`, against whatever ec2Mock answers. */
  const preflightIn = (config: Config, args: string[] = []) => bastion(['preflight', ...args], fakeRuntime({ cwd: configDir(config) }));

  /** `prepare` runs after the world is mocked: to make one call fail, say. */
  async function preflight(config: Config, w: World, args: string[] = [], prepare?: () => void) {
    mockWorld(ec2Mock, w);
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: w.account });
    prepare?.();
    const { code, out, err } = await preflightIn(config, args);
    return { code, out, err };
  }

  /** The findings of a --json run, and its whole document. */
  async function preflightJson(config: Config, w: World, args: string[] = [], prepare?: () => void) {
    const result = await preflight(config, w, [...args, '--json'], prepare);
    const document = JSON.parse(result.out) as { findings: Finding[]; suggested: Config; blockers: number; warnings: number };
    return { ...result, document, findings: document.findings };
  }

  return { ec2Mock, preflightIn, preflight, preflightJson };
}
