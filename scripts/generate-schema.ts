/**
 * Writes bastion.config.schema.json from the zod schema the code validates with (`npm run schema`).
 * A test fails when the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../modules/config/json-schema';

const target = join(__dirname, '..', 'bastion.config.schema.json');
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
