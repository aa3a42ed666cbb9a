/**
 * docker/Dockerfile, checked without a Docker engine: parsed with dockerfile-ast (the parser of the Docker
 * language server) and its properties asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { KEEPALIVE_COMMAND } from '../../modules/ecs-bastion';

const DOCKER_DIR = join(__dirname, '..', '..', 'docker');
const dockerfile = DockerfileParser.parse(readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8'));
const instructions = dockerfile.getInstructions();
const keyword = (i: Instruction) => i.getKeyword().toUpperCase();
const ofKind = (kind: string) => instructions.filter((i) => keyword(i) === kind);
/** The shell text of every RUN, with line continuations joined. */
const runScripts = ofKind('RUN').map((run) => (run.getArgumentsContent() ?? '').replace(/\\\r?\n/g, ' '));

/** The packages of every `apt-get install` (options dropped). */
function installedPackages(): string[] {
  return runScripts.flatMap((script) =>
    script
      .split(/;|&&/)
      .filter((command) => /\bapt-get\s+install\b/.test(command))
      .flatMap((command) => command.replace(/.*\bapt-get\s+install\b/, '').trim().split(/\s+/))
      .filter((word) => word && !word.startsWith('-')),
  );
}

describe('docker/Dockerfile', () => {
  it('parses as one build stage', () => {
    expect(dockerfile.getFROMs()).toHaveLength(1);
    expect(instructions.length).toBeGreaterThan(3);
  });

  it('starts from a small Debian base pinned by release and digest', () => {
    const from = dockerfile.getFROMs()[0];
    expect(from.getImageName()).toMatch(/^(docker\.io\/library\/|public\.ecr\.aws\/docker\/library\/)?debian$/);
    expect(from.getImageTag()).toMatch(/^\d+\.\d+-slim$/);
    expect(from.getImageDigest()).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it('installs script and cat (ECS Exec logging), the PostgreSQL, MariaDB and Redis clients and socat', () => {
    expect(installedPackages()).toEqual(
      expect.arrayContaining(['bsdutils', 'coreutils', 'postgresql-client', 'mariadb-client', 'redis-tools', 'socat', 'ca-certificates']),
    );
  });

  it('fails the build if one of the tools is missing', () => {
    const checks = runScripts.join(' ').match(/command -v [a-z-]+/g) ?? [];
    expect(checks.map((c) => c.split(' ')[2]).sort()).toEqual(['cat', 'mariadb', 'psql', 'redis-cli', 'script', 'socat']);
  });

  it('installs without recommends, with security updates, and leaves no apt lists behind', () => {
    const install = runScripts.find((script) => script.includes('apt-get install'))!;
    expect(install).toContain('--no-install-recommends');
    expect(install).toMatch(/apt-get -y upgrade|apt-get upgrade -y/);
    expect(install).toContain('rm -rf /var/lib/apt/lists/*');
    expect(install).toMatch(/set -[a-z]*e/);
  });

  it('carries no secrets: nothing copied in, no credential-like ENV or ARG', () => {
    expect(ofKind('COPY')).toEqual([]);
    expect(ofKind('ADD')).toEqual([]);
    const names = [
      ...dockerfile.getENVs().flatMap((env) => env.getProperties().map((p) => p.getName())),
      ...dockerfile.getARGs().flatMap((arg) => arg.getProperty()?.getName() ?? []),
    ];
    expect(names.filter((name) => /AWS_|SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL/i.test(name))).toEqual([]);
    expect(runScripts.join('\n')).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key|PGPASSWORD|MYSQL_PWD|REDISCLI_AUTH/i);
  });

  it('runs the main process as an unprivileged user', () => {
    const users = ofKind('USER').map((user) => user.getArgumentsContent());
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has the same keep-alive command as the task definition (exec form)', () => {
    const cmds = dockerfile.getCMDs();
    expect(cmds).toHaveLength(1);
    expect(cmds[0].getOpeningBracket()).not.toBeNull();
    // getJSONValue() drops the whitespace inside each string, so the exec-form array is read as JSON.
    expect(JSON.parse(cmds[0].getRawArgumentsContent() ?? '')).toEqual([...KEEPALIVE_COMMAND]);
    expect(dockerfile.getENTRYPOINTs()).toEqual([]);
  });
});

describe('docker/.dockerignore', () => {
  it('sends no part of the checkout to the build (the image copies nothing)', () => {
    const patterns = readFileSync(join(DOCKER_DIR, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(patterns).toEqual(['*']);
  });
});
