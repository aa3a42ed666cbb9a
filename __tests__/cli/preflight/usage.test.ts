/** `bastion preflight`: both stacks in one VPC, and the command's own options. */
import { DescribeInstanceTypeOfferingsCommand } from '@aws-sdk/client-ec2';
import { parseConfig } from '../../../modules/config';
import { interfaceEndpoint, world } from '../preflight-world';
import { EXISTING, preflightHarness, printedBlock, withConfig } from './harness';

const { ec2Mock, preflightIn, preflight, preflightJson } = preflightHarness();

describe('bastion preflight: stacks and usage', () => {
  const TWO_STACKS = withConfig({ stacks: ['ecs-bastion', 'ec2-bastion'], endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing' } });

  test('both stacks in one VPC: the settings never ask both to create a shared endpoint', async () => {
    const w = world();
    w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs'));
    const { code, out } = await preflight(TWO_STACKS, w);
    expect(code).toBe(1);
    expect(out).toContain(
      'fix: Create the kms endpoint (private DNS) in the VPC once, for both stacks, or deploy each stack from its own configuration.',
    );
    const block = printedBlock(out);
    expect(block.endpoints).toEqual({ ssm: 'existing', ecr: 'create', logs: 'existing', kms: 'existing', s3: 'existing', singleAz: false });
    expect(() => parseConfig(withConfig(block, TWO_STACKS))).not.toThrow();
  });

  test('both stacks in one VPC, each set to create the shared endpoints: read, reported, and settings that pass suggested', async () => {
    // The configuration itself would be refused (one private-DNS endpoint per service and VPC); preflight is
    // where that gets sorted out, so it reads it instead of stopping at the validation error.
    const BOTH_CREATING = withConfig({ stacks: ['ecs-bastion', 'ec2-bastion'] });
    expect(() => parseConfig(BOTH_CREATING)).toThrow(/both stacks would create/);
    const { code, out } = await preflight(BOTH_CREATING, world());
    expect(code).toBe(1);
    expect(out).toContain(
      'endpoints.kms is "create" for both stacks: each would create the kms endpoint with private DNS in vpc-0a1b2c3d4e5f60718, and AWS allows one per service and VPC, so the second apply fails.',
    );
    expect(out).toContain('fix: Create the kms endpoint (private DNS) in the VPC once, for both stacks, and set endpoints.kms to "existing"; or deploy each stack from its own configuration.');
    expect(() => parseConfig(withConfig(printedBlock(out), BOTH_CREATING))).not.toThrow();
  });

  test('both stacks in one VPC, each set to create the S3 gateway endpoint on the same route tables: a blocker', async () => {
    const config = withConfig({
      stacks: ['ecs-bastion', 'ec2-bastion'],
      network: { ...EXISTING.network, routeTableIds: ['rtb-0aaaaaaaaaaaaaaa1'] },
      endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing', s3: 'create' },
    });
    const { code, out } = await preflight(config, world());
    expect(code).toBe(1);
    expect(out).toContain('endpoints.s3 is "create" for both stacks: each would put an S3 gateway endpoint on the same route tables');
  });

  test('a variant checks that stack only, and the settings name it', async () => {
    const w = world();
    const { code, document } = await preflightJson(TWO_STACKS, w, ['ecs']);
    expect(code).toBe(1);
    expect(document.suggested.stacks).toEqual(['ecs-bastion']);
    expect(ec2Mock.commandCalls(DescribeInstanceTypeOfferingsCommand)).toHaveLength(0);
    expect(() => parseConfig(withConfig(document.suggested, TWO_STACKS))).not.toThrow();
  });

  test('an unknown variant is a usage error (exit 2)', async () => {
    const { code, err } = await preflightIn(EXISTING, ['lambda']);
    expect(code).toBe(2);
    expect(err).toContain("error: command-argument value 'lambda' is invalid for argument 'variant'. Allowed choices are ecs, ec2.");
  });
});
