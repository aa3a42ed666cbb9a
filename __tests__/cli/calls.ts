import { AWS_CLI_COMMANDS, type AwsCliCall, CLI_COMMAND_CALLS, CLI_COMMANDS, type CliCommand, documentName } from '../../cli/permissions';
import { VARIANTS, type Variant } from '../../cli/variants';
import type { BastionNames } from '../../modules/naming';
import type { SpawnCall } from './support';

/** The command and variants a `bastion` argv runs (`status` without a variant covers both). */
export function commandOf(argv: readonly string[]): { command: CliCommand; variants: Variant[] } | undefined {
  const index = argv.findIndex((arg) => (CLI_COMMANDS as readonly string[]).includes(arg));
  if (index < 0 || argv.includes('--help') || argv.includes('-h')) return undefined;
  const command = argv[index] as CliCommand;
  const variant = argv[index + 1];
  return { command, variants: (VARIANTS as readonly string[]).includes(variant) ? [variant as Variant] : [...VARIANTS] };
}

/** The SDK commands (by class name) the mocked clients received. */
export function sentSdkCommands(mocks: readonly { calls(): { args: unknown[] }[] }[]): string[] {
  return mocks.flatMap((mock) => mock.calls().map((call) => (call.args[0] as object).constructor.name));
}

/** The AWS CLI calls behind spawned `aws …` command lines. */
export function spawnedAwsCliCalls(spawned: readonly SpawnCall[], names: BastionNames): AwsCliCall[] {
  return spawned.map(({ command, args }) => {
    const words = `${args[0]} ${args[1]}`;
    if (command !== 'aws' || !(AWS_CLI_COMMANDS as readonly string[]).includes(words)) throw new Error(`unknown command line: ${command} ${args.join(' ')}`);
    const document = args[args.indexOf('--document-name') + 1];
    if (!args.includes('--document-name')) return { command: words as AwsCliCall['command'] };
    const kind = (['port-forwarding', 'session-document'] as const).find((k) => documentName(k, names) === document);
    if (!kind) throw new Error(`start-session with a document the permission table does not know: ${document}`);
    return { command: words as AwsCliCall['command'], document: kind };
  });
}

/**
 * What a run of `argv` sent that the permission table of cli/permissions.ts does not list for that command
 * (empty when the table covers it). The authorization simulation only proves what the table lists.
 */
export function uncoveredCalls(argv: readonly string[], sdk: readonly string[], awsCli: readonly AwsCliCall[]): string[] {
  const ran = commandOf(argv);
  if (!ran) return [];
  const allowed = ran.variants.map((variant) => CLI_COMMAND_CALLS[ran.command][variant]);
  const missing = sdk.filter((name) => !allowed.some((calls) => calls.sdk.includes(name)));
  const missingCli = awsCli
    .filter((call) => !allowed.some((calls) => calls.awsCli.some((listed) => listed.command === call.command && listed.document === call.document)))
    .map((call) => `aws ${call.command}${call.document ? ` (${call.document})` : ''}`);
  return [...new Set([...missing, ...missingCli])].map((name) => `bastion ${ran.command} ${ran.variants.join('/')}: ${name}`);
}

/**
 * Checks every `bastion` run a test records against the permission table, after each test: a call the table
 * does not list for that command fails the test. Returns the recorder of runs.
 */
export function checkRunsAgainstPermissionTable(
  mocks: readonly { calls(): { args: unknown[] }[] }[],
  names: BastionNames,
): (argv: readonly string[], runtime: { readonly spawned: readonly SpawnCall[] }) => void {
  const runs: { argv: readonly string[]; spawned: readonly SpawnCall[] }[] = [];
  afterEach(() => {
    const uncovered = runs.splice(0).flatMap(({ argv, spawned }) => uncoveredCalls(argv, sentSdkCommands(mocks), spawnedAwsCliCalls(spawned, names)));
    expect(uncovered).toEqual([]); // add each new call to CLI_COMMAND_CALLS in cli/permissions.ts
  });
  return (argv, runtime) => {
    runs.push({ argv, spawned: runtime.spawned });
  };
}
