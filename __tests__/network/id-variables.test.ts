import type { StackName } from '../../modules/config';
import { configProblems } from '../config/support';
import { synthStack } from '../support/synth';

/**
 * The ids of an existing VPC, in both stacks: the validations of the Terraform variables vpc_id, subnet_ids and
 * route_table_ids (which a Terraform-only team sets without the configuration) give every id the verdict of the
 * configuration: 8 or 17 lowercase hex digits after the prefix, nothing in between, no other prefix or case.
 */
const HEX = '0123456789abcdef0';
const idsOf = (prefix: string) => [
  ...Array.from({ length: 19 }, (_, n) => `${prefix}-${HEX.repeat(2).slice(0, n)}`),
  `${prefix}-0123456789ABCDEF0`,
  `${prefix}-0123456g`,
  `${prefix.toUpperCase()}-01234567`,
  `x${prefix}-01234567`,
  `${prefix}-01234567 `,
];

const NETWORK = { mode: 'existing' as const, vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] };

function configAccepts(network: Record<string, unknown>): boolean {
  return configProblems({ stacks: ['ec2-bastion'], network: { ...NETWORK, ...network } }).length === 0;
}

describe.each(['ecs-bastion', 'ec2-bastion'] as StackName[])('the existing-VPC id variables of %s', (stack) => {
  const { tf } = synthStack(stack, { network: NETWORK });
  it('types vpc_id as a string and the id lists as lists of strings, as the configuration does', () => {
    expect(Object.fromEntries(['vpc_id', 'subnet_ids', 'route_table_ids'].map((name) => [name, tf.variable![name].type]))).toEqual({
      vpc_id: 'string',
      subnet_ids: 'list(string)',
      route_table_ids: 'list(string)',
    });
  });

  const regexOf = (name: string, shape: RegExp) => {
    const [{ condition }] = tf.variable![name].validation as { condition: string }[];
    const match = shape.exec(condition);
    expect(match).not.toBeNull();
    return new RegExp(match![1]);
  };

  it.each([
    ['vpc_id', 'vpc', /^\$\{can\(regex\("([^"]+)", var\.vpc_id\)\)\}$/, (id: string) => ({ vpcId: id })],
    ['subnet_ids', 'subnet', /^\$\{length\(var\.subnet_ids\) > 0 && alltrue\(\[for s in var\.subnet_ids : can\(regex\("([^"]+)", s\)\)\]\)\}$/, (id: string) => ({ subnetIds: [id] })],
    ['route_table_ids', 'rtb', /^\$\{alltrue\(\[for r in var\.route_table_ids : can\(regex\("([^"]+)", r\)\)\]\)\}$/, (id: string) => ({ routeTableIds: [id] })],
  ] as const)('%s accepts exactly the ids the configuration accepts', (name, prefix, shape, field) => {
    const regex = regexOf(name, shape);
    const verdicts = idsOf(prefix).map((id) => ({ id, configuration: configAccepts(field(id)), variable: regex.test(id) }));
    expect(verdicts.filter((v) => v.configuration !== v.variable)).toEqual([]);
    expect(verdicts.filter((v) => v.variable).map((v) => v.id)).toEqual([`${prefix}-01234567`, `${prefix}-0123456789abcdef0`]);
  });
});
