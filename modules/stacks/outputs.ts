import { TerraformOutput, type TerraformStack, Token } from 'cdktf';

/**
 * Declares a stack-scope output named exactly `name`. The construct id differs from the Terraform name, so an
 * output may share its name with a variable (`vpc_id` is both in existing-VPC mode) without a construct clash.
 * A plain `null` value crashes cdktf 0.21's output synthesis (Object.keys(null)); it is passed as a null token.
 */
export function stackOutput(stack: TerraformStack, name: string, value: unknown, description: string): TerraformOutput {
  const output = new TerraformOutput(stack, `output-${name}`, { value: value === null ? Token.nullValue() : value, description });
  output.overrideLogicalId(name);
  return output;
}
