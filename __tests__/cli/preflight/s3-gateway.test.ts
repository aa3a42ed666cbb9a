/** `bastion preflight` into an existing VPC: the S3 gateway endpoint the bastion's subnets route through. */
import { RTB_A, RTB_B, RTB_MAIN, S3_ENDPOINT, S3_GATEWAY, SUBNET_A, SUBNET_APP, SUBNET_B, VPC_ID, world } from '../preflight-world';
import { EXISTING, existingNetwork, levels, ofCheck, preflightHarness, withConfig } from './harness';

const { ec2Mock, preflightJson } = preflightHarness();

describe('bastion preflight: an existing VPC', () => {
  describe('the S3 gateway endpoint', () => {
    const createS3 = withConfig({ ...existingNetwork({ routeTableIds: [RTB_A, RTB_B] }), endpoints: { s3: 'create' } });

    test('"create" where a route table already carries an S3 endpoint: a blocker per table, suggesting "existing"', async () => {
      const { code, findings, document } = await preflightJson(createS3, world());
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual(
        [RTB_A, RTB_B].map((table) => ({
          level: 'blocker',
          check: 'endpoints.s3',
          message: `${table} already carries the S3 route of ${S3_ENDPOINT}: a route table takes the S3 prefix-list route of one gateway endpoint only, so creating this stack's fails (RouteAlreadyExists).`,
          fix: `Set endpoints.s3 to "existing": the bastion then uses ${S3_ENDPOINT}.`,
        })),
      );
      expect(document.suggested).toMatchObject({ network: { routeTableIds: [] }, endpoints: { s3: 'existing' } });
    });

    test('"existing" with the endpoint on the subnets\' route tables: ok', async () => {
      const { code, findings } = await preflightJson(EXISTING, world());
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        { level: 'ok', check: 'endpoints.s3', message: `The bastion reaches S3 through ${S3_ENDPOINT}, on ${RTB_A} and ${RTB_B}.` },
      ]);
    });

    test('"existing" with an endpoint policy of its own: a warning to check it', async () => {
      const w = world();
      w.endpoints = [{ ...S3_GATEWAY, PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-bucket/*' }] }) }];
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(0);
      expect(levels(ofCheck(findings, 'endpoints.s3'))).toEqual(['ok', 'warning']);
      expect(ofCheck(findings, 'endpoints.s3')[1]!.message).toMatch(new RegExp(`^${S3_ENDPOINT} has a policy of its own: make sure it allows`));
    });

    test('"existing" where a subnet\'s route table has no S3 route and no NAT: a blocker that says how to add the table', async () => {
      const w = world();
      w.endpoints = [{ ...S3_GATEWAY, RouteTableIds: [RTB_A] }];
      const { code, findings, document } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        {
          level: 'blocker',
          check: 'endpoints.s3',
          message: `endpoints.s3 is "existing", but ${SUBNET_B}'s route table ${RTB_B} carries no S3 gateway endpoint route and no NAT route: the bastion there cannot reach S3, which ec2-bastion (Patch Manager downloads patches and baselines from S3) needs.`,
          fix: `Put the VPC's S3 endpoint on that route table: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${S3_ENDPOINT} --add-route-table-ids ${RTB_B} --region eu-west-1`,
        },
        { level: 'ok', check: 'endpoints.s3', message: `The bastion reaches S3 through ${S3_ENDPOINT}, on ${RTB_A}.` },
      ]);
      expect(document.suggested.endpoints).toMatchObject({ s3: 'existing' });
    });

    test('"existing" where the route table goes out through a NAT: a warning (S3 through the NAT)', async () => {
      const w = world();
      w.endpoints = [];
      for (const table of w.routeTables.filter((t) => t.RouteTableId !== RTB_MAIN)) {
        table.Routes = [...table.Routes!, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a0a0a0a0a0a0a0a0', State: 'active' }];
      }
      const { code, findings } = await preflightJson(withConfig({ endpoints: { ssm: 'create' } }), w);
      expect(code).toBe(0);
      expect(levels(ofCheck(findings, 'endpoints.s3'))).toEqual(['warning', 'warning']);
      expect(ofCheck(findings, 'endpoints.s3')[0]!.message).toBe(
        `${SUBNET_A} (${RTB_A}) has no S3 gateway endpoint route: its S3 traffic goes through nat-0a0a0a0a0a0a0a0a0, at NAT data-processing prices.`,
      );
    });

    test('"existing" where the route table goes out through an internet gateway: still a blocker (the bastion has no public IP)', async () => {
      const w = world();
      w.endpoints = [{ ...S3_GATEWAY, RouteTableIds: [RTB_A] }];
      w.routeTables.find((t) => t.RouteTableId === RTB_B)!.Routes!.push({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a0a0a0a0a0a0a0a0', State: 'active' });
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.s3').map((f) => [f.level, f.message.split(':')[0]])).toEqual([
        ['blocker', `endpoints.s3 is "existing", but ${SUBNET_B}'s route table ${RTB_B} carries no S3 gateway endpoint route and no NAT route`],
        ['ok', `The bastion reaches S3 through ${S3_ENDPOINT}, on ${RTB_A}.`],
      ]);
    });

    test('"create" on a route table other subnets use: a warning (their S3 traffic changes path; the open policy refuses nothing)', async () => {
      const w = world();
      w.endpoints = [];
      w.routeTables.find((t) => t.RouteTableId === RTB_A)!.Associations!.push({ SubnetId: SUBNET_APP });
      w.routeTables.find((t) => t.RouteTableId === RTB_MAIN)!.Associations = [{ Main: true }];
      const { code, findings } = await preflightJson(createS3, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        {
          level: 'warning',
          check: 'endpoints.s3',
          message: `${RTB_A} also serves ${SUBNET_APP}: their S3 traffic in this region will go through the endpoint this stack creates (AWS's default full-access policy, so the endpoint refuses nothing), and it goes away if the stack is destroyed. Bucket and IAM policies that admit or refuse them by aws:SourceIp (their NAT's address) stop matching: through a gateway endpoint aws:SourceIp matches no address.`,
          fix: 'If other teams own those subnets, add the S3 gateway endpoint to the VPC yourself and set endpoints.s3 to "existing".',
        },
        { level: 'ok', check: 'endpoints.s3', message: `This stack creates the S3 gateway endpoint, on ${RTB_A} and ${RTB_B}.` },
      ]);
    });

    test('"create" on the main route table: a warning while another subnet uses it implicitly, no warning once none does', async () => {
      const w = world();
      w.endpoints = [];
      w.routeTables = w.routeTables.filter((t) => t.RouteTableId === RTB_MAIN);
      const onMain = withConfig({ ...existingNetwork({ routeTableIds: [RTB_MAIN] }), endpoints: { s3: 'create' } });
      const shared = await preflightJson(onMain, w);
      expect(ofCheck(shared.findings, 'endpoints.s3').map((f) => [f.level, f.message.split(':')[0]])).toEqual([
        ['warning', `${RTB_MAIN} also serves ${SUBNET_APP} (it is the main route table)`],
        ['ok', `This stack creates the S3 gateway endpoint, on ${RTB_MAIN}.`.split(':')[0]],
      ]);
      ec2Mock.reset();
      w.subnets = w.subnets.filter((s) => s.SubnetId !== SUBNET_APP);
      const alone = await preflightJson(onMain, w);
      expect(ofCheck(alone.findings, 'endpoints.s3')).toEqual([
        { level: 'ok', check: 'endpoints.s3', message: `This stack creates the S3 gateway endpoint, on ${RTB_MAIN}.` },
      ]);
    });

    test('"create" on dedicated route tables of a VPC without S3 endpoint: ok', async () => {
      const w = world();
      w.endpoints = [];
      const { code, findings } = await preflightJson(createS3, w);
      expect(code).toBe(0);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        { level: 'ok', check: 'endpoints.s3', message: `This stack creates the S3 gateway endpoint, on ${RTB_A} and ${RTB_B}.` },
      ]);
    });

    test('"create" with a route table the VPC does not have: a blocker (the endpoint\'s route would go nowhere)', async () => {
      const w = world();
      w.endpoints = [];
      const config = withConfig({ ...existingNetwork({ routeTableIds: [RTB_A, RTB_B, 'rtb-0123456789abcdef9'] }), endpoints: { s3: 'create' } });
      const { code, findings } = await preflightJson(config, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'route-tables').map((f) => [f.level, f.message])).toEqual([['blocker', `rtb-0123456789abcdef9 is not a route table of ${VPC_ID}.`]]);
    });

    test('"create" without the route table of a subnet: a blocker (that subnet would have no S3)', async () => {
      const w = world();
      w.endpoints = [];
      const config = withConfig({ ...existingNetwork({ routeTableIds: [RTB_A] }), endpoints: { s3: 'create' } });
      const { code, findings, document } = await preflightJson(config, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'route-tables')).toEqual([
        {
          level: 'blocker',
          check: 'route-tables',
          message: `${SUBNET_B} uses route table ${RTB_B}, which is not in network.routeTableIds: the S3 endpoint this stack creates would not serve it, and it has no NAT route: the bastion there cannot reach S3.`,
          fix: `Add ${RTB_B} to network.routeTableIds.`,
        },
      ]);
      expect(document.suggested).toMatchObject({ network: { routeTableIds: [RTB_A, RTB_B] }, endpoints: { s3: 'create' } });
    });

    test('"existing" where the VPC\'s only S3 endpoint is being deleted: it does not count, a blocker per subnet without NAT', async () => {
      const w = world();
      w.endpoints = [{ ...S3_GATEWAY, State: 'deleting' as never }];
      const { code, findings } = await preflightJson(EXISTING, w);
      expect(code).toBe(1);
      expect(ofCheck(findings, 'endpoints.s3').map((f) => [f.level, f.message.split(':')[0]])).toEqual([
        ['blocker', `endpoints.s3 is "existing", but ${SUBNET_A}'s route table ${RTB_A} carries no S3 gateway endpoint route and no NAT route`],
        ['blocker', `endpoints.s3 is "existing", but ${SUBNET_B}'s route table ${RTB_B} carries no S3 gateway endpoint route and no NAT route`],
      ]);
    });

    test('"create" on the main route table: subnets explicitly associated with another table are not served by it', async () => {
      const w = world();
      w.endpoints = [];
      const RTB_APP = 'rtb-0cccccccccccccc03';
      w.routeTables = [...w.routeTables.filter((t) => t.RouteTableId === RTB_MAIN), { RouteTableId: RTB_APP, VpcId: VPC_ID, Associations: [{ SubnetId: SUBNET_APP }], Routes: [] }];
      const onMain = withConfig({ ...existingNetwork({ routeTableIds: [RTB_MAIN] }), endpoints: { s3: 'create' } });
      const { findings } = await preflightJson(onMain, w);
      expect(ofCheck(findings, 'endpoints.s3')).toEqual([
        { level: 'ok', check: 'endpoints.s3', message: `This stack creates the S3 gateway endpoint, on ${RTB_MAIN}.` },
      ]);
    });

    test('no S3 endpoint and route tables other subnets share: the settings keep S3 on the NAT ("existing") where there is one, else "create"', async () => {
      const w = world();
      w.endpoints = [];
      w.routeTables.find((t) => t.RouteTableId === RTB_A)!.Associations!.push({ SubnetId: SUBNET_APP });
      w.routeTables.find((t) => t.RouteTableId === RTB_MAIN)!.Associations = [{ Main: true }];
      const noNat = await preflightJson(createS3, w);
      expect(noNat.document.suggested.endpoints).toMatchObject({ s3: 'create' });
      ec2Mock.reset();
      for (const table of w.routeTables.filter((t) => t.RouteTableId !== RTB_MAIN)) {
        table.Routes = [...table.Routes!, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a0a0a0a0a0a0a0a0', State: 'active' }];
      }
      const viaNat = await preflightJson(createS3, w);
      expect(viaNat.document.suggested).toMatchObject({ network: { routeTableIds: [] }, endpoints: { s3: 'existing' } });
    });
  });
});
