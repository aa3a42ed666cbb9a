import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../modules/config';
import { tempDir } from '../support/temp-dir';

function folderWith(files: Record<string, string | Buffer>): string {
  const dir = tempDir('bastion-config-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The problems loadConfig reports for the configuration file of `cwd` (or BASTION_CONFIG), none when it loads. */
function loadProblems(cwd: string, env: NodeJS.ProcessEnv = {}): ConfigError['problems'] {
  try {
    loadConfig({ cwd, env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loading the configuration file', () => {
  it('uses the embedded default when there is no bastion.config.json', () => {
    const config = loadConfig({ cwd: folderWith({}), env: {} });
    expect(config.network.mode).toBe('create');
    expect(config.stacks).toHaveLength(2);
  });

  it('reads bastion.config.json from the project root', () => {
    const cwd = folderWith({ 'bastion.config.json': JSON.stringify({ namePrefix: 'team-a' }) });
    expect(loadConfig({ cwd, env: {} }).namePrefix).toBe('team-a');
  });

  it('prefers the file named by BASTION_CONFIG', () => {
    const cwd = folderWith({ 'bastion.config.json': '{"namePrefix":"root-file"}', 'other.json': '{"namePrefix":"from-env"}' });
    expect(loadConfig({ cwd, env: { BASTION_CONFIG: 'other.json' } }).namePrefix).toBe('from-env');
  });

  it('says so when BASTION_CONFIG names a missing file, instead of falling back to the default', () => {
    expect(() => loadConfig({ cwd: folderWith({}), env: { BASTION_CONFIG: 'missing.json' } })).toThrow(/BASTION_CONFIG names a file that does not exist/);
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const cwd = folderWith({ 'bastion.config.json': '\uFEFF{"namePrefix":"team-a"}' });
    expect(loadConfig({ cwd, env: {} }).namePrefix).toBe('team-a');
  });

  it('refuses a key written twice in one object, naming its path, instead of keeping the last', () => {
    const cwd = folderWith({ 'bastion.config.json': '{\n  "region": "eu-west-1",\n  "tags": { "team": "a", "team": "b" },\n  "region": "us-east-1"\n}' });
    let problems: ConfigError['problems'] = [];
    try {
      loadConfig({ cwd, env: {} });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      { path: 'tags.team', value: undefined, message: 'is written twice (the second at line 3); keep one' },
      { path: 'region', value: undefined, message: 'is written twice (the second at line 4); keep one' },
    ]);
  });

  it('refuses __proto__ anywhere, which the schema would otherwise drop without a word', () => {
    const cwd = folderWith({ 'bastion.config.json': '{"tags": {"__proto__": {"polluted": "yes"}}}' });
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/tags\.__proto__: \{"polluted":"yes"\}: is not a setting/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shows a number too large to read as Infinity, not as null', () => {
    const cwd = folderWith({ 'bastion.config.json': '{"ecs": {"cpu": 1e400}}' });
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/ecs\.cpu: Infinity: /);
  });

  it('says BASTION_CONFIG names a directory, instead of failing with EISDIR and a stack trace', () => {
    const cwd = folderWith({});
    mkdirSync(join(cwd, 'configs'));
    expect(loadProblems(cwd, { BASTION_CONFIG: 'configs' })).toEqual([{ path: '(root)', value: undefined, message: 'is a directory, not a configuration file: name a JSON file' }]);
  });

  it('reads a pipe like a file (BASTION_CONFIG=<(jq …)), and refuses a device that never ends once it is past the bound', () => {
    const cwd = folderWith({});
    const fifo = join(cwd, 'config.pipe');
    execFileSync('mkfifo', [fifo]);
    // The writer is another process: opening the pipe here waits for it, as with process substitution.
    const writer = spawn('sh', ['-c', `printf '%s' '{"namePrefix": "from-a-pipe"}' > "${fifo}"`]);
    try {
      expect(loadConfig({ cwd, env: { BASTION_CONFIG: fifo } }).namePrefix).toBe('from-a-pipe');
    } finally {
      writer.kill();
    }
    expect(loadProblems(cwd, { BASTION_CONFIG: '/dev/zero' })[0]?.message).toMatch(/^is larger than 1 MiB/);
  });

  it('refuses a file far larger than a configuration without reading it whole (1 GiB used to fail with ERR_STRING_TOO_LONG)', () => {
    const cwd = folderWith({ 'bastion.config.json': '' });
    // Sparse: takes no disk space.
    truncateSync(join(cwd, 'bastion.config.json'), 2 ** 30);
    expect(loadProblems(cwd)[0]?.message).toMatch(/^is larger than 1 MiB/);
  });

  it('says a UTF-16 file (Windows PowerShell 5 redirection) is not UTF-8, instead of an unexpected token', () => {
    const cwd = folderWith({ 'bastion.config.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"namePrefix":"team-a"}', 'utf16le')]) });
    expect(loadProblems(cwd)[0]?.message).toMatch(/^is UTF-16 text .*save it as UTF-8/);
  });

  it('says a big-endian UTF-16 file is not UTF-8 either', () => {
    const cwd = folderWith({ 'bastion.config.json': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"namePrefix":"team-a"}', 'utf16le').swap16()]) });
    expect(loadProblems(cwd)[0]?.message).toMatch(/^is UTF-16 text .*save it as UTF-8/);
  });

  it('takes a file of exactly the 1 MiB bound', () => {
    const text = '{"namePrefix": "at-the-bound"}';
    const cwd = folderWith({ 'bastion.config.json': text.padEnd(1024 * 1024, ' ') });
    expect(loadConfig({ cwd, env: {} }).namePrefix).toBe('at-the-bound');
  });

  it('says a file it cannot open (a socket, ENXIO) cannot be read, instead of failing with a stack trace', async () => {
    const cwd = folderWith({});
    const socket = join(cwd, 'config.sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(socket, done));
    try {
      expect(loadProblems(cwd, { BASTION_CONFIG: socket })).toEqual([
        { path: '(root)', value: undefined, message: 'cannot be read (ENXIO): check the path and its permissions' },
      ]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('refuses Latin-1 text, which would reach a free-text setting with its bytes replaced by U+FFFD', () => {
    const cwd = folderWith({ 'bastion.config.json': Buffer.from('{\n  "backend": { "type": "s3", "bucket": "tf-state", "key": "zust\xe4nde" }\n}', 'latin1') });
    expect(loadProblems(cwd)).toEqual([{ path: '(root)', value: undefined, message: expect.stringMatching(/^is not UTF-8 text \(line 2 has a byte/) }]);
  });

  it('refuses a document nested deeper than any setting, naming the path, instead of running out of stack', () => {
    const deep = `{"$schema": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(loadProblems(folderWith({ 'bastion.config.json': deep }))).toEqual([
      { path: `$schema${'[0]'.repeat(31)}`, value: undefined, message: 'nests objects or arrays more than 32 levels deep; no setting is nested deeper than 4 levels' },
    ]);
    let nested: unknown = 'x';
    for (let i = 0; i < 100_000; i++) nested = { a: nested };
    expect(() => parseConfig({ tags: nested })).toThrow(/tags(\.a){31}: nests objects or arrays more than 32 levels deep/);
  });

  it('points at the line and column of malformed JSON', () => {
    const cwd = folderWith({ 'bastion.config.json': '{\n  "region": "eu-west-1",\n  "namePrefix": \n}' });
    let error: unknown;
    try {
      loadConfig({ cwd, env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/not valid JSON at line 4, column 1/);
    expect((error as Error).message).toContain(join(cwd, 'bastion.config.json'));
  });
});
