import { parseModule } from '../../scripts/hcl/module';
import { moduleReadme } from '../../scripts/hcl/readme';
import { readmeTable } from './readme-table';

/**
 * The README of a hand-off module (scripts/hcl/readme.ts), on a small module parsed as the writer parses main.tf:
 * what its tables and tfvars example tell a Terraform-only team. The READMEs of the real stacks are checked in
 * the Terraform stage (handoff-writer.test.ts); this one needs no Terraform CLI.
 */

const MODULE = `
variable "bastion_enabled" {
  type        = bool
  default     = true
  nullable    = false
  description = "false parks the bastion."
}
variable "vpc_id" {
  type        = string
  description = "Id of the VPC (a | b)."
}
variable "db_password" {
  type      = string
  default   = "x"
  sensitive = true
}
output "vpc_id" {
  value       = var.vpc_id
  description = "The VPC."
}
output "secret" {
  value       = var.db_password
  description = "A secret."
  sensitive   = true
}
`;

const readmeOf = async (hcl: string) => moduleReadme('ecs-bastion', await parseModule(hcl));
const rowOf = (readme: string, name: string) => readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`)) ?? '';
const cellsOf = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());

describe('the README of a hand-off module', () => {
  it('marks a variable without a default as required, and one with a default as not', async () => {
    const readme = await readmeOf(MODULE);
    expect(cellsOf(rowOf(readme, 'vpc_id')).slice(2, 4)).toEqual(['n/a', 'yes']);
    expect(cellsOf(rowOf(readme, 'bastion_enabled')).slice(2, 4)).toEqual(['`true`', 'no']);
  });

  it('says which variables are never null and which values are sensitive', async () => {
    const readme = await readmeOf(MODULE);
    expect(rowOf(readme, 'bastion_enabled')).toContain('false parks the bastion. Never null.');
    expect(rowOf(readme, 'vpc_id')).not.toContain('Never null.');
    expect(rowOf(readme, 'db_password')).toContain('Sensitive.');
    expect(rowOf(readme, 'secret')).toBe('| `secret` | A secret. Sensitive. |');
    expect(rowOf(readme, 'vpc_id').endsWith('|')).toBe(true);
  });

  it('escapes a pipe in a description, which would otherwise split the table row', async () => {
    const row = rowOf(await readmeOf(MODULE), 'vpc_id');
    expect(row).toContain('Id of the VPC (a \\| b).');
    expect(cellsOf(row)).toHaveLength(5);
  });

  it('writes the tfvars example from the variables with defaults only: a required one has no value to show', async () => {
    const readme = await readmeOf(MODULE);
    const example = /```hcl\n([\s\S]*?)\n```/.exec(readme)![1].split('\n');
    expect(example.map((line) => line.split('=')[0].trim())).toEqual(['bastion_enabled', 'db_password']);
  });

  it('puts each value under its column: name, type, default, required, description', async () => {
    const rows = readmeTable(await readmeOf(MODULE), 'Variables');
    expect(rows.find((row) => row.name === 'bastion_enabled')).toEqual({
      name: 'bastion_enabled',
      type: '`bool`',
      default: '`true`',
      required: 'no',
      description: 'false parks the bastion. Never null.',
    });
  });

  it('shows a falsy default (false, 0, "") as a default, says a validated variable is validated, and fences a backtick', async () => {
    const readme = await readmeOf(`
variable "off" {
  type    = bool
  default = false
}
variable "none" {
  type    = number
  default = 0
  validation {
    condition     = var.none >= 0
    error_message = "none must not be negative."
  }
}
variable "quote" {
  type    = string
  default = "a\`b"
}
`);
    const rows = Object.fromEntries(readmeTable(readme, 'Variables').map((row) => [row.name, row]));
    expect(rows.off).toMatchObject({ default: '`false`', required: 'no' });
    expect(rows.none).toMatchObject({ default: '`0`', required: 'no', description: 'Validated.' });
    expect(rows.quote).toMatchObject({ default: '``"a`b"``' });
    const example = /```hcl\n([\s\S]*?)\n```/.exec(readme)![1].split('\n');
    expect(example.map((line) => line.split('=')[0].trim())).toEqual(['none', 'off', 'quote']);
  });
});
