import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseConfig, STACK_NAMES } from '../../modules/config';
import { formatHclFiles, parseHcl } from '../../modules/hcl';
import { addBastionStacks } from '../../modules/stacks';
import { MOCK_DATA } from '../../scripts/hcl/mocks';
import { parseModule } from '../../scripts/hcl/module';
import { type ModuleTestFile, moduleTests } from '../../scripts/hcl/module-tests';
import { REFUSED_VALUES } from '../../scripts/hcl/refused-values';
import { init, offlineConfig, requireTerraform, terraformSkipped, terraformTest } from '../support/terraform';
import { NETWORK_VARIANTS } from '../terraform/variants';
import { hclOf } from './support';

/**
 * The generator of the tests shipped with each hand-off module (scripts/hcl/module-tests.ts): what it derives
 * from a module, and how it stops when a table lacks an entry. The shipped tests of the real stacks run in the
 * equivalence stage (shipped-tests.ts); here, a module shaped like existing-VPC mode with plan-time lookups
 * (data aws_vpc with a postcondition, its CIDRs in rules, aws_prefix_list) shows the mock values work.
 */

/** A module reading an existing VPC, parked by bastion_enabled, with an audit key and log group. */
const LOOKUP_MODULE = `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
provider "aws" {
  region = "eu-west-1"
}
variable "bastion_enabled" {
  type     = bool
  default  = true
  nullable = false
}
variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8}([0-9a-f]{9})?$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}
data "aws_vpc" "existing" {
  id = var.vpc_id
  lifecycle {
    postcondition {
      condition     = self.enable_dns_support && self.enable_dns_hostnames
      error_message = "The VPC needs DNS support and DNS hostnames for the interface endpoints."
    }
  }
}
data "aws_prefix_list" "s3" {
  name = "com.amazonaws.eu-west-1.s3"
}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:\${data.aws_partition.current.partition}:iam::\${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}
resource "aws_kms_key" "audit" {
  policy = data.aws_iam_policy_document.key.json
}
resource "aws_cloudwatch_log_group" "sessions" {
  name              = "/bastion/sessions"
  kms_key_id        = aws_kms_key.audit.arn
  retention_in_days = 30
}
resource "aws_security_group" "endpoints" {
  vpc_id = data.aws_vpc.existing.id
  lifecycle {
    precondition {
      condition     = length(data.aws_vpc.existing.cidr_block_associations) > 0
      error_message = "The VPC has no CIDR block."
    }
  }
}
resource "aws_vpc_security_group_ingress_rule" "from_vpc" {
  for_each          = toset(data.aws_vpc.existing.cidr_block_associations[*].cidr_block)
  security_group_id = aws_security_group.endpoints.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}
resource "aws_vpc_security_group_egress_rule" "to_s3" {
  security_group_id = aws_security_group.endpoints.id
  prefix_list_id    = data.aws_prefix_list.s3.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}
resource "aws_vpc_endpoint" "ssm" {
  count               = var.bastion_enabled ? 1 : 0
  vpc_id              = data.aws_vpc.existing.id
  service_name        = "com.amazonaws.\${data.aws_region.current.name}.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.endpoints.id]
}
output "key_arn" {
  value = aws_kms_key.audit.arn
}
output "vpc_cidrs" {
  value = data.aws_vpc.existing.cidr_block_associations[*].cidr_block
}
output "archive_bucket" {
  value = null
}
`;

const testsOf = async (hcl: string) => moduleTests(await parseModule(hcl));
const fileOf = (tests: ModuleTestFile[], path: string) => tests.find((file) => file.path === path)?.text ?? '';

