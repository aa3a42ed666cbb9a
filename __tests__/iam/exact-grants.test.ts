import { attachedPolicies, grantLines } from '../support/grants';
import { resourcesOfType } from '../support/synth';
import { deployment, expectedPolicies, STACKS, VARIANTS } from './expected';

/**
 * Exact grants (issue #13): every policy document of both stacks, in every configuration that changes grants,
 * equals its table in ./expected: these actions on these resources, for these principals, under these
 * conditions, and nothing else. A role that gains a permission, a statement that loses a condition or a new
 * role without a table fails here; what each grant is for is tested next to its module, and whether AWS allows
 * the calls the bastion makes in __tests__/authorization.
 */

/** Types whose every resource must hold a document with a table (a policy-bearing aws_vpc_endpoint too). */
const POLICY_HOLDERS = ['aws_iam_role', 'aws_iam_role_policy', 'aws_iam_policy', 'aws_kms_key', 'aws_s3_bucket_policy'];

describe.each(STACKS)('exact grants of %s', (stack) => {
  describe.each(Object.entries(VARIANTS))('with %s', (_variant, input) => {
    const d = deployment(stack, input);
    const attached = attachedPolicies(d.tf);
    const expected = expectedPolicies(d);
    const labels = Object.keys(expected).sort();

    it('holds exactly the policy documents the tables list, no more and no fewer', () => {
      expect(attached.map((policy) => policy.label).sort()).toEqual(labels);
    });

    it('has a table for every role, managed policy, key, bucket policy and endpoint policy it creates', () => {
      const covered = new Set(attached.filter((policy) => policy.label in expected).map((policy) => policy.holder.split('.').slice(0, 2).join('.')));
      const holders = POLICY_HOLDERS.flatMap((type) => Object.keys(resourcesOfType(d.tf, type)).map((name) => `${type}.${name}`));
      const endpoints = Object.entries(resourcesOfType(d.tf, 'aws_vpc_endpoint'))
        .filter(([, body]) => body.policy !== undefined)
        .map(([name]) => `aws_vpc_endpoint.${name}`);
      expect(holders.length).toBeGreaterThan(0);
      expect([...holders, ...endpoints].filter((address) => !covered.has(address))).toEqual([]);
    });

    it.each(labels)('%s grants exactly what its table lists', (label) => {
      const found = attached.filter((policy) => policy.label === label);
      expect(found.map((policy) => policy.holder)).toHaveLength(1);
      expect(grantLines(found[0].statements)).toEqual(grantLines(expected[label]));
    });
  });
});
