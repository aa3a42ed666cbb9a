/**
 * Network ACLs as AWS evaluates them: one direction's rules in rule-number order, the first match decides, nothing
 * matched is denied; both legs of a call and of its reply. Pure: no SDK mock.
 */
import { EPHEMERAL, HTTPS, legText, naclAdmits, networkAclOf, refusedHttpsLegs } from '../../cli/preflight/nacl';
import { aclEntry, networkAcl } from './preflight-world';

const ALL = [aclEntry(false, 100, 'allow', '0.0.0.0/0'), aclEntry(true, 100, 'allow', '0.0.0.0/0')];

describe('naclAdmits', () => {
  test('the default ACL admits everything; an ACL without rules only has its * deny', () => {
    expect(naclAdmits(networkAcl('acl-1', [], ALL), 'ingress', '10.0.1.0/24', HTTPS)).toBe(true);
    expect(naclAdmits(networkAcl('acl-1', [], ALL), 'egress', '10.0.1.0/24', EPHEMERAL)).toBe(true);
    expect(naclAdmits(networkAcl('acl-1', [], []), 'ingress', '10.0.1.0/24', HTTPS)).toBe(false);
  });

  test('the lowest rule number decides, whatever the order AWS lists them in', () => {
    const denyFirst = networkAcl('acl-1', [], [aclEntry(false, 200, 'allow', '0.0.0.0/0'), aclEntry(false, 100, 'deny', '10.0.1.0/24', [443, 443])]);
    expect(naclAdmits(denyFirst, 'ingress', '10.0.1.0/24', HTTPS)).toBe(false);
    expect(naclAdmits(denyFirst, 'ingress', '10.0.2.0/24', HTTPS)).toBe(true);
    const allowFirst = networkAcl('acl-1', [], [aclEntry(false, 300, 'deny', '10.0.1.0/24'), aclEntry(false, 100, 'allow', '10.0.0.0/16', [443, 443])]);
    expect(naclAdmits(allowFirst, 'ingress', '10.0.1.0/24', HTTPS)).toBe(true);
  });

  test('a range is admitted only if every address is: a deny on part of it refuses it', () => {
    const acl = networkAcl('acl-1', [], [aclEntry(true, 90, 'deny', '10.0.1.128/25'), aclEntry(true, 100, 'allow', '0.0.0.0/0')]);
    expect(naclAdmits(acl, 'egress', '10.0.1.0/24', HTTPS)).toBe(false);
    expect(naclAdmits(acl, 'egress', '10.0.1.0/25', HTTPS)).toBe(true);
  });

  test('two allow rules that together cover the range admit it', () => {
    const acl = networkAcl('acl-1', [], [aclEntry(false, 100, 'allow', '10.0.1.0/25', [443, 443]), aclEntry(false, 110, 'allow', '10.0.1.128/25', [443, 443])]);
    expect(naclAdmits(acl, 'ingress', '10.0.1.0/24', HTTPS)).toBe(true);
  });

  test('every port of the range must be admitted: 49152-65535 leaves out Linux replies, 1024-61000 Windows ones', () => {
    const windowsOnly = networkAcl('acl-1', [], [aclEntry(false, 100, 'allow', '0.0.0.0/0', [49152, 65535])]);
    expect(naclAdmits(windowsOnly, 'ingress', '10.0.1.0/24', EPHEMERAL)).toBe(false);
    const linuxOnly = networkAcl('acl-1', [], [aclEntry(false, 100, 'allow', '0.0.0.0/0', [1024, 61000])]);
    expect(naclAdmits(linuxOnly, 'ingress', '10.0.1.0/24', EPHEMERAL)).toBe(false);
    const wide = networkAcl('acl-1', [], [aclEntry(false, 100, 'allow', '0.0.0.0/0', [1024, 65535])]);
    expect(naclAdmits(wide, 'ingress', '10.0.1.0/24', EPHEMERAL)).toBe(true);
  });

  test('UDP rules and IPv6 rules do not match HTTPS over IPv4; the other direction does not count', () => {
    const acl = networkAcl('acl-1', [], [
      { ...aclEntry(false, 100, 'allow', '0.0.0.0/0', [443, 443]), Protocol: '17' },
      { Egress: false, RuleNumber: 110, RuleAction: 'allow', Protocol: '-1', Ipv6CidrBlock: '::/0' },
      aclEntry(true, 100, 'allow', '0.0.0.0/0'),
    ]);
    expect(naclAdmits(acl, 'ingress', '10.0.1.0/24', HTTPS)).toBe(false);
  });

  test('ICMP and other non-TCP rules neither admit nor refuse TCP: an ICMP deny ahead of an allow does not block HTTPS', () => {
    const icmpDeny = networkAcl('acl-1', [], [{ ...aclEntry(false, 90, 'deny', '0.0.0.0/0'), Protocol: '1' }, aclEntry(false, 100, 'allow', '0.0.0.0/0', [443, 443])]);
    expect(naclAdmits(icmpDeny, 'ingress', '10.0.1.0/24', HTTPS)).toBe(true);
    const icmpAllow = networkAcl('acl-1', [], [{ ...aclEntry(false, 100, 'allow', '0.0.0.0/0'), Protocol: '1' }]);
    expect(naclAdmits(icmpAllow, 'ingress', '10.0.1.0/24', HTTPS)).toBe(false);
  });

  // CreateNetworkAclEntry, Protocol: "If you specify "-1" …, traffic on all ports is allowed, regardless of any ports … that you specify."
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html
  test('a rule for every protocol matches every port, even if it carries a port range', () => {
    const acl = networkAcl('acl-1', [], [{ ...aclEntry(false, 100, 'allow', '0.0.0.0/0'), PortRange: { From: 22, To: 22 } }]);
    expect(naclAdmits(acl, 'ingress', '10.0.1.0/24', HTTPS)).toBe(true);
    expect(naclAdmits(acl, 'ingress', '10.0.1.0/24', EPHEMERAL)).toBe(true);
  });

  test('a packet no listed rule matches is denied, even if the * rule is missing from the list', () => {
    const acl = { NetworkAclId: 'acl-1', Entries: [aclEntry(false, 100, 'allow', '10.0.0.0/16', [443, 443])] };
    expect(naclAdmits(acl, 'ingress', '10.0.1.0/24', HTTPS)).toBe(true);
    expect(naclAdmits(acl, 'ingress', '192.168.1.0/24', HTTPS)).toBe(false);
  });
});