describe('the tests generated with a hand-off module', () => {
  it.each(STACK_NAMES.flatMap((stack) => Object.entries(NETWORK_VARIANTS).map(([variant, input]) => [stack, variant, input] as const)))(
    'can be generated for %s in %s: every validated variable has refused values, every data source type mock values',
    async (stack, _variant, input) => {
      const config = parseConfig(offlineConfig({ ...input, stacks: [stack] }));
      const tests = await testsOf(hclOf((app) => addBastionStacks(app, config)).get(stack)!);
      expect(tests.map((file) => file.path)).toEqual(['tests/mocks/aws.tfmock.hcl', 'tests/parking.tftest.hcl', 'tests/variables.tftest.hcl']);
    },
  );

  it('stop, naming the entry to add, for a data source type without mock values', async () => {
    await expect(testsOf(`${LOOKUP_MODULE}\ndata "aws_ami" "bastion" {\n  owners = ["amazon"]\n}\n`)).rejects.toThrow(
      'add mock values for data.aws_ami in scripts/hcl/mocks.ts (MOCK_DATA)',
    );
  });

  it('stop, naming the entry to add, for a validated variable without refused values', async () => {
    const variable = `variable "session_timeout" {\n  type = number\n  validation {\n    condition     = var.session_timeout > 0\n    error_message = "session_timeout must be positive."\n  }\n}\n`;
    await expect(testsOf(`${LOOKUP_MODULE}\n${variable}`)).rejects.toThrow(
      'add bad values for variable "session_timeout" to REFUSED_VALUES in scripts/hcl/refused-values.ts',
    );
  });

  it('mock every data source type read, with the values of MOCK_DATA, and the ARN of exactly the resource types whose ARN is used', async () => {
    const mocks = await parseHcl(fileOf(await testsOf(LOOKUP_MODULE), 'tests/mocks/aws.tfmock.hcl'), 'aws.tfmock.hcl');
    const data = mocks.mock_data as Record<string, { defaults: unknown }[]>;
    expect(Object.keys(data).sort()).toEqual(['aws_caller_identity', 'aws_iam_policy_document', 'aws_partition', 'aws_prefix_list', 'aws_region', 'aws_vpc']);
    for (const [type, [block]] of Object.entries(data)) expect({ type, defaults: block.defaults }).toEqual({ type, defaults: MOCK_DATA[type] });
    // aws_kms_key.audit.arn is used; no other resource's ARN is.
    expect(Object.keys(mocks.mock_resource as object)).toEqual(['aws_kms_key']);
  });

  it('park: what the switch counts goes, the audit trail stays, outputs that are not null get a value', async () => {
    const parking = fileOf(await testsOf(LOOKUP_MODULE), 'tests/parking.tftest.hcl');
    expect(parking).toContain('condition = length(aws_vpc_endpoint.ssm) == 0');
    expect(parking).toContain('condition = length(aws_kms_key.audit[*]) > 0');
    expect(parking).toContain('condition = length(aws_cloudwatch_log_group.sessions[*]) > 0');
    expect(parking).toContain('condition = output.vpc_cidrs != null');
    expect(parking).not.toContain('output.archive_bucket');
    expect(parking).not.toContain('aws_vpc_security_group_ingress_rule');
  });

  it('park: the session archive stays, the ECS service scales to zero, a gateway endpoint (free) is not expected to go', async () => {
    const extra = [
      'resource "aws_s3_bucket" "archive" {\n  bucket = "archive"\n}',
      'resource "aws_ecs_service" "bastion" {\n  name          = "bastion"\n  desired_count = var.bastion_enabled ? 1 : 0\n}',
      'resource "aws_vpc_endpoint" "s3" {\n  vpc_id            = data.aws_vpc.existing.id\n  service_name      = "com.amazonaws.eu-west-1.s3"\n  vpc_endpoint_type = "Gateway"\n}',
    ];
    const parking = fileOf(await testsOf(`${LOOKUP_MODULE}\n${extra.join('\n')}\n`), 'tests/parking.tftest.hcl');
    expect(parking).toContain('condition = length(aws_s3_bucket.archive[*]) > 0');
    expect(parking).toContain('condition = aws_ecs_service.bastion.desired_count == 0');
    expect(parking).not.toContain('aws_vpc_endpoint.s3');
  });

  it('park: an interface endpoint or an instance must go even when the switch does not count it (the shipped test then fails, as it should)', async () => {
    const extra = [
      'resource "aws_vpc_endpoint" "logs" {\n  vpc_id            = data.aws_vpc.existing.id\n  service_name      = "com.amazonaws.eu-west-1.logs"\n  vpc_endpoint_type = "Interface"\n}',
      'resource "aws_instance" "bastion" {\n  ami           = "ami-1"\n  instance_type = "t4g.nano"\n}',
    ];
    const parking = fileOf(await testsOf(`${LOOKUP_MODULE}\n${extra.join('\n')}\n`), 'tests/parking.tftest.hcl');
    expect(parking).toContain('condition = length(aws_vpc_endpoint.logs[*]) == 0');
    expect(parking).toContain('condition = length(aws_instance.bastion[*]) == 0');
  });

  it('park, then wake: the runs apply one after the other, and waking brings the compute back', async () => {
    const parking = fileOf(await testsOf(LOOKUP_MODULE), 'tests/parking.tftest.hcl');
    expect([...parking.matchAll(/^run "(\w+)"/gm)].map((match) => match[1])).toEqual(['deployed', 'parked', 'woken']);
    expect(parking.slice(parking.indexOf('run "woken"'))).toContain('condition = length(aws_vpc_endpoint.ssm) > 0');
  });

  it('refuse every bad value of REFUSED_VALUES, the last one included, one run each', async () => {
    const variables = fileOf(await testsOf(LOOKUP_MODULE), 'tests/variables.tftest.hcl');
    const runs = variables.split(/^run /m).slice(1);
    expect(runs).toHaveLength(REFUSED_VALUES.vpc_id.length);
    expect(runs.map((run) => /vpc_id\s*=\s*(.+)/.exec(run)?.[1])).toEqual(['null', '""', '"my-vpc"', '"vpc-123"']);
    for (const run of runs) expect(run).toMatch(/expect_failures\s*=\s*\[var\.vpc_id\]/);
  });

  it('refuse every bad value of each validated variable, however many the others have: as many runs as the longest list', async () => {
    const retention = `variable "log_retention_days" {
  type     = number
  default  = 30
  nullable = false
  validation {
    condition     = contains([1, 30, 90], var.log_retention_days)
    error_message = "log_retention_days must be a period CloudWatch Logs accepts."
  }
}
`;
    const [vpc, days] = [REFUSED_VALUES.vpc_id, REFUSED_VALUES.log_retention_days] as (readonly unknown[])[];
    const runs = fileOf(await testsOf(`${LOOKUP_MODULE}\n${retention}`), 'tests/variables.tftest.hcl').split(/^run /m).slice(1);
    expect(days.length).toBeLessThan(vpc.length);
    expect(runs.map((run) => /expect_failures\s*=\s*\[(.*)\]/.exec(run)![1])).toEqual([
      ...days.map(() => 'var.log_retention_days, var.vpc_id'),
      ...vpc.slice(days.length).map(() => 'var.vpc_id'),
    ]);
  });

  it('name every rule of a variable with several in the header of the variables tests, as Terraform prints each message', async () => {
    const subnets = `variable "subnet_ids" {
  type = list(string)
  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids must list at least one subnet."
  }
  validation {
    condition     = length(var.subnet_ids) <= 16
    error_message = "subnet_ids may list at most 16 subnets."
  }
}
`;
    const variables = fileOf(await testsOf(`${LOOKUP_MODULE}\n${subnets}`), 'tests/variables.tftest.hcl');
    expect(variables).toContain('#   subnet_ids: subnet_ids must list at least one subnet. subnet_ids may list at most 16 subnets.\n');
  });

  const describeOrSkip = terraformSkipped() ? describe.skip : describe;
  describeOrSkip('on a module reading an existing VPC (data aws_vpc with a postcondition, aws_prefix_list)', () => {
    let dir: string;
    beforeAll(async () => {
      const { provider } = requireTerraform();
      dir = mkdtempSync(join(tmpdir(), 'ssm-bastion-module-tests-'));
      writeFileSync(join(dir, 'main.tf'), LOOKUP_MODULE);
      const tests = await testsOf(LOOKUP_MODULE);
      for (const file of tests) {
        mkdirSync(dirname(join(dir, file.path)), { recursive: true });
        writeFileSync(join(dir, file.path), file.text);
      }
      await formatHclFiles(tests.map((file) => join(dir, file.path)));
      init(dir, provider);
    }, 120_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('pass offline, without AWS credentials', () => {
      const result = terraformTest(dir);
      expect({ status: result.status, output: result.output }).toEqual({ status: 0, output: expect.stringMatching(/Success! 7 passed, 0 failed/) });
    }, 120_000);

    it("fail on the VPC's postcondition once its mocked DNS hostnames are off: the mock values are what the module reads", () => {
      const file = join(dir, 'tests/mocks/aws.tfmock.hcl');
      const mocks = readFileSync(file, 'utf8');
      try {
        writeFileSync(file, mocks.replace(/enable_dns_hostnames(\s*)= true/, 'enable_dns_hostnames$1= false'));
        const result = terraformTest(dir);
        expect(result.status).toBe(1);
        expect(result.output.replace(/\s+/g, ' ')).toContain('The VPC needs DNS support and DNS hostnames for the interface endpoints.');
      } finally {
        writeFileSync(file, mocks);
      }
    }, 120_000);
  });
});
