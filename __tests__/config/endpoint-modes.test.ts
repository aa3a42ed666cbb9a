import { type BastionConfigInput, parseConfig, REQUIRED_ENDPOINTS, type StackName } from '../../modules/config';
import { configProblems as problemsOf } from './support';

/**
 * Endpoint modes, exhaustively: every mode of every endpoint group (3^5 combinations) in every kind of network,
 * for each stack alone and both together, is accepted or refused exactly as written here, with the right path
 * (and the stack named when a stack needs what is turned off). The expectations restate the documented rules:
 * - "existing" only in an existing VPC (a VPC this project creates has no endpoints yet);
 * - "none" only where the subnets reach AWS otherwise: an existing VPC with network.natGateway, or a group the
 *   stack does not use (the EC2 bastion pulls no image: ECR);
 * - two stacks in one existing VPC cannot both create the ssm, logs, kms (private DNS: one endpoint per service
 *   and VPC) or s3 (one gateway route per route table) endpoints.
 */

const GROUPS = ['ssm', 'ecr', 'logs', 'kms', 's3'] as const;
type Group = (typeof GROUPS)[number];
const MODES = ['create', 'existing', 'none'] as const;
type Mode = (typeof MODES)[number];

/** The groups each stack cannot work without when its subnets have no other route to AWS. */
const NEEDED: Record<StackName, readonly Group[]> = {
  'ecs-bastion': ['ssm', 'ecr', 'logs', 'kms', 's3'],
  'ec2-bastion': ['ssm', 'logs', 'kms', 's3'],
};

const NETWORKS = {
  'a new VPC': { mode: 'create' },
  'an existing VPC without NAT': { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] },
  'an existing VPC with NAT': {
    mode: 'existing',
    vpcId: 'vpc-0123456789abcdef0',
    subnetIds: ['subnet-0123456789abcdef0'],
    routeTableIds: ['rtb-0123456789abcdef0'],
    natGateway: true,
  },
} as const satisfies Record<string, BastionConfigInput['network']>;

const STACK_SETS: StackName[][] = [['ecs-bastion'], ['ec2-bastion'], ['ecs-bastion', 'ec2-bastion']];

/** Every assignment of a mode to each group. */
const ALL_MODES: Record<Group, Mode>[] = GROUPS.reduce<Record<Group, Mode>[]>(
  (partial, group) => partial.flatMap((modes) => MODES.map((mode) => ({ ...modes, [group]: mode }))),
  [{} as Record<Group, Mode>],
);

/** What the rules above refuse: one `path (stack)` per problem. */
function expectedProblems(stacks: StackName[], network: keyof typeof NETWORKS, modes: Record<Group, Mode>): string[] {
  const existingVpc = network !== 'a new VPC';
  const problems: string[] = [];
  for (const group of GROUPS) {
    if (modes[group] === 'existing' && !existingVpc) problems.push(`endpoints.${group}`);
    if (modes[group] === 'none' && network !== 'an existing VPC with NAT') {
      for (const stack of stacks.filter((s) => NEEDED[s].includes(group))) problems.push(`endpoints.${group} (${stack})`);
    }
  }
  if (existingVpc && stacks.length === 2 && (['ssm', 'logs', 'kms', 's3'] as const).some((group) => modes[group] === 'create')) problems.push('stacks');
  return problems.sort();
}

/** The problems found, in the shape of expectedProblems (the stack a "none" problem names, from its message). */
function foundProblems(stacks: StackName[], network: keyof typeof NETWORKS, endpoints: BastionConfigInput['endpoints']): string[] {
  return problemsOf({ stacks, network: NETWORKS[network], endpoints })
    .map((p) => {
      const stack = /^stack (ecs-bastion|ec2-bastion) cannot work without it/.exec(p.message)?.[1];
      return stack ? `${p.path} (${stack})` : p.path;
    })
    .sort();
}

