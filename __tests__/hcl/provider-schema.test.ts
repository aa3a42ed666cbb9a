import { ATTRIBUTES_AS_BLOCKS } from '../../modules/hcl';
import { sharedProviderSchemas } from '../support/provider-schemas';
import { terraformSkipped } from '../support/terraform';

/**
 * ATTRIBUTES_AS_BLOCKS (how the hand-off writes an empty list of "blocks") must match the provider: every
 * configurable attribute whose type is a list or set of objects, read from `terraform providers schema -json`
 * (printed once per jest run, support/provider-schemas.ts).
 * When the provider is upgraded, this test says what to change.
 */

interface SchemaBlock {
  attributes?: Record<string, { type?: unknown; optional?: boolean; required?: boolean }>;
  block_types?: Record<string, { block: SchemaBlock }>;
}

function listsOfObjects(block: SchemaBlock, prefix = ''): string[] {
  const own = Object.entries(block.attributes ?? {})
    .filter(([, attribute]) => {
      const type = attribute.type;
      const configurable = attribute.optional || attribute.required;
      return configurable && Array.isArray(type) && ['list', 'set'].includes(type[0]) && Array.isArray(type[1]) && type[1][0] === 'object';
    })
    .map(([name]) => `${prefix}${name}`);
  const nested = Object.entries(block.block_types ?? {}).flatMap(([name, type]) => listsOfObjects(type.block, `${prefix}${name}.`));
  return [...own, ...nested];
}

const describeOrSkip = terraformSkipped() ? describe.skip : describe;

describeOrSkip('ATTRIBUTES_AS_BLOCKS', () => {
  it('lists exactly the list-of-object attributes of the AWS provider the stacks use', async () => {
    const resources = (await sharedProviderSchemas()).whole.resource_schemas as Record<string, { block: SchemaBlock }>;
    const fromSchema = Object.fromEntries(
      Object.entries(resources)
        .map(([type, resource]) => [type, listsOfObjects(resource.block).sort()] as const)
        .filter(([, attributes]) => attributes.length > 0),
    );
    const table = Object.fromEntries(Object.entries(ATTRIBUTES_AS_BLOCKS).map(([type, attributes]) => [type, [...attributes].sort()]));
    expect(table).toEqual(fromSchema);
  }, 120_000);
});
