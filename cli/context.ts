/**
 * What every command runs with: the Runtime (everything outside the CLI, injectable so tests need no terminal,
 * processes or AWS) and the Context built from it and the global options (configuration, names, SDK clients,
 * output styles).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BastionConfig, CONFIG_ENV_VAR, DEFAULT_CONFIG_FILE, loadConfig, type ValidationOptions } from '../modules/config';
import { type BastionNames, bastionNames } from '../modules/naming';
import type { AwsCliGlobals } from './aws-cli';
import { type AwsClientFactory, type AwsClients, createAwsClients } from './aws';
import type { Clock } from './clock';
import { UsageError } from './errors';
import { colorEnabled, type Confirm, createProgress, createStyle, type OutStream, type Progress, type Style } from './output';
import type { PortProbe } from './ports';
import { checkProfile } from './profiles';
import type { SignalSource } from './signals';
import type { SpawnFn } from './spawn';
import type { Which } from './tools';

/** Everything the CLI touches outside itself; main.ts passes the real ones, tests pass fakes. */
export interface Runtime {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdinIsTTY: boolean;
  /** @default createAwsClients */
  readonly createClients?: AwsClientFactory;
  readonly which: Which;
  readonly spawn: SpawnFn;
  readonly signals: SignalSource;
  readonly clock: Clock;
  readonly confirm: Confirm;
  readonly ports: PortProbe;
}

/** Options of the program itself, valid before or after the command. */
export interface GlobalOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly config?: string;
  /** false with --no-color. */
  readonly color?: boolean;
}

/** One command run: the configuration it acts on, where, with which clients, and how it writes. */
export interface Context {
  readonly runtime: Runtime;
  readonly config: BastionConfig;
  readonly region: string;
  readonly profile?: string;
  readonly names: BastionNames;
  readonly clients: AwsClients;
  /** Style of stderr (messages, progress, errors). */
  readonly style: Style;
  /** Style of stdout (status). */
  readonly outStyle: Style;
  readonly awsCli: AwsCliGlobals;
  /** Writes a message line to stderr. */
  info(message: string): void;
  progress(): Progress;
}

/** Loads the configuration (--config, $BASTION_CONFIG or ./bastion.config.json) and creates the clients. */
export function createContext(runtime: Runtime, globals: GlobalOptions, validation: ValidationOptions = {}): Context {
  let env = runtime.env;
  if (globals.config) {
    const file = resolve(runtime.cwd, globals.config);
    if (!existsSync(file)) throw new UsageError(`--config ${globals.config}: no such file (${file}).`);
    env = { ...env, BASTION_CONFIG: file };
  }
  const config = loadConfig({ ...validation, env, cwd: runtime.cwd });
  const region = globals.region ?? config.region;
  const profile = globals.profile;
  checkProfile(profile ?? runtime.env.AWS_PROFILE, profile ? '--profile' : 'AWS_PROFILE', runtime.env);
  const style = createStyle(colorEnabled(runtime.stderr, runtime.env, globals.color));
  const outStyle = createStyle(colorEnabled(runtime.stdout, runtime.env, globals.color));
  // Run from the wrong folder, the CLI would otherwise look for the default deployment without a word, and report
  // "not deployed" or "no targets" about a bastion nobody configured.
  if (!env[CONFIG_ENV_VAR] && !existsSync(resolve(runtime.cwd, DEFAULT_CONFIG_FILE))) {
    runtime.stderr.write(
      style.dim(
        `No ${DEFAULT_CONFIG_FILE} in ${runtime.cwd} (nor --config or ${CONFIG_ENV_VAR}): using the embedded default, namePrefix "${config.namePrefix}" in ${config.region}.\n`,
      ),
    );
  }
  return {
    runtime,
    config,
    region,
    profile,
    names: bastionNames(config.namePrefix),
    clients: (runtime.createClients ?? createAwsClients)({ region, profile }),
    style,
    outStyle,
    awsCli: { region, profile },
    info: (message) => runtime.stderr.write(`${message}\n`),
    progress: () => createProgress(runtime.stderr, style, runtime.stderr.isTTY === true),
  };
}
