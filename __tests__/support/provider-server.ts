import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELPER_NODE_ARGS, startBackground } from './background';
import { SYNTH_CACHE_VARIABLE } from './synth-cache';

/**
 * Reattached AWS provider servers for the Terraform stage.
 *
 * Every `terraform plan`, `show`, `validate` or `test` normally starts its own AWS provider process, which
 * builds the provider's whole schema before answering: measured here, a plan took 5.7 s and a show 3.6 s,
 * most of it that start-up. Terraform can instead attach to a provider already running in debug mode
 * (TF_REATTACH_PROVIDERS, the mechanism provider developers use: https://developer.hashicorp.com/terraform/plugin/debugging),
 * and then neither starts nor stops it: the same plan takes 2.6 s and the show 1.8 s, with identical output.
 *
 * A provider server holds one configuration at a time (each command configures it anew), so a server serves
 * one Terraform command at a time: a process keeps a small pool, takes an idle server started in the same
 * environment for each command, and otherwise starts one (the equivalence stage runs plans side by side).
 * Servers are killed when the process exits; the global teardown kills any a killed worker left behind
 * (recorded in the run folder).
 *
 * Terraform reaches each server through a schema proxy (schema-proxy.ts), which relays every call but
 * answers GetSchema from memory, cut to the types the command's folder names: decoding the whole AWS schema
 * was most of every command's time (a validate went from 2.5 s to 0.4 s, a show from 1.9 s to 0.2 s).
 *
 * SSM_BASTION_TF_REATTACH=0 turns this off: each command then starts its own provider, as `terraform` does.
 */

/** The environments a server runs in: the Terraform stage's dummy credentials, or none at all (`terraform test`). */
export type ServerEnvironment = Readonly<Record<string, string | undefined>>;

interface Server {
  readonly child: ChildProcess;
  /** The schema proxy Terraform attaches to, in front of `child`. */
  readonly proxy: ChildProcess;
  /** Where the proxy's socket and types file are. */
  readonly folder: string;
  /** The file the proxy reads, on each GetSchema, the types to keep from (none: the whole schema). */
  readonly typesFile: string;
  /** The environment it runs in, as a key. */
  readonly key: string;
  /** The TF_REATTACH_PROVIDERS value naming this server's proxy. */
  readonly reattach: string;
  /** The Unix socket the provider listens on (none on TCP): killed, it leaves the file behind. */
  readonly providerSocket?: string;
  /** The file the provider's stdout and stderr go to, in `folder`. */
  readonly output: string;
}

/**
 * At most MAX_BUSY servers of a process serve commands at once: commands that run beside others wait for one.
 * Two: with two workers, four Terraform commands on two cores keep both busy (three made the run slower).
 */
const MAX_BUSY = 2;
/**
 * A server holds about 360 MiB, so a process keeps at most MAX_ALIVE: a command whose environment no idle
 * server has replaces the least recently used idle one. One more than MAX_BUSY, so a scenario's two plans in
 * the stage's environment and its `terraform test` runs in the credential-free one each keep a server; with
 * two, every `terraform test` stopped a stage server and the next plan started one again (about 2 s of CPU
 * each). Servers outlive the test file that started them (the next file's commands use them) and stop when
 * the process exits.
 */
const MAX_ALIVE = 3;
/** Idle servers, least recently used first. */
const idle: Server[] = [];
/** Commands waiting for a server to be given back. */
const waiting: (() => void)[] = [];
const running = new Set<Server>();
let binary: string | undefined;

export function reattachEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SSM_BASTION_TF_REATTACH !== '0';
}

/**
 * The AWS provider executable `terraform init` installed (or linked) in `dir`: the same file whatever the
 * source, mirror or registry cache.
 */
