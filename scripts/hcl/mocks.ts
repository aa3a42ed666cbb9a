import { hclExpression } from '../../modules/hcl';
import type { ParsedModule } from './module';

/**
 * What AWS "returns" in the hand-off module's own tests: `terraform test` with `mock_provider "aws"` never
 * calls AWS, and makes up every computed value, every data source included (even the local ones, such as
 * aws_iam_policy_document). Made-up values are random strings, which the provider's own checks refuse where an
 * argument must be a policy document, an ARN or an id with a prefix, and which decide a data source's
 * postconditions. So each data source type the module reads gets values here, and the generated mocks file
 * (tests/mocks/aws.tfmock.hcl) holds them for exactly the types the module uses.
 */

/** The account and region of the mocked values. */
export const MOCK_ACCOUNT = '123456789012';
export const MOCK_REGION = 'eu-west-1';

const MOCK_VPC_CIDR = '10.0.0.0/16';

/** This file, as the error for a data source without mock values names it. */
const THIS_FILE = 'scripts/hcl/mocks.ts';

/**
 * Mock values by data source type. A module reading a type missing here cannot be given tests: the
 * hand-off stops and names the entry to add (unknown values would be random, and fail later, obscurely).
 */
export const MOCK_DATA: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // Computed locally by the provider, but mocked like any other: a policy the provider's JSON checks accept.
  aws_iam_policy_document: {
    json: '{"Version":"2012-10-17","Statement":[]}',
    minified_json: '{"Version":"2012-10-17","Statement":[]}',
  },
  aws_partition: { partition: 'aws', dns_suffix: 'amazonaws.com', reverse_dns_prefix: 'com.amazonaws' },
  aws_region: { name: MOCK_REGION, endpoint: `ec2.${MOCK_REGION}.amazonaws.com`, description: 'Europe (Ireland)' },
  // Read from the target account at plan time.
  aws_caller_identity: { account_id: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/terraform-test`, user_id: 'AIDAMOCKTERRAFORMTEST' },
  // An existing VPC fit for the bastion: DNS support and hostnames on (interface endpoints with private DNS need both).
  aws_vpc: {
    arn: `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT}:vpc/vpc-0123456789abcdef0`,
    cidr_block: MOCK_VPC_CIDR,
    cidr_block_associations: [{ association_id: 'vpc-cidr-assoc-0123456789abcdef0', cidr_block: MOCK_VPC_CIDR, state: 'associated' }],
    enable_dns_support: true,
    enable_dns_hostnames: true,
    instance_tenancy: 'default',
    owner_id: MOCK_ACCOUNT,
  },
  aws_prefix_list: { id: 'pl-6da54004', name: `com.amazonaws.${MOCK_REGION}.s3`, cidr_blocks: ['52.218.0.0/17'] },
};

/**
 * Computed values of resource types that other resources pass to arguments the provider checks, beyond the
 * `arn` every referenced resource type gets (see {@link mocksFile}).
 */
export const MOCK_RESOURCE_VALUES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // aws_instance.launch_template.id must start with "lt-".
  aws_launch_template: { id: 'lt-0123456789abcdef0' },
};

/** Where the generated mocks file lives in a module folder, and how a test file names its folder. */
export const MOCKS_DIR = 'tests/mocks';
export const MOCKS_FILE = `${MOCKS_DIR}/aws.tfmock.hcl`;

/** The `mock_provider` block each test file starts with: mocked AWS, with the values of {@link MOCKS_FILE}. */
export const MOCK_PROVIDER_BLOCK = `mock_provider "aws" {\n  source = "./${MOCKS_DIR}"\n}`;

/**
 * The mocks file of a module: `mock_data` for each data source type it reads (throws, naming the entry to add,
 * for a type missing from {@link MOCK_DATA}), and `mock_resource` for each resource type whose `arn` it uses
 * (mocked ARNs are random strings, which arguments taking an ARN refuse) or listed in {@link MOCK_RESOURCE_VALUES}.
 */
export function mocksFile(module: ParsedModule): string {
  const dataTypes = [...new Set(module.data.map((block) => block.type))].sort();
  const missing = dataTypes.filter((type) => !(type in MOCK_DATA));
  if (missing.length > 0) {
    throw new Error(
      missing.map((type) => `add mock values for data.${type} in ${THIS_FILE} (MOCK_DATA)`).join('; ') +
        ': the tests shipped with the module mock every data source it reads.',
    );
  }
  const resourceTypes = new Set(module.managed.map((block) => block.type));
  const withArn = referencedArnTypes(module.raw);
  const mockedTypes = [...resourceTypes].filter((type) => withArn.has(type) || type in MOCK_RESOURCE_VALUES).sort();
  const blocks = [
    ...dataTypes.map((type) => mockBlock('mock_data', type, MOCK_DATA[type])),
    ...mockedTypes.map((type) =>
      mockBlock('mock_resource', type, {
        ...(withArn.has(type) ? { arn: `arn:aws:mock:${MOCK_REGION}:${MOCK_ACCOUNT}:${type}/mock` } : {}),
        ...MOCK_RESOURCE_VALUES[type],
      }),
    ),
  ];
  const header = [
    '# What mocked AWS returns in the tests of this folder (terraform test, mock_provider "aws"): values the',
    "# provider's own checks accept, for every data source type the module reads and every resource type whose ARN",
    '# it uses. Everything else is made up by Terraform. Generated with the module.',
  ].join('\n');
  return `${header}\n\n${blocks.join('\n\n')}\n`;
}

function mockBlock(kind: 'mock_data' | 'mock_resource', type: string, values: Readonly<Record<string, unknown>>): string {
  return `${kind} "${type}" {\n  defaults = ${hclExpression(values, 'literal')}\n}`;
}

/** Resource types whose `arn` an expression of the module uses (`aws_iam_role.x.arn`, `aws_instance.x[*].arn`). */
function referencedArnTypes(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/(?<![\w.-])(aws_[a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.arn\b/g)) found.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) referencedArnTypes(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) referencedArnTypes(item, found);
  }
  return found;
}
