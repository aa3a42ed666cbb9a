import { DefaultTokenResolver, StringConcat, TerraformVariable, Tokenization } from 'cdktf';
import { rawAttribute, renderedAttribute } from './fragments';

/**
 * A `TerraformVariable` that means the same in HCL as in JSON.
 *
 * cdktf 0.21's `TerraformVariable.synthesizeHclAttributes()` keeps only truthy attributes (`!!value?.value`): a
 * default of `false`, `0`, `""` or `null` disappears (the variable becomes *required*), and so does
 * `nullable = false` and `sensitive = false`. Its default and description are also printed by the renderer's
 * loose printer (a string default holding `${` or `"` is broken). This class renders its HCL from the very
 * attributes of the JSON synthesis (`toTerraform()`, overrides included), each value printed exactly.
 *
 * Use it for every stack variable; the HCL hand-off refuses a plain `TerraformVariable`.
 */
export class StackVariable extends TerraformVariable {
  override toHclTerraform(): Record<string, unknown> {
    const json = this.toTerraform() as { variable: Record<string, Record<string, unknown>> };
    // Resolve here: the body below is HCL text, which token markers must not end up in.
    const resolved = Tokenization.resolve(json.variable[this.friendlyUniqueId], {
      scope: this,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    }) as Record<string, unknown>;
    return { variable: { [this.friendlyUniqueId]: hclVariableBody(resolved) } };
  }
}

interface VariableValidation {
  readonly condition: string;
  readonly error_message: string;
}

/** The body of a `variable` block, in the form cdktf's renderer writes verbatim. */
export function hclVariableBody(attributes: Record<string, unknown>): Record<string, unknown> {
  const { description, type, default: defaultValue, nullable, sensitive, validation, ...others } = attributes;
  const body: Record<string, unknown> = {};
  // In the JSON syntax a variable's description and default are plain values, never templates.
  if (description !== undefined) body.description = renderedAttribute(description, 'literal');
  // A type constraint is an expression of its own (bool, list(string)), written bare.
  if (type !== undefined) body.type = rawAttribute(String(type));
  if (defaultValue !== undefined) body.default = renderedAttribute(defaultValue, 'literal');
  if (nullable !== undefined) body.nullable = renderedAttribute(nullable, 'literal');
  if (sensitive !== undefined) body.sensitive = renderedAttribute(sensitive, 'literal');
  for (const [name, value] of Object.entries(others)) if (value !== undefined) body[name] = renderedAttribute(value, 'literal');
  const rules = (validation as VariableValidation[] | undefined) ?? [];
  if (rules.length > 0) {
    body.validation = {
      // Condition and message are expressions (templates in JSON): `"${contains(...)}"` becomes `contains(...)`.
      value: rules.map((rule) => ({
        condition: renderedAttribute(rule.condition, 'template'),
        error_message: renderedAttribute(rule.error_message, 'template'),
      })),
      isBlock: true,
      type: 'list',
      storageClassType: 'objectList',
    };
  }
  return body;
}
