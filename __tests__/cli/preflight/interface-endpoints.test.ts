/** `bastion preflight` into an existing VPC: the interface endpoints with private DNS the VPC already has. */
import { DB_GROUP, interfaceEndpoint, ownTags, SHARED_ENDPOINT_GROUP, SUBNET_A, SUBNET_B, VPC_ID, world } from '../preflight-world';
import { EXISTING, levels, ofCheck, preflightHarness, sharedSsmEndpoints, SSM_SERVICES, withConfig } from './harness';

const { preflightJson } = preflightHarness();

describe('bastion preflight: an existing VPC', () => {
  describe('interface endpoints with private DNS', () => {
    test('a group set to "create" where the VPC has the endpoints: a blocker, suggesting "existing"', async () => {
      const w = world();
      w.endpoints.push(...sharedSsmEndpoints());
      const { code, findings, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(levels(ofCheck(findings, 'endpoints.ssm'))).toEqual(['blocker']);
      expect(document.suggested.endpoints).toMatchObject({ ssm: 'existing' });
    });

    test('a group set to "existing" where the VPC has them: ok, and their security group admits the subnets', async () => {
      const w = world();
      w.endpoints.push(...sharedSsmEndpoints());
      const { code, findings } = await preflightJson(withConfig({ endpoints: { ssm: 'existing' } }), w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.ssm').map((f) => [f.level, f.message])).toEqual(
        SSM_SERVICES.map((s) => ['ok', `${s}: the bastion uses vpce-0${s} (private DNS).`]),
      );
      expect(ofCheck(findings, 'endpoint-security-groups').map((f) => f.message)).toEqual(
        SSM_SERVICES.map((s) => `vpce-0${s} (${s}) admits HTTPS from the bastion subnets.`),
      );
    });

    test('only part of a group exists: "create" is refused, and the fix names what is missing', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('ssmmessages', 'vpce-0ssmmessages'));
      const { findings, document } = await preflightJson(EXISTING, w);
      expect(ofCheck(findings, 'endpoints.ssm')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.ssm',
          message: `vpce-0ssmmessages (ssmmessages) already serves ${VPC_ID} with private DNS: AWS refuses a second private-DNS endpoint for a service in one VPC (conflicting DNS domain), so the apply fails.`,
          fix: 'Set endpoints.ssm to "existing": the bastion then uses the VPC\'s endpoint. The VPC has none for ssm and ec2messages: add them with private DNS as well, or let them go through a NAT (network.natGateway).',
        },
      ]);
      // "create" would collide on ssmmessages, whatever the other two lack.
      expect(document.suggested.endpoints).toMatchObject({ ssm: 'existing' });
    });

    test('an endpoint without private DNS is no collision', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs', { PrivateDnsEnabled: false }));
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.logs')[0]).toEqual({
        level: 'ok',
        check: 'endpoints.logs',
        message: 'vpce-0logs serves logs without private DNS: no conflict.',
      });
    });

    test('an endpoint without private DNS next to one with it: the collision blocker alone, no "no conflict" ok', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs'), interfaceEndpoint('logs', 'vpce-0logsplain', { PrivateDnsEnabled: false }));
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.logs').map((f) => [f.level, f.message.split(':')[0]])).toEqual([['blocker', 'vpce-0logs (logs) already serves vpc-0a1b2c3d4e5f60718 with private DNS']]);
    });

    test('both stacks creating a group the VPC already serves in part: the one blocker about the VPC\'s endpoint, not a second about the stacks', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('ssmmessages', 'vpce-0ssmmessages'));
      const { findings } = await preflightJson(withConfig({ stacks: ['ecs-bastion', 'ec2-bastion'] }), w);
      expect(ofCheck(findings, 'endpoints.ssm').map((f) => [f.level, f.message.split(':')[0]])).toEqual([
        ['blocker', `vpce-0ssmmessages (ssmmessages) already serves ${VPC_ID} with private DNS`],
      ]);
    });

    test('this deployment\'s own endpoints (by their tags) are not collisions; another prefix\'s are', async () => {
      const w = world();
      const own = { Tags: ownTags('ec2-bastion') };
      w.endpoints.push(...sharedSsmEndpoints(own), interfaceEndpoint('logs', 'vpce-0logs', own));
      w.endpoints.push(interfaceEndpoint('kms', 'vpce-0kms', { Tags: [{ Key: 'ssm-bastion:stack', Value: 'ec2-bastion' }, { Key: 'ssm-bastion:name-prefix', Value: 'other-team' }] }));
      const { code, findings, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.ssm').map((f) => [f.level, f.message])).toEqual(
        SSM_SERVICES.map((s) => ['ok', `vpce-0${s} (${s}) is this deployment's own endpoint.`]),
      );
      expect(levels(ofCheck(findings, 'endpoints.logs'))).toEqual(['ok']);
      expect(levels(ofCheck(findings, 'endpoints.kms'))).toEqual(['blocker']);
      expect(document.suggested.endpoints).toMatchObject({ ssm: 'create', logs: 'create', kms: 'existing' });
    });

    test('the endpoints of the ecs-bastion are collisions for an ec2-bastion deployed next to it', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('ssmmessages', 'vpce-0ssmmessages', { Tags: ownTags('ecs-bastion') }));
      const { findings } = await preflightJson(EXISTING, w);
      expect(levels(ofCheck(findings, 'endpoints.ssm'))).toEqual(['blocker']);
    });

    test('"existing" where the VPC has none and no NAT: a blocker that says why the stack needs it', async () => {
      const { code, findings } = await preflightJson(withConfig({ endpoints: { kms: 'existing' } }), world());
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.kms')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.kms',
          message: 'endpoints.kms is "existing", but the VPC has no private-DNS endpoint for kms, and network.natGateway is false: ec2-bastion (sessions are encrypted with the audit KMS key) cannot work.',
          fix: 'Set endpoints.kms to "create".',
        },
      ]);
    });

    test('"existing" where the endpoint has private DNS off: a blocker that offers to turn it on', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('kms', 'vpce-0kms', { PrivateDnsEnabled: false }));
      const { findings } = await preflightJson(withConfig({ endpoints: { kms: 'existing' } }), w);
      expect(ofCheck(findings, 'endpoints.kms')[0]).toMatchObject({
        level: 'blocker',
        message: expect.stringContaining("(vpce-0kms has private DNS off, so the agents, which call the service's regional name, do not reach it)"),
        fix: 'Turn on private DNS: aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0kms --private-dns-enabled --region eu-west-1; or set endpoints.kms to "create".',
      });
    });

    test('"existing" where the endpoint does not say it has private DNS: taken as off, a blocker', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('kms', 'vpce-0kms', { PrivateDnsEnabled: undefined }));
      const { code, findings } = await preflightJson(withConfig({ endpoints: { kms: 'existing' } }), w);
      expect(code).toBe(1);
      expect(levels(ofCheck(findings, 'endpoints.kms'))).toEqual(['blocker']);
      expect(ofCheck(findings, 'endpoints.kms')[0]!.message).toContain('(vpce-0kms has private DNS off');
    });

    test('"existing" where the VPC\'s endpoint is not available yet (any state but available): ok, and a warning naming the state', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs', { State: 'pendingAcceptance' as never }));
      const { findings } = await preflightJson(withConfig({ endpoints: { logs: 'existing' } }), w);
      expect(ofCheck(findings, 'endpoints.logs').map((f) => [f.level, f.message])).toEqual([
        ['ok', 'logs: the bastion uses vpce-0logs (private DNS).'],
        ['warning', 'vpce-0logs (logs) is pendingAcceptance, not available yet.'],
      ]);
    });

    test('a reused endpoint whose security group does not admit a subnet: a warning with the rule to add', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs'));
      w.securityGroups.find((g) => g.GroupId === SHARED_ENDPOINT_GROUP)!.IpPermissions = [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.1.0/24' }], UserIdGroupPairs: [{ GroupId: 'sg-0aaaaaaaaaaaaaaa1' }] },
      ];
      const { code, findings } = await preflightJson(withConfig({ endpoints: { logs: 'existing' } }), w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoint-security-groups')).toEqual([
        {
          level: 'warning',
          check: 'endpoint-security-groups',
          message: `vpce-0logs (logs): its security group ${SHARED_ENDPOINT_GROUP} admits no HTTPS from ${SUBNET_B} (10.0.2.0/24) by address range; rules naming security groups or prefix lists are not counted.`,
          fix: `aws ec2 authorize-security-group-ingress --group-id ${SHARED_ENDPOINT_GROUP} --protocol tcp --port 443 --cidr 10.0.2.0/24 --region eu-west-1`,
        },
      ]);
    });

    test('only the endpoint\'s own security groups count, not another group of the VPC that would admit the subnets', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs'));
      w.securityGroups.find((g) => g.GroupId === SHARED_ENDPOINT_GROUP)!.IpPermissions = [];
      w.securityGroups.find((g) => g.GroupId === DB_GROUP)!.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }];
      const { findings } = await preflightJson(withConfig({ endpoints: { logs: 'existing' } }), w);
      expect(levels(ofCheck(findings, 'endpoint-security-groups'))).toEqual(['warning']);
    });

    test('a rule admitting only half of the first subnet\'s range does not admit that subnet: a warning naming it', async () => {
      const w = world();
      w.endpoints.push(interfaceEndpoint('logs', 'vpce-0logs'));
      w.securityGroups.find((g) => g.GroupId === SHARED_ENDPOINT_GROUP)!.IpPermissions = [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.1.0/25' }, { CidrIp: '10.0.2.0/24' }] },
      ];
      const { findings } = await preflightJson(withConfig({ endpoints: { logs: 'existing' } }), w);
      expect(ofCheck(findings, 'endpoint-security-groups')).toEqual([
        {
          level: 'warning',
          check: 'endpoint-security-groups',
          message: `vpce-0logs (logs): its security group ${SHARED_ENDPOINT_GROUP} admits no HTTPS from ${SUBNET_A} (10.0.1.0/24) by address range; rules naming security groups or prefix lists are not counted.`,
          fix: `aws ec2 authorize-security-group-ingress --group-id ${SHARED_ENDPOINT_GROUP} --protocol tcp --port 443 --cidr 10.0.1.0/24 --region eu-west-1`,
        },
      ]);
    });
  });
});
