/** `bastion preflight` into an existing VPC: zones that offer the instance type, and the targets' security groups. */
import { DescribeInstanceTypeOfferingsCommand } from '@aws-sdk/client-ec2';
import { OTHER_VPC_ID, SUBNET_A, SUBNET_APP, SUBNET_B, VPC_ID, world } from '../preflight-world';
import { REGION } from '../support';
import { EXISTING, existingNetwork, ofCheck, preflightHarness, withConfig } from './harness';

const { ec2Mock, preflightJson } = preflightHarness();

describe('bastion preflight: an existing VPC', () => {
  describe('zones and instance type', () => {
    test('a zone without the instance type: a warning, exit 0 when nothing else', async () => {
      const w = world();
      w.offerings['t4g.nano'] = [`${REGION}a`, `${REGION}c`];
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'instance-type')).toEqual([
        {
          level: 'warning',
          check: 'instance-type',
          message: `t4g.nano is not offered in eu-west-1b (euw1-az1), the zone of ${SUBNET_B}: the instance goes into the first subnet, so this matters only if network.subnetIds is reordered.`,
        },
      ]);
    });

    test('the first subnet\'s zone without the instance type: a blocker; the settings put a subnet that has it first', async () => {
      const w = world();
      w.offerings['t4g.nano'] = [`${REGION}b`];
      const { code, findings, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'instance-type')).toEqual([
        {
          level: 'blocker',
          check: 'instance-type',
          message: `t4g.nano is not offered in eu-west-1a (euw1-az3), the zone of the first subnet ${SUBNET_A}, where the EC2 bastion goes: the apply fails.`,
          fix: 'Put a subnet of a zone that offers it first in network.subnetIds (it is offered in eu-west-1b), or choose another ec2.instanceType.',
        },
      ]);
      expect(document.suggested.network).toMatchObject({ subnetIds: [SUBNET_B, SUBNET_A] });
    });

    test('two subnets in the first zone, which lacks the type: one blocker for the zone, not one per subnet', async () => {
      const w = world();
      w.offerings['t4g.nano'] = [`${REGION}b`];
      const config = withConfig({ ...existingNetwork({ subnetIds: [SUBNET_A, SUBNET_APP] }), endpoints: { singleAz: true } });
      const { findings } = await preflightJson(config, w);
      expect(ofCheck(findings, 'instance-type').map((f) => [f.level, f.message])).toEqual([
        ['blocker', `t4g.nano is not offered in eu-west-1a (euw1-az3), the zone of the first subnet ${SUBNET_A}, where the EC2 bastion goes: the apply fails.`],
      ]);
    });

    test('no subnet\'s zone offers the type: the settings keep the subnets (the blocker says to change the type)', async () => {
      const w = world();
      w.offerings['t4g.nano'] = [`${REGION}c`];
      const { code, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(document.suggested.network).toMatchObject({ subnetIds: [SUBNET_A, SUBNET_B] });
    });

    test('the ecs bastion alone does not ask for instance type offerings', async () => {
      const config = withConfig({ stacks: ['ecs-bastion'] });
      const { code, findings } = await preflightJson(config, world());
      expect(code).toBe(0);
      expect(findings.map((f) => f.check)).not.toContain('instance-type');
      expect(ec2Mock.commandCalls(DescribeInstanceTypeOfferingsCommand)).toHaveLength(0);
    });
  });

  describe('targets', () => {
    test('a target group that does not exist is a blocker; one in another VPC a warning', async () => {
      const w = world();
      w.securityGroups.push({ GroupId: 'sg-0bbbbbbbbbbbbbbb2', GroupName: 'cache', VpcId: OTHER_VPC_ID });
      const targets = [
        { name: 'aurora', port: 5432, securityGroupId: 'sg-0aaaaaaaaaaaaaaa1' },
        { name: 'cache', port: 6379, securityGroupId: 'sg-0bbbbbbbbbbbbbbb2' },
        { name: 'web', port: 443, cidr: '10.0.9.0/24' },
      ];
      const { code, findings } = await preflightJson(withConfig({ targets }), w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'targets')).toEqual([
        {
          level: 'blocker',
          check: 'targets',
          message: 'targets[0] "aurora": sg-0aaaaaaaaaaaaaaa1 does not exist in eu-west-1 (or this account cannot see it).',
          fix: 'Fix the securityGroupId of the target (the security group of the database).',
        },
        {
          level: 'warning',
          check: 'targets',
          message: `targets[1] "cache": sg-0bbbbbbbbbbbbbbb2 belongs to ${OTHER_VPC_ID}, not to ${VPC_ID}: the bastion's rules can reference it only across a VPC peering; without one the apply fails.`,
          fix: `Use a security group of ${VPC_ID}, or give the target a cidr instead.`,
        },
      ]);
    });

    test('a missing target group is a blocker with addIngressRule false too: the bastion\'s egress rule names it', async () => {
      const targets = [{ name: 'aurora', port: 5432, securityGroupId: 'sg-0aaaaaaaaaaaaaaa1', addIngressRule: false }];
      const { code, findings } = await preflightJson(withConfig({ targets }), world());
      expect(code).toBe(1);
      expect(ofCheck(findings, 'targets').map((f) => [f.level, f.message])).toEqual([
        ['blocker', 'targets[0] "aurora": sg-0aaaaaaaaaaaaaaa1 does not exist in eu-west-1 (or this account cannot see it).'],
      ]);
    });
  });
});
