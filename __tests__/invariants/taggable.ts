import { TerraformResource } from 'cdktf';
import { isTaggable } from '../../modules/stacks/tagging';

const cache = new Map<string, boolean>();

/**
 * Whether a Terraform resource type has a `tags` argument, read from the generated provider binding
 * (`@cdktf/provider-aws/lib/<type-with-dashes>`): its class exposes `tagsInput` exactly when it does.
 */
export function isTaggableType(type: string): boolean {
  const known = cache.get(type);
  if (known !== undefined) return known;
  const module = require(`@cdktf/provider-aws/lib/${type.replace(/^aws_/, '').replace(/_/g, '-')}`) as Record<string, unknown>;
  const resourceClass = Object.values(module).find(
    (value): value is typeof TerraformResource => typeof value === 'function' && value.prototype instanceof TerraformResource,
  );
  const taggable = resourceClass ? isTaggable(Object.create(resourceClass.prototype) as TerraformResource) : false;
  cache.set(type, taggable);
  return taggable;
}
