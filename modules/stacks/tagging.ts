import { type IAspect, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

interface Taggable {
  tagsInput?: Record<string, string>;
  tags: Record<string, string>;
}

/** True for resources whose provider schema has a `tags` argument (the generated class exposes `tagsInput`). */
export function isTaggable(resource: TerraformResource): boolean {
  let prototype = Object.getPrototypeOf(resource);
  while (prototype && prototype !== TerraformResource.prototype) {
    if (Object.getOwnPropertyDescriptor(prototype, 'tagsInput')) return true;
    prototype = Object.getPrototypeOf(prototype);
  }
  return false;
}

/**
 * Gives every taggable resource that has no Name tag one built from the prefix and its construct id, so the
 * console and cost reports show what each resource is. Provider default_tags carry the shared tags.
 */
export class NameTags implements IAspect {
  constructor(private readonly namePrefix: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !isTaggable(node)) return;
    const resource = node as unknown as Taggable;
    const existing = resource.tagsInput ?? {};
    if (existing.Name) return;
    const owner = node.node.scopes.at(-2)?.node.id ?? '';
    const id = node.node.id === 'resource' || node.node.id === 'role' || node.node.id === 'key' ? `${owner}` : `${owner}-${node.node.id}`;
    resource.tags = { ...existing, Name: `${this.namePrefix}-${id.replace(/^-|-$/g, '')}` };
  }
}
