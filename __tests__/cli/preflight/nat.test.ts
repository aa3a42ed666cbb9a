/** `bastion preflight` into an existing VPC: subnets with and without a route to a NAT. */
import { RTB_A, RTB_B, RTB_MAIN, SUBNET_A, SUBNET_APP, SUBNET_B, type World, world } from '../preflight-world';
import { EXISTING, existingNetwork, ofCheck, preflightHarness, withConfig } from './harness';

const { ec2Mock, preflightJson } = preflightHarness();

describe('bastion preflight: an existing VPC', () => {
  describe('NAT', () => {
    const natRoute = { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a0a0a0a0a0a0a0a0', State: 'active' as const };
    const withNat = (w: World) => {
      for (const table of w.routeTables.filter((t) => t.RouteTableId !== RTB_MAIN)) table.Routes = [...table.Routes!, natRoute];
      return w;
    };
    const logsNone = withConfig({ ...existingNetwork({ natGateway: true }), endpoints: { logs: 'none' } });

    test('a group set to "none" without a NAT route: a blocker', async () => {
      const { code, findings } = await preflightJson(logsNone, world());
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.logs')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.logs',
          message: 'endpoints.logs is "none", but the bastion subnets have no NAT route: ec2-bastion (sessions and patch runs log to CloudWatch Logs) cannot work.',
          fix: 'Set endpoints.logs to "create", or "existing" if the VPC has the endpoint.',
        },
      ]);
      expect(ofCheck(findings, 'nat')).toEqual([
        {
          level: 'warning',
          check: 'nat',
          message: `network.natGateway is true, but ${SUBNET_A} (${RTB_A}) and ${SUBNET_B} (${RTB_B}) have no 0.0.0.0/0 route through a NAT.`,
          fix: 'Set network.natGateway to false, or route those subnets through a NAT gateway.',
        },
      ]);
    });

    test('a group set to "none" with a NAT route: ok, and kept in the settings', async () => {
      const { code, findings, document } = await preflightJson(logsNone, withNat(world()));
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.logs')).toEqual([
        { level: 'ok', check: 'endpoints.logs', message: 'endpoints.logs is "none": the bastion reaches logs through the NAT.' },
      ]);
      expect(document.suggested).toMatchObject({ network: { natGateway: true }, endpoints: { logs: 'none' } });
    });

    test('a group set to "existing" whose endpoint the VPC lacks: through the NAT when configured (a warning), else a blocker', async () => {
      const kmsExisting = withConfig({ ...existingNetwork({ natGateway: true }), endpoints: { kms: 'existing' } });
      const viaNat = await preflightJson(kmsExisting, withNat(world()));
      expect(viaNat.code).toBe(0);
      expect(ofCheck(viaNat.findings, 'endpoints.kms')).toEqual([
        { level: 'warning', check: 'endpoints.kms', message: 'The VPC has no private-DNS endpoint for kms: the bastion reaches it through the NAT.' },
      ]);
      ec2Mock.reset();
      const noRoute = await preflightJson(kmsExisting, world());
      expect(ofCheck(noRoute.findings, 'endpoints.kms')[0]!.message).toBe(
        'endpoints.kms is "existing", but the VPC has no private-DNS endpoint for kms, and the bastion subnets have no NAT route: ec2-bastion (sessions are encrypted with the audit KMS key) cannot work.',
      );
    });

    test('a group set to "existing" whose endpoint the VPC lacks, with a NAT route but natGateway false: a blocker offering natGateway true', async () => {
      const { code, findings } = await preflightJson(withConfig({ endpoints: { kms: 'existing' } }), withNat(world()));
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.kms')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.kms',
          message: 'endpoints.kms is "existing", but the VPC has no private-DNS endpoint for kms, and network.natGateway is false: ec2-bastion (sessions are encrypted with the audit KMS key) cannot work.',
          fix: 'Set endpoints.kms to "create"; or set network.natGateway to true (the subnets have a NAT route).',
        },
      ]);
    });

    test('both stacks with groups "existing" that the VPC lacks, over a NAT: the settings keep "existing", not "none"', async () => {
      const config = withConfig({ stacks: ['ec2-bastion', 'ecs-bastion'], ...existingNetwork({ natGateway: true }), endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing' } });
      const { findings, document } = await preflightJson(config, withNat(world()));
      expect(ofCheck(findings, 'endpoints.ssm').map((f) => f.level)).toEqual(['warning', 'warning', 'warning']);
      expect(document.suggested.endpoints).toMatchObject({ ssm: 'existing', logs: 'existing', kms: 'existing' });
    });

    test('every bastion subnet through a NAT: the ok names each NAT', async () => {
      const w = world();
      for (const [table, nat] of [[RTB_A, 'nat-0a0a0a0a0a0a0a0a0'], [RTB_B, 'nat-0b0b0b0b0b0b0b0b0']]) {
        w.routeTables.find((t) => t.RouteTableId === table)!.Routes!.push({ ...natRoute, NatGatewayId: nat });
      }
      const { findings } = await preflightJson(withConfig(existingNetwork({ natGateway: true })), w);
      expect(ofCheck(findings, 'nat')).toEqual([
        { level: 'ok', check: 'nat', message: 'Every bastion subnet reaches the internet through nat-0a0a0a0a0a0a0a0a0 and nat-0b0b0b0b0b0b0b0b0.' },
      ]);
    });

    test('a NAT route the configuration does not know of: ok, and the settings say natGateway true', async () => {
      const { findings, document } = await preflightJson(EXISTING, withNat(world()));
      expect(ofCheck(findings, 'nat')[0]!.message).toBe(
        'Every bastion subnet reaches the internet through nat-0a0a0a0a0a0a0a0a0. network.natGateway can be true (the suggested settings say so): then whatever no endpoint serves goes through it.',
      );
      expect(document.suggested.network).toMatchObject({ natGateway: true });
    });

    test('a subnet whose route goes to an internet gateway: a warning (the bastion has no public IP)', async () => {
      const { findings } = await preflightJson(withConfig(existingNetwork({ subnetIds: [SUBNET_APP] })), world());
      expect(ofCheck(findings, 'nat')[0]).toEqual({
        level: 'warning',
        check: 'nat',
        message: `${SUBNET_APP} routes 0.0.0.0/0 to igw-0a0a0a0a0a0a0a0a0: a public subnet. The bastion gets no public IP, so that route does not take it anywhere.`,
        fix: 'Use private subnets for the bastion.',
      });
    });
  });
});
