/**
 * A stand-in for the EC2 API on loopback, so the real AWS provider can plan a stack whose data sources read an
 * existing VPC (`data.aws_vpc`, `data.aws_prefix_list`) without an AWS account. It answers the few read calls
 * those data sources make, in the EC2 Query protocol's XML, from the VPCs described by its argument (each call
 * names its VPC, as `VpcId`, `VpcId.1` or a `vpc-id` filter); anything else gets an error naming the action or
 * the VPC, so an unexpected call fails the plan loudly.
 *
 * One stub describes every VPC a test process plans against: the provider servers take their environment
 * (AWS_ENDPOINT_URL_EC2) as a key, and a stub per VPC would mean a server started per VPC.
 *
 * Run as a child process (the Terraform stage blocks its own event loop while terraform runs):
 *   node --require scripts/load-typescript.js ec2-stub.ts '[{"vpcId":"vpc-…","cidrBlocks":["10.0.0.0/16"],"dnsHostnames":true,"dnsSupport":true}]'
 * It prints `listening <port>` once ready.
 */
import { createServer } from 'node:http';
import { exitWithStarter } from './background';

export interface StubVpc {
  readonly vpcId: string;
  readonly cidrBlocks: readonly string[];
  readonly dnsSupport: boolean;
  readonly dnsHostnames: boolean;
}

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** The S3 prefix list the stub describes (a region's, not a VPC's: one for every VPC). */
const STUB_S3_PREFIX_LIST_ID = 'pl-6da54004';

function response(action: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS}"><requestId>00000000-0000-0000-0000-000000000000</requestId>${body}</${action}Response>`;
}

function errorResponse(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>`;
}

/** The VPC a request names: its `VpcId` or `VpcId.1` parameter, else the value of its `vpc-id` filter. */
export function requestedVpcId(params: URLSearchParams): string | undefined {
  const direct = params.get('VpcId') ?? params.get('VpcId.1');
  if (direct !== null) return direct;
  for (const [name, value] of params) {
    const filter = /^Filter\.(\d+)\.Name$/.exec(name);
    if (filter && value === 'vpc-id') return params.get(`Filter.${filter[1]}.Value.1`) ?? undefined;
  }
  return undefined;
}

/** The XML answer to one EC2 Query request, or an error naming what the stub does not know. */
export function answer(vpcs: readonly StubVpc[], params: URLSearchParams): { status: number; body: string } {
  const action = params.get('Action') ?? '';
  if (action === 'DescribePrefixLists') {
    const region = /com\.amazonaws\.([a-z0-9-]+)\.s3/.exec(params.toString())?.[1] ?? 'eu-west-1';
    const item = `<item><prefixListId>${STUB_S3_PREFIX_LIST_ID}</prefixListId><prefixListName>com.amazonaws.${region}.s3</prefixListName><cidrSet><item>52.218.0.0/17</item></cidrSet></item>`;
    return { status: 200, body: response(action, `<prefixListSet>${item}</prefixListSet>`) };
  }
  if (!['DescribeVpcs', 'DescribeVpcAttribute', 'DescribeRouteTables'].includes(action)) {
    return { status: 400, body: errorResponse('UnsupportedOperation', `the EC2 stub of the test suite does not answer ${action}`) };
  }
  const vpcId = requestedVpcId(params);
  const vpc = vpcs.find((described) => described.vpcId === vpcId);
  if (!vpc) return { status: 400, body: errorResponse('InvalidVpcID.NotFound', `The vpc ID '${vpcId ?? ''}' does not exist (the EC2 stub describes ${vpcs.map((v) => v.vpcId).join(', ')})`) };
  const [primary] = vpc.cidrBlocks;
  switch (action) {
    case 'DescribeVpcs': {
      const associations = vpc.cidrBlocks
        .map((cidr, i) => `<item><cidrBlock>${cidr}</cidrBlock><associationId>vpc-cidr-assoc-0000000${i}</associationId><cidrBlockState><state>associated</state></cidrBlockState></item>`)
        .join('');
      const item = `<item><vpcId>${vpc.vpcId}</vpcId><ownerId>123456789012</ownerId><state>available</state><cidrBlock>${primary}</cidrBlock><cidrBlockAssociationSet>${associations}</cidrBlockAssociationSet><ipv6CidrBlockAssociationSet/><dhcpOptionsId>dopt-00000000</dhcpOptionsId><instanceTenancy>default</instanceTenancy><isDefault>false</isDefault><tagSet/></item>`;
      return { status: 200, body: response(action, `<vpcSet>${item}</vpcSet>`) };
    }
    case 'DescribeVpcAttribute': {
      const attribute = params.get('Attribute') ?? '';
      const value = attribute === 'enableDnsSupport' ? vpc.dnsSupport : attribute === 'enableDnsHostnames' ? vpc.dnsHostnames : false;
      return { status: 200, body: response(action, `<vpcId>${vpc.vpcId}</vpcId><${attribute}><value>${value}</value></${attribute}>`) };
    }
    default: {
      const table = `<item><routeTableId>rtb-0main0000000000</routeTableId><vpcId>${vpc.vpcId}</vpcId><ownerId>123456789012</ownerId><routeSet/><associationSet><item><routeTableAssociationId>rtbassoc-00000000</routeTableAssociationId><routeTableId>rtb-0main0000000000</routeTableId><main>true</main><associationState><state>associated</state></associationState></item></associationSet><propagatingVgwSet/><tagSet/></item>`;
      return { status: 200, body: response(action, `<routeTableSet>${table}</routeTableSet>`) };
    }
  }
}

function main(): void {
  const vpcs = JSON.parse(process.argv[2] ?? '[]') as StubVpc[];
  const server = createServer((request, reply) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const params = new URLSearchParams(text || (request.url ?? '').split('?')[1] || '');
      const { status, body } = answer(vpcs, params);
      if (process.env.EC2_STUB_LOG) process.stderr.write(`${params.get('Action')} ${status}\n`);
      reply.writeHead(status, { 'Content-Type': 'text/xml;charset=UTF-8' });
      reply.end(body);
    });
  });
  exitWithStarter('EC2_STUB_PARENT');
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

if (require.main === module) main();
