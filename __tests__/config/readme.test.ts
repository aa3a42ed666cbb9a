import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../modules/config';
import { configReferenceMarkdown } from '../../modules/config/reference';
import { readmeSection } from '../../scripts/readme-sections';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('the README', () => {
  it('carries the configuration reference generated from the schema (run `npm run schema` after a change)', () => {
    expect(readmeSection(readme, 'config-reference')).toBe(configReferenceMarkdown());
  });

  it('documents every top-level configuration key', () => {
    for (const key of ['region', 'accountId', 'namePrefix', 'tags', 'network', 'endpoints', 'targets', 'audit', 'ecs', 'ec2', 'provider', 'backend']) {
      expect(readmeSection(readme, 'config-reference')).toContain(`| \`${key}\` |`);
    }
  });

  it.each(['README.md', 'docs/ecs-bastion.md', 'docs/ec2-bastion.md'])('%s: every configuration example is one the stacks accept', (file) => {
    const text = readFileSync(join(__dirname, '..', '..', file), 'utf8');
    const examples = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]) as unknown);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(() => parseConfig(example, file)).not.toThrow();
  });

  it('gives the two quick-start commands and the test command CI runs', () => {
    expect(readme).toContain('npm ci && npx cdktf synth');
    expect(readme).toContain('npm test');
    expect(readFileSync(join(__dirname, '..', '..', '.ci', 'run'), 'utf8')).toMatch(/^npm ci.*\nnpm test$/m);
  });
});