describe('refusedHttpsLegs', () => {
  const open = networkAcl('acl-open', ['subnet-app'], ALL);
  const db = networkAcl('acl-db', ['subnet-db'], [aclEntry(false, 100, 'allow', '10.0.8.0/24', [5432, 5432]), aclEntry(true, 100, 'allow', '10.0.8.0/24')]);
  const app = { id: 'subnet-app', cidr: '10.0.8.0/24', acl: open };
  const endpoints = { id: 'subnet-db', cidr: '10.0.1.0/24', acl: db };

  test('each leg of the request and of the reply, in the ACL that refuses it', () => {
    expect(refusedHttpsLegs(app, endpoints).map(legText)).toEqual(['acl-db inbound TCP 443 from 10.0.8.0/24']);
    expect(refusedHttpsLegs(endpoints, app).map(legText)).toEqual(['acl-db inbound TCP 32768-65535 from 10.0.8.0/24']);
  });

  test('a call inside one subnet crosses no ACL; open ACLs refuse nothing', () => {
    expect(refusedHttpsLegs(endpoints, endpoints)).toEqual([]);
    expect(refusedHttpsLegs(app, { ...endpoints, acl: open })).toEqual([]);
  });

  test('a subnet uses the ACL it is associated with', () => {
    expect(networkAclOf('subnet-db', [open, db])?.NetworkAclId).toBe('acl-db');
    expect(networkAclOf('subnet-none', [open, db])).toBeUndefined();
  });
});
