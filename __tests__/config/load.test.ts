import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../modules/config';
import { tempDir } from '../support/temp-dir';

function folderWith(files: Record<string, string>): string {
  const dir = tempDir('bastion-config-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
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
