/**
 * `bastion preflight` into a VPC another account owns and shares with this one (AWS RAM): a participant may create
 * security groups and network interfaces there, and no endpoint; it may change only its own security groups.
 */
import { ACCOUNT, DB_GROUP, interfaceEndpoint, OWNER_ACCOUNT, VPC_ID, type World, world } from '../preflight-world';
import { EXISTING, levels, ofCheck, preflightHarness, sharedSsmEndpoints, withConfig } from './harness';

const { preflightJson } = preflightHarness();

/** The world's VPC, owned by another account; the database's group stays this account's. */
function sharedWorld(): World {
  const w = world();
  w.vpcs[0]!.OwnerId = OWNER_ACCOUNT;
  return w;
}

const SHARED = `${VPC_ID} belongs to account ${OWNER_ACCOUNT} and is shared with this account (${ACCOUNT}) through AWS RAM`;

describe('bastion preflight: a VPC shared with this account', () => {
  test('each endpoint group the stack would create: a blocker with the way out, and the suggested settings use "existing"', async () => {
    const { code, findings, document } = await preflightJson(EXISTING, sharedWorld());
    expect(code).toBe(1);
    expect(ofCheck(findings, 'vpc-sharing')).toEqual(
      [
        ['ssm', 'the ssm, ssmmessages and ec2messages endpoints'],
        ['logs', 'the logs endpoint'],
        ['kms', 'the kms endpoint'],
      ].map(([group, what]) => ({
        level: 'blocker',
        check: 'vpc-sharing',
        message: `${SHARED}: only the VPC owner may create interface and gateway endpoints in it, so creating ${what} fails ("This operation does not support shared VPCs").`,
        fix: `Ask the owner (${OWNER_ACCOUNT}) to create ${what} with private DNS, admitting HTTPS from the bastion subnets, and set endpoints.${group} to "existing".`,
      })),
    );
    expect(document.suggested.endpoints).toMatchObject({ ssm: 'existing', logs: 'existing', kms: 'existing', s3: 'existing' });
  });

  test('the S3 gateway endpoint too: the route tables are the owner\'s', async () => {
    const config = withConfig({ endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing', s3: 'create' }, network: { ...EXISTING.network, routeTableIds: ['rtb-0aaaaaaaaaaaaaaa1'] } });
    const w = sharedWorld();
    w.endpoints = [...sharedSsmEndpoints(), interfaceEndpoint('logs', 'vpce-0logs'), interfaceEndpoint('kms', 'vpce-0kms')];
    const { findings, document } = await preflightJson(config, w);
    expect(ofCheck(findings, 'vpc-sharing')).toEqual([
      {
        level: 'blocker',
        check: 'vpc-sharing',
        message: `${SHARED}: only the VPC owner may create interface and gateway endpoints in it, so creating the S3 gateway endpoint (on route tables the owner keeps) fails ("This operation does not support shared VPCs").`,
        fix: `Ask the owner (${OWNER_ACCOUNT}) to put its S3 gateway endpoint on the bastion subnets' route tables, and set endpoints.s3 to "existing".`,
      },
    ]);
    expect(document.suggested.endpoints).toMatchObject({ s3: 'existing' });
  });

  test('with the owner\'s endpoints in use, nothing but security groups and the bastion is created: ok', async () => {
    const w = sharedWorld();
    w.endpoints.push(...sharedSsmEndpoints(), interfaceEndpoint('logs', 'vpce-0logs'), interfaceEndpoint('kms', 'vpce-0kms'));
    const { code, findings } = await preflightJson(withConfig({ endpoints: { ssm: 'existing', logs: 'existing', kms: 'existing' } }), w);
    expect(code).toBe(0);
    expect(ofCheck(findings, 'vpc-sharing')).toEqual([
      { level: 'ok', check: 'vpc-sharing', message: `${SHARED}: the stack creates no endpoint there, only its security groups and the bastion, which a participant may.` },
    ]);
  });

  test('an ingress rule on another account\'s target group is refused; addIngressRule false is the way out', async () => {
    const w = sharedWorld();
    w.endpoints.push(...sharedSsmEndpoints(), interfaceEndpoint('logs', 'vpce-0logs'), interfaceEndpoint('kms', 'vpce-0kms'));
    w.securityGroups.find((g) => g.GroupId === DB_GROUP)!.OwnerId = OWNER_ACCOUNT;
    const endpoints = { ssm: 'existing', logs: 'existing', kms: 'existing' };
    const { findings } = await preflightJson(withConfig({ endpoints }), w);
    expect(ofCheck(findings, 'vpc-sharing')).toEqual([
      {
        level: 'blocker',
        check: 'vpc-sharing',
        message: `targets[0] "aurora": ${DB_GROUP} belongs to account ${OWNER_ACCOUNT}: a participant may change only its own security groups, so adding the ingress rule for the bastion fails.`,
        fix: 'Set targets[0].addIngressRule to false, and ask the group\'s owner to admit the bastion\'s security group (output bastion_security_group_id) on TCP 5432.',
      },
    ]);
    const targets = [{ name: 'aurora', port: 5432, securityGroupId: DB_GROUP, addIngressRule: false }];
    expect(levels(ofCheck((await preflightJson(withConfig({ endpoints, targets }), w)).findings, 'vpc-sharing'))).toEqual(['ok']);
  });

  test('a target group this account cannot see: the blocker says a shared VPC hides other accounts\' groups', async () => {
    const w = sharedWorld();
    w.securityGroups = w.securityGroups.filter((g) => g.GroupId !== DB_GROUP);
    const [finding] = ofCheck((await preflightJson(EXISTING, w)).findings, 'targets');
    expect(finding!.fix).toBe(
      'Fix the securityGroupId of the target (the security group of the database). If it is another account\'s group in this shared VPC, which this account cannot see or change, set targets[0].addIngressRule to false and ask its owner to admit the bastion.',
    );
  });

  test('a VPC of this account: ok', async () => {
    const { findings } = await preflightJson(EXISTING, world());
    expect(ofCheck(findings, 'vpc-sharing')).toEqual([{ level: 'ok', check: 'vpc-sharing', message: `${VPC_ID} belongs to this account (${ACCOUNT}).` }]);
  });
});
