/**
 * Drives the real launcher, bin/bastion.js, as a child process: what an operator runs with `npx bastion`.
 * The AWS CLI and the session-manager-plugin are replaced by shell scripts on a PATH of our own; the one
 * test that reaches "AWS" talks to a local HTTP server standing in for the ECS API (AWS_ENDPOINT_URL).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { CONFIG, tempDir } from './support';

const LAUNCHER = resolve(__dirname, '../../bin/bastion.js');

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A folder with the configuration, a HOME without AWS files, and a bin/ holding the given fake tools. */
function sandbox(tools: readonly string[]): { dir: string; bin: string; argsFile: string } {
  const dir = tempDir('bastion-bin-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(dir, 'bastion.config.json'), JSON.stringify(CONFIG));
  const argsFile = join(dir, 'aws-args.txt');
  for (const tool of tools) {
    // The fake AWS CLI records its arguments, one per line, and ends like a session that closed normally.
    writeFileSync(join(bin, tool), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${argsFile}.${tool}"\nexit 0\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  return { dir, bin, argsFile: `${argsFile}.aws` };
}

function bastion(args: readonly string[], box: { dir: string; bin: string }, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [LAUNCHER, ...args],
      {
        cwd: box.dir,
        timeout: 15_000,
        env: {
          PATH: box.bin,
          HOME: box.dir,
          AWS_CONFIG_FILE: join(box.dir, 'no-aws-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(box.dir, 'no-aws-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

describe('bin/bastion.js (child process)', () => {
  test('--help lists the commands and exits 0', async () => {
    const result = await bastion(['--help'], sandbox([]));
    expect(result.code).toBe(0);
    for (const command of ['connect', 'shell', 'up', 'down', 'status']) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(result.stderr).toBe('');
  });

  test('a bad flag is a usage error: exit 2 and a message', async () => {
    const result = await bastion(['connect', 'ecs', '--bogus'], sandbox([]));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown option '--bogus'");
    expect(result.stdout).toBe('');
  });

  test('a missing session-manager-plugin: exit 1 with the install hint, before any AWS call', async () => {
    const result = await bastion(['connect', 'ecs', '--host', 'db.internal', '--port', '5432'], sandbox(['aws']));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: The session-manager-plugin was not found on PATH');
    expect(result.stderr).toContain('brew install --cask session-manager-plugin');
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
  });

  test('--help loads neither the commands nor the AWS SDK; a command loads what it needs', async () => {
    // main.ts requires each command's module when it runs, so `--help` and usage errors answer at once. One
    // process runs `--help`, lists what is loaded, then runs a command that fails on the missing AWS CLI
    // (before any AWS call, after loading the command) and lists again.
    const script = `require(${JSON.stringify(resolve(__dirname, '../../scripts/load-typescript.js'))});
      const { run } = require(${JSON.stringify(resolve(__dirname, '../../cli/main.ts'))});
      const loaded = async (args) => ({ code: await run(args), modules: Object.keys(require.cache) });
      (async () => process.stderr.write('\\n' + JSON.stringify([await loaded(['--help']), await loaded(['connect', 'ecs', '--host', 'db', '--port', '5432'])])))();`;
    const box = sandbox([]);
    const [help, connect] = await new Promise<{ code: number; modules: string[] }[]>((done, fail) => {
      const env = { PATH: box.bin, HOME: box.dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
      execFile(process.execPath, ['-e', script], { cwd: box.dir, timeout: 15_000, env }, (error, _stdout, stderr) => {
        if (error) fail(error);
        else done(JSON.parse(stderr.trimEnd().split('\n').pop()!) as { code: number; modules: string[] }[]);
      });
    });
    const heavy = (modules: readonly string[]) => modules.filter((m) => /[\\/](@aws-sdk|zod)[\\/]|[\\/]cli[\\/](commands|lookup|context)[\\/.]/.test(m));

    expect(help!.code).toBe(0);
    expect(heavy(help!.modules)).toEqual([]);
    expect(connect!.code).toBe(1);
    expect(heavy(connect!.modules)).toEqual(expect.arrayContaining([expect.stringMatching(/cli[\\/]commands[\\/]connect\.ts$/), expect.stringMatching(/@aws-sdk[\\/]client-ecs/)]));
  });

  describe('against a stand-in ECS API', () => {
    let server: Server;
    let endpoint: string;
    const requests: { target: string; body: Record<string, unknown>; headers: IncomingHttpHeaders }[] = [];
    const ID = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    const answers: Record<string, unknown> = {
      DescribeServices: { services: [{ serviceName: 'acme-ecs-bastion', status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0 }], failures: [] },
      ListTasks: { taskArns: [`arn:aws:ecs:eu-west-1:123456789012:task/acme-ecs/${ID}`] },
      DescribeTasks: {
        tasks: [
          {
            taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/acme-ecs/${ID}`,
            lastStatus: 'RUNNING',
            desiredStatus: 'RUNNING',
            enableExecuteCommand: true,
            containers: [{ name: 'bastion', runtimeId: `${ID}-0123456789`, managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] }],
          },
        ],
        failures: [],
      },
    };

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const target = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
          requests.push({ target, body: JSON.parse(body || '{}') as Record<string, unknown>, headers: req.headers });
          const answer = answers[target];
          res.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(answer ?? { __type: 'InvalidParameterException', message: `unexpected ${target}` }));
        });
      });
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

    test('connect ecs resolves the task and runs the exact aws ssm start-session command', async () => {
      const box = sandbox(['aws', 'session-manager-plugin']);
      const result = await bastion(['connect', 'ecs', '--host', 'db.internal', '--port', '5432', '--local-port', '0', '--no-reconnect'], box, {
        AWS_ENDPOINT_URL_ECS: endpoint,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      });
      expect(result.stderr).toContain('→ localhost:');
      expect(result.code).toBe(0);

      expect(requests.map((r) => r.target)).toEqual(['DescribeServices', 'ListTasks', 'DescribeTasks']);
      expect(requests[0]!.body).toEqual({ cluster: 'acme-ecs', services: ['acme-ecs-bastion'] });
      expect(requests[0]!.headers.authorization).toContain('/eu-west-1/ecs/aws4_request');

      const args = readFileSync(box.argsFile, 'utf8').trimEnd().split('\n');
      expect(args.slice(0, 7)).toEqual([
        'ssm',
        'start-session',
        '--target',
        `ecs:acme-ecs_${ID}_${ID}-0123456789`,
        '--document-name',
        'AWS-StartPortForwardingSessionToRemoteHost',
        '--parameters',
      ]);
      const parameters = JSON.parse(args[7]!) as { host: string[]; portNumber: string[]; localPortNumber: string[] };
      expect(parameters.host).toEqual(['db.internal']);
      expect(parameters.portNumber).toEqual(['5432']);
      expect(parameters.localPortNumber[0]).toMatch(/^[1-9]\d*$/);
      expect(args.slice(8)).toEqual(['--region', 'eu-west-1']);
    });
  });
});
