import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectSamePlan } from '../hcl/equivalence';
import { planView } from '../support/plan-view';
import { installedProviderBinary, killRecordedServers, listProcesses, providerOutputs, providerSockets, reattachEnabled, reattachValue, unixSocketOf } from '../support/provider-server';
import { CUT_TYPES, sharedProviderSchemas } from '../support/provider-schemas';
import { SYNTH_CACHE_VARIABLE } from '../support/synth-cache';
import { cleanUp, init, loadsProvider, requireTerraform, stopTerraformHelpers, synthToDisk, terraformSkipped } from '../support/terraform';
import { NETWORK_VARIANTS } from './variants';

/**
 * The provider servers the Terraform stage attaches to (support/provider-server.ts): how a server is found,
 * named and cleaned up, and that a plan through a server that already served another configuration is the
 * plan Terraform makes with a provider of its own.
 */

describe('the provider servers of the Terraform stage', () => {
  const temporary: string[] = [];
  afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('read the TF_REATTACH_PROVIDERS value a debug-mode provider prints, and nothing from other output', () => {
    const printed =
      'Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n' +
      `\tTF_REATTACH_PROVIDERS='{"registry.terraform.io/hashicorp/aws":{"Protocol":"grpc","ProtocolVersion":5,"Pid":42,"Test":true,"Addr":{"Network":"unix","String":"/tmp/plugin1"}}}'\n`;
    expect(JSON.parse(reattachValue(printed)!)).toEqual({
      'registry.terraform.io/hashicorp/aws': { Protocol: 'grpc', ProtocolVersion: 5, Pid: 42, Test: true, Addr: { Network: 'unix', String: '/tmp/plugin1' } },
    });
    expect(reattachValue('Starting github.com/hashicorp/terraform-provider-aws@5.100.0 (go1.23.10)...\n')).toBeUndefined();
    expect(unixSocketOf(reattachValue(printed)!)).toBe('/tmp/plugin1');
    expect(unixSocketOf('{"registry.terraform.io/hashicorp/aws":{"Protocol":"grpc","ProtocolVersion":5,"Pid":1,"Test":true,"Addr":{"Network":"tcp","String":"127.0.0.1:4000"}}}')).toBeUndefined();
  });

  it('run the provider terraform init installed in the folder, through its link, and say to init when there is none', () => {
    const mirror = mkdtempSync(join(tmpdir(), 'provider-mirror-'));
    const dir = mkdtempSync(join(tmpdir(), 'provider-folder-'));
    temporary.push(mirror, dir);
    mkdirSync(join(mirror, 'linux_arm64'));
    writeFileSync(join(mirror, 'linux_arm64', 'terraform-provider-aws_v5.100.0_x5'), '');
    const installed = join(dir, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0');
    mkdirSync(installed, { recursive: true });
    symlinkSync(join(mirror, 'linux_arm64'), join(installed, 'linux_arm64'));
    expect(installedProviderBinary(dir)).toBe(join(mirror, 'linux_arm64', 'terraform-provider-aws_v5.100.0_x5'));
    expect(() => installedProviderBinary(mirror)).toThrow(`No AWS provider is installed in ${mirror}: run terraform init there first.`);
  });

  it('serve the commands that load the provider, and are turned off by SSM_BASTION_TF_REATTACH=0 only', () => {
    const commands = [['plan'], ['show', '-json'], ['validate'], ['test'], ['providers', 'schema', '-json'], ['init'], ['fmt'], ['version'], ['providers']];
    expect(commands.filter(loadsProvider)).toEqual([['plan'], ['show', '-json'], ['validate'], ['test'], ['providers', 'schema', '-json']]);
    expect([reattachEnabled({}), reattachEnabled({ SSM_BASTION_TF_REATTACH: '1' }), reattachEnabled({ SSM_BASTION_TF_REATTACH: '0' })]).toEqual([true, true, false]);
  });

  it('left behind by a killed worker are killed by the teardown, with their schema proxies, and no other process recorded is', async () => {
    const run = mkdtempSync(join(tmpdir(), 'provider-run-'));
    temporary.push(run);
    // Processes whose command line names the provider or the proxy, and one that names neither (a pid reused since).
    const start = (...args: string[]) => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], { stdio: 'ignore' });
    const provider = start('terraform-provider-aws_v5.100.0_x5', '-debug');
    const proxy = start('/work/__tests__/support/schema-proxy.ts', '{}', '/tmp/socket', '/tmp/types');
    const other = start('something-else');
    const exited = (child: ReturnType<typeof start>) => new Promise<string>((done) => child.on('exit', (_code, signal) => done(String(signal))));
    const exits = [exited(provider), exited(proxy)];
    try {
      mkdirSync(join(run, 'provider-servers'));
      // The provider's record names the socket it listened on, which a killed provider leaves behind.
      const [providerSocket, otherSocket] = [join(run, 'plugin-provider'), join(run, 'plugin-other')];
      for (const file of [providerSocket, otherSocket]) writeFileSync(file, '');
      const recorded = new Map([
        [provider, providerSocket],
        [proxy, ''],
        [other, otherSocket],
      ]);
      for (const [child, socket] of recorded) writeFileSync(join(run, 'provider-servers', String(child.pid)), socket);
      await new Promise((ready) => setTimeout(ready, 200));
      killRecordedServers(run);
      expect(await Promise.all(exits)).toEqual(['SIGKILL', 'SIGKILL']);
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
      expect([existsSync(providerSocket), existsSync(otherSocket)]).toEqual([false, true]);
    } finally {
      for (const child of [provider, proxy, other]) child.kill('SIGKILL');
    }
  });

  const describeOrSkip = terraformSkipped() ? describe.skip : describe;
  describeOrSkip('with the real AWS provider', () => {
    const roots: string[] = [];
    afterAll(() => {
      roots.forEach(cleanUp);
      stopTerraformHelpers();
    });

    it('plan through a server that served another configuration just what Terraform plans with a provider of its own', async () => {
      const { provider } = requireTerraform();
      const folder = (stack: 'ecs-bastion' | 'ec2-bastion', input: object) => {
        const { root, stackDir } = synthToDisk(stack, input);
        roots.push(root);
        init(stackDir, provider);
        return stackDir;
      };
      const other = folder('ec2-bastion', NETWORK_VARIANTS['a new VPC']);
      const checked = folder('ecs-bastion', NETWORK_VARIANTS['an existing VPC']);
      await planView(other, {}, 'other.plan');
      const attached = await planView(checked, { log_retention_days: '90' }, 'attached.plan');
      const saved = process.env.SSM_BASTION_TF_REATTACH;
      process.env.SSM_BASTION_TF_REATTACH = '0';
      try {
        expectSamePlan(attached, await planView(checked, { log_retention_days: '90' }, 'own.plan'));
      } finally {
        if (saved === undefined) delete process.env.SSM_BASTION_TF_REATTACH;
        else process.env.SSM_BASTION_TF_REATTACH = saved;
      }
      expect(Object.keys(attached.resources).length).toBeGreaterThan(10);
    }, 120_000);

    it("run with the SDKs' logging off: the plans above left no SDK log line in the providers' output", () => {
      // A debug-mode provider otherwise logs every call at trace level, through the SDK loggers (sdk.proto,
      // sdk.mux, sdk.helper_schema, sdk.framework: about 1.5 MB of JSON a plan), to its stderr, which nobody
      // reads once the server is up (QUIET_PROVIDER says what that cost). The provider's own few lines remain.
      const outputs = providerOutputs();
      expect(outputs.length).toBeGreaterThan(0);
      const sdkLines = outputs.map((file) => ({ file, lines: readFileSync(file, 'utf8').split('\n').filter((line) => line.includes('"@module":"sdk.')).length }));
      expect(sdkLines.filter((output) => output.lines > 0)).toEqual([]);
      // The files are those the providers write to: their start-up lines are there.
      for (const file of outputs) expect(readFileSync(file, 'utf8')).toContain('TF_REATTACH_PROVIDERS=');
    });

    it("answer GetSchema with the provider's own schemas of the types the command may use, and the whole schema when it may use any", async () => {
      const { cut, whole } = await sharedProviderSchemas();
      expect(Object.keys(whole.resource_schemas).length).toBeGreaterThan(1000);
      expect([...CUT_TYPES].sort()).toEqual(['aws_iam_policy_document', 'aws_no_such_type', 'aws_vpc']);
      // aws_vpc is a resource and a data source: a name keeps both.
      expect(Object.keys(cut.resource_schemas)).toEqual(['aws_vpc']);
      expect(Object.keys(cut.data_source_schemas).sort()).toEqual(['aws_iam_policy_document', 'aws_vpc']);
      expect(cut.resource_schemas.aws_vpc).toEqual(whole.resource_schemas.aws_vpc);
      expect(cut.data_source_schemas.aws_iam_policy_document).toEqual(whole.data_source_schemas.aws_iam_policy_document);
      expect([cut.provider, cut.functions]).toEqual([whole.provider, whole.functions]);
    }, 120_000);

    it('are all stopped, with their schema proxies and the EC2 stubs, by stopTerraformHelpers (which the exit of the process runs)', async () => {
      // This process's children: the servers and stubs the plans above started.
      const children = () =>
        listProcesses()
          .filter((listed) => listed.ppid === process.pid)
          .map((listed) => listed.args);
      const helpers = () => children().filter((args) => ['terraform-provider-aws', 'schema-proxy.ts', 'ec2-stub'].some((name) => args.includes(name)));
      for (const name of ['terraform-provider-aws', 'schema-proxy.ts', 'ec2-stub']) expect(helpers().filter((args) => args.includes(name)).length).toBeGreaterThan(0);
      const sockets = providerSockets();
      expect(sockets.length).toBeGreaterThan(0);
      expect(sockets.filter((socket) => !existsSync(socket))).toEqual([]);
      // Each is recorded for the teardown too, in case this process is killed before it can stop them.
      const records = join(process.env[SYNTH_CACHE_VARIABLE]!, 'provider-servers');
      const recorded = readdirSync(records).map((pid) => readFileSync(join(records, pid), 'utf8'));
      expect(sockets.filter((socket) => !recorded.includes(socket))).toEqual([]);
      stopTerraformHelpers();
      for (let waited = 0; helpers().length > 0 && waited < 5_000; waited += 100) await new Promise((tick) => setTimeout(tick, 100));
      expect(helpers()).toEqual([]);
      // A killed provider leaves its socket file; stopping a server removes it.
      expect(sockets.filter((socket) => existsSync(socket))).toEqual([]);
    });
  });
});