describe('endpoint modes', () => {
  it('need, per stack, exactly the groups written here, each with its reason', () => {
    for (const stack of ['ecs-bastion', 'ec2-bastion'] as StackName[]) {
      const table = REQUIRED_ENDPOINTS[stack];
      expect(Object.keys(table).sort()).toEqual([...GROUPS].sort());
      expect(GROUPS.filter((group) => table[group] !== undefined)).toEqual(NEEDED[stack]);
      for (const group of NEEDED[stack]) expect(table[group]).toMatch(/\w{3,} .{10,}/);
    }
  });

  it(`cover ${ALL_MODES.length} combinations of the five groups`, () => {
    expect(ALL_MODES).toHaveLength(243);
    expect(new Set(ALL_MODES.map((modes) => JSON.stringify(modes))).size).toBe(243);
  });

  describe.each(Object.keys(NETWORKS) as (keyof typeof NETWORKS)[])('in %s', (network) => {
    it.each(STACK_SETS.map((stacks) => [stacks.join(' and '), stacks] as const))('for %s: every combination is accepted or refused as the rules say', (_name, stacks) => {
      const wrong = ALL_MODES.map((modes) => ({ modes, expected: expectedProblems(stacks, network, modes), found: foundProblems(stacks, network, modes) })).filter(
        ({ expected, found }) => JSON.stringify(expected) !== JSON.stringify(found),
      );
      expect(wrong.slice(0, 5)).toEqual([]);
    });

    it.each(STACK_SETS.map((stacks) => [stacks.join(' and '), stacks] as const))('for %s: true and false mean "create" and "none"', (_name, stacks) => {
      for (const group of GROUPS) {
        expect(foundProblems(stacks, network, { [group]: true })).toEqual(foundProblems(stacks, network, { [group]: 'create' }));
        expect(foundProblems(stacks, network, { [group]: false })).toEqual(foundProblems(stacks, network, { [group]: 'none' }));
      }
    });
  });

  it('tell, when a needed group is off, which stack needs it and why, and what to do in each kind of network', () => {
    for (const stack of ['ecs-bastion', 'ec2-bastion'] as StackName[]) {
      for (const group of NEEDED[stack]) {
        const created = problemsOf({ stacks: [stack], endpoints: { [group]: 'none' } });
        expect(created).toEqual([
          {
            path: `endpoints.${group}`,
            value: 'none',
            message: `stack ${stack} cannot work without it: ${REQUIRED_ENDPOINTS[stack][group]}, and a created VPC has no NAT. Use "create", or remove ${stack} from "stacks"`,
          },
        ]);
        const existing = problemsOf({ stacks: [stack], network: NETWORKS['an existing VPC without NAT'], endpoints: { [group]: 'none' } });
        expect(existing).toEqual([expect.objectContaining({ path: `endpoints.${group}`, message: expect.stringMatching(/network\.natGateway is false.*set network\.natGateway to true/) })]);
      }
    }
  });

  it('default to "create" everywhere, except S3 in an existing VPC ("existing")', () => {
    for (const [name, network] of Object.entries(NETWORKS)) {
      const { endpoints } = parseConfig({ stacks: ['ec2-bastion'], network });
      expect({ name, endpoints }).toEqual({ name, endpoints: { ssm: 'create', ecr: 'create', logs: 'create', kms: 'create', s3: name === 'a new VPC' ? 'create' : 'existing', singleAz: false } });
    }
  });

  it('need the route tables for an S3 endpoint created in an existing VPC', () => {
    const network = { ...NETWORKS['an existing VPC without NAT'], routeTableIds: [] };
    expect(problemsOf({ stacks: ['ec2-bastion'], network, endpoints: { s3: 'create' } }).map((p) => p.path)).toEqual(['network.routeTableIds']);
    expect(problemsOf({ stacks: ['ec2-bastion'], network, endpoints: { s3: 'existing' } })).toEqual([]);
  });
});
