import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../../modules/config/json-schema';

describe('bastion.config.schema.json', () => {
  const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'bastion.config.schema.json'), 'utf8'));

  it('is generated from the schema the code validates with (run `npm run schema` after changing it)', () => {
    expect(committed).toEqual(configJsonSchema());
  });

  it('refuses unknown keys at every level, like the validator', () => {
    const objects: Record<string, unknown>[] = [];
    const walk = (node: unknown): void => {
      if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (record.type === 'object' && record.properties) objects.push(record);
        Object.values(record).forEach(walk);
      }
    };
    walk(committed);
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) expect(object.additionalProperties).toBe(false);
  });
});