export function installedProviderBinary(dir: string): string {
  const base = join(dir, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws');
  for (const version of existsSync(base) ? readdirSync(base) : []) {
    for (const platform of readdirSync(join(base, version))) {
      const folder = realpathSync(join(base, version, platform));
      const file = readdirSync(folder).find((name) => name.startsWith('terraform-provider-aws'));
      if (file) return join(folder, file);
    }
  }
  throw new Error(`No AWS provider is installed in ${dir}: run terraform init there first.`);
}

/** Records the binary the servers run (the first initialised working folder tells). */
export function useProviderFrom(dir: string): void {
  binary ??= installedProviderBinary(dir);
}

/** How a debug-mode provider says it listens, with the TF_REATTACH_PROVIDERS value that names it. */
const REATTACH = /TF_REATTACH_PROVIDERS='(\{.*\})'/;

/** The TF_REATTACH_PROVIDERS value a debug-mode provider prints once it listens. */
export function reattachValue(output: string): string | undefined {
  return REATTACH.exec(output)?.[1];
}

/**
 * The provider's own and its SDKs' logging, off (terraform-plugin-log reads these; TF_LOG alone does not
 * silence them). A debug-mode provider logs at trace level to its stderr, which Terraform does not read here:
 * about 1.5 MB of JSON a plan (every RPC, every attribute), which nobody read and which cost the provider a
 * sixth of its CPU (measured behind the proxy: 500-520 ms a plan with the logs, 420-430 ms without).
 * https://developer.hashicorp.com/terraform/plugin/log/managing
 */
const QUIET_PROVIDER = { TF_LOG_PROVIDER: 'off', TF_LOG_SDK: 'off' } as const;

function start(env: ServerEnvironment, key: string): Server {
  if (!binary) throw new Error('useProviderFrom(dir) must name an initialised folder before a provider server starts.');
  // AWS_CA_BUNDLE is left out: the provider adds it to its HTTP client on every configuration, and a second
  // configuration of the same process then fails ("unable to add custom RootCAs HTTPClient"). The stage is
  // offline (its one endpoint is the loopback EC2 stub, over HTTP), so no bundle is needed.
  const serverEnv = { ...Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'AWS_CA_BUNDLE')), ...QUIET_PROVIDER };
  const folder = mkdtempSync(join(tmpdir(), 'ssm-bastion-provider-'));
  const output = join(folder, 'provider.out');
  let child: ChildProcess | undefined;
  try {
    const started = startBackground(binary, ['-debug'], {
      env: serverEnv,
      ready: REATTACH,
      timeoutMs: 60_000,
      stderr: 'captured',
      outputFile: output,
      // Recorded at once, so the teardown finds it even if the worker is killed while it starts.
      onSpawn: (spawned) => recordPid(spawned.pid),
      failure: (printed) => `The AWS provider did not start in debug mode (${binary} -debug):\n${printed}`,
    });
    child = started.child;
    const reattach = started.ready[1]!;
    const proxy = startSchemaProxy(reattach, folder);
    const server: Server = { child, proxy: proxy.child, folder, typesFile: proxy.typesFile, key, reattach: proxy.reattach, providerSocket: unixSocketOf(reattach), output };
    if (server.providerSocket) recordPid(child.pid, server.providerSocket);
    running.add(server);
    return server;
  } catch (error) {
    child?.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** The Unix socket path a TF_REATTACH_PROVIDERS value names (go-plugin makes one in the temporary folder), if any. */
export function unixSocketOf(reattach: string): string | undefined {
  const [provider] = Object.values(JSON.parse(reattach) as Record<string, { Addr?: { Network?: string; String?: string } }>);
  return provider?.Addr?.Network === 'unix' ? provider.Addr.String : undefined;
}

/** The files the providers of this process's servers write their output to (kept until a server stops). */
export function providerOutputs(): string[] {
  return [...running].map((server) => server.output);
}

/** The Unix sockets the providers of this process's servers listen on. */
export function providerSockets(): string[] {
  return [...running].flatMap((server) => (server.providerSocket ? [server.providerSocket] : []));
}

/**
 * Starts a schema proxy (schema-proxy.ts) in front of the provider that `providerReattach` (its
 * TF_REATTACH_PROVIDERS value) names, with its socket, types file and log in `folder`. Returns the value that
 * names the proxy, and the types file it reads on each GetSchema.
 */
export function startSchemaProxy(providerReattach: string, folder: string): { child: ChildProcess; reattach: string; typesFile: string } {
  const typesFile = join(folder, 'types');
  const { child, ready } = startBackground(process.execPath, [...HELPER_NODE_ARGS, join(__dirname, 'schema-proxy.ts'), providerReattach, join(folder, 'socket'), typesFile], {
    env: { ...process.env, SCHEMA_PROXY_PARENT: String(process.pid) },
    ready: REATTACH,
    timeoutMs: 20_000,
    stderr: 'captured',
    onSpawn: (spawned) => recordPid(spawned.pid),
    failure: (output) => `The schema proxy of the AWS provider server did not start:\n${output}`,
  });
  return { child, reattach: ready[1]!, typesFile };
}

/** Records a server's pid in the run folder, for the global teardown, with the socket its provider listens on once known. */
function recordPid(pid: number | undefined, socket = ''): void {
  const folder = process.env[SYNTH_CACHE_VARIABLE];
  if (!folder || pid === undefined) return;
  mkdirSync(join(folder, 'provider-servers'), { recursive: true });
  writeFileSync(join(folder, 'provider-servers', String(pid)), socket);
}

function take(env: ServerEnvironment): Server {
  const key = JSON.stringify(env);
  const index = idle.map((server) => server.key).lastIndexOf(key);
  if (index >= 0) return idle.splice(index, 1)[0]!;
  if (running.size >= MAX_ALIVE && idle.length > 0) stop(idle.shift()!);
  return start(env, key);
}

function giveBack(server: Server): void {
  if (server.child.exitCode === null && server.child.signalCode === null) idle.push(server);
  else running.delete(server);
  waiting.shift()?.();
}

/** Whether every server a process may have is busy. */
function allBusy(): boolean {
  return running.size - idle.length >= MAX_BUSY;
}

/**
 * The types a command may read schemas of: a Set to keep those resource and data source schemas alone,
 * undefined for the whole schema (`terraform providers schema`).
 */
export type SchemaTypes = ReadonlySet<string> | undefined;

/** A command's failure, with why the server's schema proxy stopped when it did (it logs that beside its socket). */
function withProxyLog(server: Server, error: unknown): unknown {
  const log = join(server.folder, 'socket.log');
  if (!existsSync(log) || !(error instanceof Error)) return error;
  const why = `\nThe schema proxy in front of the AWS provider server stopped:\n${readFileSync(log, 'utf8')}`;
  error.message += why;
  // Where the Terraform helpers read a failed command's output from (terraform.ts, failure).
  const output = error as { stderr?: unknown };
  if (typeof output.stderr === 'string') output.stderr += why;
  return error;
}

/**
 * Tells a server's proxy which schemas the command about to use it may read. An empty set is written as an
 * empty file, which the proxy reads as the whole schema: a folder that names no type still plans.
 */
function serve(server: Server, types: SchemaTypes): Record<string, string> {
  writeFileSync(server.typesFile, types ? [...types].sort().join('\n') : '');
  return { TF_REATTACH_PROVIDERS: server.reattach };
}

/**
 * Runs `command` with the environment variables that attach Terraform to an idle provider server started in
 * `env` (none when reattaching is off or no folder has been initialised yet), its schema cut to `types`.
 */
export function withProviderServer<T>(env: ServerEnvironment, types: SchemaTypes, command: (extra: Record<string, string>) => T): T {
  if (!reattachEnabled() || !binary) return command({});
  const server = take(env);
  try {
    return command(serve(server, types));
  } catch (error) {
    throw withProxyLog(server, error);
  } finally {
    giveBack(server);
  }
}

/** `withProviderServer` for a command that runs beside others. */
export async function withProviderServerAsync<T>(env: ServerEnvironment, types: SchemaTypes, command: (extra: Record<string, string>) => Promise<T>): Promise<T> {
  if (!reattachEnabled() || !binary) return command({});
  while (allBusy()) await new Promise<void>((turn) => waiting.push(turn));
  const server = take(env);
  try {
    return await command(serve(server, types));
  } catch (error) {
    throw withProxyLog(server, error);
  } finally {
    giveBack(server);
  }
}

function stop(server: Server): void {
  server.proxy.kill('SIGKILL');
  server.child.kill('SIGKILL');
  rmSync(server.folder, { recursive: true, force: true });
  // A killed provider cannot remove its socket file: each run left about ten in the temporary folder.
  if (server.providerSocket) rmSync(server.providerSocket, { force: true });
  running.delete(server);
  const index = idle.indexOf(server);
  if (index >= 0) idle.splice(index, 1);
}

/** Stops this process's servers. */
export function stopProviderServers(): void {
  for (const server of running) stop(server);
  idle.splice(0);
}

process.on('exit', stopProviderServers);

/** A process as `ps` lists it. */
export interface ListedProcess {
  readonly pid: number;
  readonly ppid: number;
  /** Its whole command line. */
  readonly args: string;
}

/** Every process, as `ps` lists it (the same on Linux and macOS); none on a system without ps. */
export function listProcesses(): ListedProcess[] {
  const listed = spawnSync('ps', ['-ww', '-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return (listed.status === 0 ? listed.stdout.split('\n') : []).flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }] : [];
  });
}

/**
 * Kills the servers recorded in a run folder that still run (a worker killed before its exit handler ran
 * leaves its servers behind), and removes their providers' sockets: each pid is checked to still be a
 * Terraform provider or a schema proxy before it is killed.
 */
export function killRecordedServers(runFolder: string): void {
  const folder = join(runFolder, 'provider-servers');
  const recorded = existsSync(folder) ? readdirSync(folder).map(Number) : [];
  if (recorded.length === 0) return;
  const commands = new Map(listProcesses().map((listed) => [listed.pid, listed.args]));
  for (const pid of recorded) {
    // Gone, or a system without ps: the pid cannot be checked, so it is left alone.
    const command = commands.get(pid) ?? '';
    if (command.includes('terraform-provider-aws') || command.includes('schema-proxy.ts')) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      // The socket a killed provider leaves behind, recorded once it listened.
      const socket = readFileSync(join(folder, String(pid)), 'utf8');
      if (socket) rmSync(socket, { force: true });
    }
  }
}
