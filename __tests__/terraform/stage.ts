import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BastionConfigInput, StackName } from '../../modules/config';
import {
  cleanUp,
  ec2StubUrl,
  expectedAddresses,
  init,
  plan,
  requireTerraform,
  STUB_VPC,
  synthToDisk,
  terraformSkipped,
  validate,
} from '../support/terraform';
import type { ProviderSource } from '../support/terraform-provider';

/** Network variants every stack is planned in. */
export const NETWORK_VARIANTS: Record<string, BastionConfigInput> = {
  'a new VPC': {
    targets: [
      { name: 'aurora', port: 5432, securityGroupId: 'sg-0123456789abcdef0', host: 'db.cluster-abc.eu-west-1.rds.amazonaws.com' },
      { name: 'redis', port: 6379, cidr: '10.42.200.0/24' },
    ],
  },
  'an existing VPC': {
    network: {
      mode: 'existing',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      routeTableIds: ['rtb-0123456789abcdef0'],
    },
    endpoints: { singleAz: true },
    audit: { s3Archive: false, logRetentionDays: 30 },
    targets: [{ name: 'opensearch', port: 443, securityGroupId: 'sg-0fedcba9876543210', addIngressRule: false }],
  },
};

/** Values each stack's variable validations must refuse at plan time, with the message Terraform prints. */
const REFUSED_VARIABLES: Record<StackName, [string, string, RegExp][]> = {
  'ecs-bastion': [['ecs_desired_count', '11', /ecs_desired_count must be a whole number from 0 to 10/]],
  'ec2-bastion': [
    ['ec2_instance_type', 't3.micro', /ec2_instance_type must be an arm64 instance type/],
    ['patch_schedule', 'weekly', /patch_schedule must be a cron\(\.\.\.\) or rate\(\.\.\.\) expression/],
    ['patch_timezone', 'CET', /patch_timezone must be an IANA time zone name/],
  ],
};

/** The value of `compute`, computed on first use and kept. */
function once<T>(compute: () => T): () => T {
  let value: { readonly result: T } | undefined;
  return () => (value ??= { result: compute() }).result;
}

/** The output of a plan that must fail (throws when it succeeds). */
function failedPlanOutput(dir: string, vars: Record<string, string>): string {
  try {
    plan(dir, vars, 'failing.plan');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`the plan with ${JSON.stringify(vars)} succeeded`);
}

/** Registers the Terraform stage for one stack: validate, then an offline plan enabled and parked. */
export function describeTerraformStage(stackName: StackName): void {
  const describeOrSkip = terraformSkipped() ? describe.skip : describe;
  describeOrSkip(`Terraform stage: ${stackName} with the real AWS provider`, () => {
    let provider: ProviderSource;
    beforeAll(() => {
      provider = requireTerraform().provider;
    });

    for (const [variant, input] of Object.entries(NETWORK_VARIANTS)) {
      describe(`in ${variant}`, () => {
        let root: string;
        let stackDir: string;
        let tf: { resource?: Record<string, Record<string, { count?: unknown }>> };
        // Each plan is made once and shared by the tests that read it: a plan takes seconds.
        const enabledPlan = once(() => plan(stackDir, {}, 'enabled.plan'));
        const parkedPlan = once(() => plan(stackDir, { bastion_enabled: 'false' }, 'parked.plan'));
        const existing = input.network?.mode === 'existing';
        const refused: [string, string, RegExp][] = [
          ...REFUSED_VARIABLES[stackName],
          ['log_retention_days', '100', /log_retention_days must be a period CloudWatch Logs accepts/],
          ...(existing ? ([['vpc_id', 'my-vpc', /vpc_id must be a VPC id/]] as [string, string, RegExp][]) : []),
        ];
        // Terraform checks every variable before planning and reports each failed validation: one plan with
        // every bad value proves each validation on its own (each message names its variable).
        const refusedOutput = once(() => failedPlanOutput(stackDir, Object.fromEntries(refused.map(([name, value]) => [name, value]))));

        beforeAll(() => {
          ({ root, stackDir } = synthToDisk(stackName, input));
          tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
          init(stackDir, provider);
        }, 120_000);
        afterAll(() => root && cleanUp(root));

        it('passes terraform validate', () => {
          const result = validate(stackDir);
          expect(result.diagnostics).toEqual([]);
          expect(result.valid).toBe(true);
        }, 120_000);

        it('plans offline, creating exactly the resources the stack defines', () => {
          const planned = enabledPlan().map((r) => r.address).sort();
          expect(planned).toEqual(expectedAddresses(tf, true));
        }, 120_000);

        it('plans offline when parked (bastion_enabled=false), without the counted resources', () => {
          const planned = parkedPlan().map((r) => r.address).sort();
          const expected = expectedAddresses(tf, false);
          expect(planned).toEqual(expected);
          expect(expected.length).toBeLessThan(expectedAddresses(tf, true).length);
        }, 120_000);

        it.each(refused)('refuses %s=%s through the variable validation', (_name, _value, message) => {
          expect(refusedOutput()).toMatch(message);
        }, 120_000);

        if (existing) {
          it('admits HTTPS into the endpoints from every block of the VPC it reads, and nothing wider, with no S3 gateway endpoint', () => {
            const planned = enabledPlan();
            const fromVpc = planned.filter((r) => r.address.includes('endpoints-from-vpc'));
            expect(fromVpc.map((r) => r.values.cidr_ipv4).sort()).toEqual([...STUB_VPC.cidrBlocks].sort());
            for (const rule of fromVpc) expect(rule.values).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: 'tcp' });
            const ingress = planned.filter((r) => r.type === 'aws_vpc_security_group_ingress_rule');
            expect(ingress.some((r) => ['0.0.0.0/0', '::/0'].includes(String(r.values.cidr_ipv4 ?? r.values.cidr_ipv6)))).toBe(false);
            expect(planned.filter((r) => r.type === 'aws_vpc_endpoint' && r.values.vpc_endpoint_type === 'Gateway')).toEqual([]);
          }, 120_000);

          // An override file points the provider at a stub describing a VPC with both attributes off (Terraform
          // merges *_override files); every failed postcondition is reported, each naming its attribute.
          const dnsOffOutput = once(() => {
            const override = join(stackDir, 'dns_override.tf.json');
            const stub = ec2StubUrl({ ...STUB_VPC, dnsHostnames: false, dnsSupport: false });
            writeFileSync(override, JSON.stringify({ provider: { aws: [{ endpoints: [{ ec2: stub }] }] } }));
            try {
              return failedPlanOutput(stackDir, {});
            } finally {
              rmSync(override);
            }
          });
          it.each(['enableDnsHostnames', 'enableDnsSupport'])('fails the plan, naming %s, when the VPC has it off', (attribute) => {
            expect(dnsOffOutput()).toMatch(new RegExp(`has ${attribute} turned off.*private DNS needs it`, 's'));
          }, 120_000);
        }
      });
    }
  });
}
