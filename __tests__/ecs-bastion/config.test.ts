import { type BastionConfigInput, parseConfig } from '../../modules/config';
import { pullThroughPrefix } from '../../modules/naming/names';
import { problemsOf } from '../config/support';

// [what is wrong, the `ecs` section, the JSON path that must be named, what the message must say]
const BAD_ECS_SECTIONS: [string, unknown, string, RegExp][] = [
  ['a misspelt key', { desiredcount: 1 }, 'ecs.desiredcount', /unknown key/],
  ['an architecture Fargate does not have', { architecture: 'arm' }, 'ecs.architecture', /"arm64"\|"x86_64"/],
  ['a CPU value Fargate does not offer', { cpu: 300 }, 'ecs.cpu', /256, 512, 1024, 2048, 4096, 8192, 16384/],
  ['a memory size that does not pair with the CPU', { cpu: 256, memory: 4096 }, 'ecs.memory', /with ecs.cpu 256, Fargate accepts 512, 1024, 2048 MiB/],
  ['a memory size off the 1 GiB steps of 1 vCPU', { cpu: 1024, memory: 2500 }, 'ecs.memory', /2048 to 8192 in steps of 1024/],
  ['a fractional CPU value', { cpu: 256.5 }, 'ecs.cpu', /integer|int/],
  ['Fargate Spot on arm64 (the default architecture)', { spot: true }, 'ecs.spot', /x86_64 tasks only/],
  ['Fargate Spot on arm64, said explicitly', { spot: true, architecture: 'arm64' }, 'ecs.spot', /set ecs.architecture to "x86_64"/],
  ['a negative desired count', { desiredCount: -1 }, 'ecs.desiredCount', /0 \(parked\) or more/],
  ['more tasks than a bastion needs', { desiredCount: 11 }, 'ecs.desiredCount', /at most 10/],
  ['a relative shell path', { shell: 'bash' }, 'ecs.shell', /absolute path/],
  ['both image forms at once', { image: { build: true, pullThrough: {} } }, 'ecs.image', /either .*pullThrough.* or .*build/],
  ['build set to false', { image: { build: false } }, 'ecs.image', /"build": true/],
  ['an empty image object', { image: {} }, 'ecs.image', /either/],
  ['an upstream repository with upper-case letters', { image: { pullThrough: { repository: 'Docker/Library/Debian' } } }, 'ecs.image.pullThrough.repository', /ECR Public repository path/],
  ['a tag with a space', { image: { pullThrough: { tag: 'bookworm slim' } } }, 'ecs.image.pullThrough.tag', /tag or a sha256 digest/],
  ['a truncated digest', { image: { pullThrough: { tag: 'sha256:abc' } } }, 'ecs.image.pullThrough.tag', /sha256 digest/],
  ['a digest as the tag of the built image', { image: { build: true, tag: `sha256:${'a'.repeat(64)}` } }, 'ecs.image.tag', /image tag/],
  // Found by mutation testing (modules/config): each passed with one anchor, bound or character class of the schema changed.
  ['a tag of 129 characters', { image: { pullThrough: { tag: 't'.repeat(129) } } }, 'ecs.image.pullThrough.tag', /tag or a sha256 digest/],
  ['a digest of 40 hexadecimal digits', { image: { pullThrough: { tag: `sha256:${'a'.repeat(40)}` } } }, 'ecs.image.pullThrough.tag', /sha256 digest/],
  [
    'an upstream repository with "//"',
    { image: { pullThrough: { repository: 'docker//debian' } } },
    'ecs.image.pullThrough.repository',
    /ECR Public repository path/,
  ],
  ['a built-image tag starting with a hyphen', { image: { build: true, tag: '-1' } }, 'ecs.image.tag', /image tag/],
  ['a shell path ending with "/"', { shell: '/bin/' }, 'ecs.shell', /absolute path of a shell/],
  ['the root directory as the shell', { shell: '/' }, 'ecs.shell', /absolute path of a shell/],
  [
    'an upstream repository too long for an ECR repository name',
    { image: { pullThrough: { repository: `a/${'b'.repeat(260)}` } } },
    'ecs.image.pullThrough.repository',
    /ECR allows 256/,
  ],
];

describe('the ecs configuration section', () => {
  it.each(BAD_ECS_SECTIONS)('refuses %s, naming the field', (_what, ecs, path, message) => {
    const problems = problemsOf({ ecs });
    expect(problems.map((p) => p.path)).toContain(path);
    expect(problems.find((p) => p.path === path)!.message).toMatch(message);
  });

  it('reports every ecs problem at once', () => {
    expect(problemsOf({ ecs: { cpu: 512, memory: 512, spot: true } }).map((p) => p.path).sort()).toEqual(['ecs.memory', 'ecs.spot']);
  });

  it('takes an upstream repository whose cached name has exactly the 256 characters ECR allows, and refuses one more', () => {
    const prefix = `${pullThroughPrefix('ssm-bastion')}/`;
    const repository = (length: number) => `a/${'b'.repeat(length - prefix.length - 2)}`;
    const longest = repository(256);
    expect(parseConfig({ ecs: { image: { pullThrough: { repository: longest } } } }).ecs.image).toMatchObject({ pullThrough: { repository: longest } });
    expect(problemsOf({ ecs: { image: { pullThrough: { repository: repository(257) } } } })).toEqual([
      expect.objectContaining({ path: 'ecs.image.pullThrough.repository', message: expect.stringMatching(/would have 257 characters; ECR allows 256/) }),
    ]);
  });

  it('refuses the pull-through cache in GovCloud too, at ecs.image: ECR Public serves the commercial partition only', () => {
    const problem = problemsOf({ region: 'us-gov-west-1', stacks: ['ecs-bastion'] }).find((p) => p.path === 'ecs.image');
    expect(problem?.message).toMatch(/commercial AWS partition only, not us-gov-west-1/);
    expect(parseConfig({ region: 'us-gov-west-1', stacks: ['ecs-bastion'], ecs: { image: { build: true } } }).ecs.image).toEqual({ build: true, tag: '1' });
  });

  it('accepts Fargate Spot on x86_64', () => {
    expect(parseConfig({ ecs: { spot: true, architecture: 'x86_64' } }).ecs.spot).toBe(true);
  });

  it('fills in the defaults: arm64, 0.25 vCPU / 512 MiB, on-demand, Container Insights, one task, bash, debian:bookworm-slim through the cache', () => {
    expect(parseConfig({}).ecs).toEqual({
      architecture: 'arm64',
      cpu: 256,
      memory: 512,
      spot: false,
      containerInsights: true,
      desiredCount: 1,
      shell: '/bin/bash',
      image: { pullThrough: { repository: 'docker/library/debian', tag: 'bookworm-slim' } },
    });
    expect(parseConfig({ ecs: { image: { build: true } } }).ecs.image).toEqual({ build: true, tag: '1' });
  });

  it('skips the cross-field ecs checks when the ecs-bastion stack is not synthesized', () => {
    const input: BastionConfigInput = { stacks: ['ec2-bastion'], ecs: { spot: true, cpu: 256, memory: 4096 } };
    expect(() => parseConfig(input)).not.toThrow();
  });

  it('refuses to turn an endpoint the ECS bastion needs off in a VPC without NAT', () => {
    for (const flag of ['ssm', 'ecr', 'logs', 'kms', 's3'] as const) {
      const problems = problemsOf({ stacks: ['ecs-bastion'], endpoints: { [flag]: false } });
      expect(problems).toEqual([expect.objectContaining({ path: `endpoints.${flag}`, message: expect.stringContaining('ecs-bastion') })]);
    }
  });
});
