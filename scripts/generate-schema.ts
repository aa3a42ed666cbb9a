/**
 * `npm run schema`: writes bastion.config.schema.json and the configuration reference in README.md from the
 * zod schema the code validates with. Tests fail when either is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../modules/config/json-schema';
import { configReferenceMarkdown } from '../modules/config/reference';
import { replaceReadmeSection } from './readme-sections';

const root = join(__dirname, '..');
const schemaFile = join(root, 'bastion.config.schema.json');
writeFileSync(schemaFile, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${schemaFile}`);

const readmeFile = join(root, 'README.md');
writeFileSync(readmeFile, replaceReadmeSection(readFileSync(readmeFile, 'utf8'), 'config-reference', configReferenceMarkdown()));
console.log(`updated the configuration reference in ${readmeFile}`);
