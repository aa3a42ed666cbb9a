import type { StackName } from '../../modules/config';
import { managedAddresses } from '../support/plan-view';
import { DNS_OFF_VPC, expectedAddresses, plan, STUB_VPC, validate } from '../support/terraform';
import type { TerraformScenario } from './scenario';

/** Values each stack's variable validations must refuse at plan time, with the message Terraform prints. */
const REFUSED_VARIABLES: Record<StackName, [string, string, RegExp][]> = {
  'ecs-bastion': [['ecs_desired_count', '11', /ecs_desired_count must be a whole number from 0 to 10/]],
  'ec2-bastion': [
    ['ec2_instance_type', 't3.micro', /ec2_instance_type must be an arm64 instance type/],
    ['patch_schedule', 'cron(0 3 * * SUN *)', /patch_schedule must be a cron\(\.\.\.\) or rate\(\.\.\.\) expression/],
    ['patch_timezone', 'CET', /patch_timezone must be an IANA time zone name/],
  ],
};

/** One subnet more than the ECS service of ecs-bastion takes, as a Terraform list for -var. */
const SEVENTEEN_SUBNETS = JSON.stringify(Array.from({ length: 17 }, (_, i) => `subnet-${String(i).padStart(8, '0')}`));

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

/**
 * Registers the Terraform stage of a scenario (inside its describe, whose beforeAll synthesized and
 * initialised the JSON): validate, then offline plans enabled and parked, the variables' validations, and in
 * an existing VPC what the endpoints admit and the DNS guard.
 */
export function describeTerraformStage(scenario: TerraformScenario): void {
  describe('Terraform stage: the JSON synthesis, validated and planned offline', () => {
    const refused: [string, string, RegExp][] = [
      ...REFUSED_VARIABLES[scenario.stackName],
      ['log_retention_days', '100', /log_retention_days must be a period CloudWatch Logs accepts/],
      ...(scenario.existingVpc ? ([['vpc_id', 'my-vpc', /vpc_id must be a VPC id/]] as [string, string, RegExp][]) : []),
      ...(scenario.existingVpc && scenario.stackName === 'ecs-bastion'
        ? ([['subnet_ids', SEVENTEEN_SUBNETS, /subnet_ids may list at most 16 subnets/]] as [string, string, RegExp][])
        : []),
    ];
    // Terraform checks every variable before planning and reports each failed validation: one plan with
    // every bad value proves each validation on its own (each message names its variable).
    const refusedOutput = once(() => failedPlanOutput(scenario.jsonDir, Object.fromEntries(refused.map(([name, value]) => [name, value]))));

    it('passes terraform validate', () => {
      const result = validate(scenario.jsonDir);
      expect(result.diagnostics).toEqual([]);
      expect(result.valid).toBe(true);
    }, 120_000);

    it('plans offline, creating exactly the resources the stack defines', async () => {
      expect(managedAddresses(await scenario.defaultsPlan())).toEqual(expectedAddresses(scenario.json, true));
    }, 120_000);

    it('plans offline when parked (bastion_enabled=false), without the counted resources', async () => {
      const expected = expectedAddresses(scenario.json, false);
      expect(managedAddresses(await scenario.parkedPlan())).toEqual(expected);
      expect(expected.length).toBeLessThan(expectedAddresses(scenario.json, true).length);
    }, 120_000);

    it.each(refused)(
      'refuses %s=%s through the variable validation',
      (_name, _value, message) => {
        expect(refusedOutput()).toMatch(message);
      },
      120_000,
    );

    if (scenario.existingVpc) {
      it('admits HTTPS into the endpoints from every block of the VPC it reads, and nothing wider, with no S3 gateway endpoint', async () => {
        const planned = Object.entries((await scenario.defaultsPlan()).resources)
          .filter(([, block]) => block.mode === 'managed')
          .map(([address, block]) => ({
            address,
            type: block.type,
            values: block.values ?? {},
          }));
        const fromVpc = planned.filter((r) => r.address.includes('endpoints-from-vpc'));
        expect(fromVpc.map((r) => r.values.cidr_ipv4).sort()).toEqual([...STUB_VPC.cidrBlocks].sort());
        for (const rule of fromVpc)
          expect(rule.values).toMatchObject({
            from_port: 443,
            to_port: 443,
            ip_protocol: 'tcp',
          });
        const ingress = planned.filter((r) => r.type === 'aws_vpc_security_group_ingress_rule');
        expect(ingress.some((r) => ['0.0.0.0/0', '::/0'].includes(String(r.values.cidr_ipv4 ?? r.values.cidr_ipv6)))).toBe(false);
        expect(planned.filter((r) => r.type === 'aws_vpc_endpoint' && r.values.vpc_endpoint_type === 'Gateway')).toEqual([]);
      }, 120_000);

      // The provider reads a VPC the stub describes with both attributes off; every failed postcondition is
      // reported, each naming its attribute.
      const dnsOffOutput = once(() => failedPlanOutput(scenario.jsonDir, { vpc_id: DNS_OFF_VPC.vpcId }));
      it.each(['enableDnsHostnames', 'enableDnsSupport'])(
        'fails the plan, naming %s, when the VPC has it off',
        (attribute) => {
          expect(dnsOffOutput()).toMatch(new RegExp(`has ${attribute} turned off.*private DNS needs it`, 's'));
        },
        120_000,
      );
    }
  });
}
