/**
 * A stand-in for the EC2 API on loopback, so the real AWS provider can plan a stack whose data sources read an
 * existing VPC (`data.aws_vpc`, `data.aws_prefix_list`) without an AWS account. It answers the few read calls
 * those data sources make, in the EC2 Query protocol's XML, from the VPC described by its arguments; anything
 * else gets an error naming the action, so an unexpected call fails the plan loudly.
 *
 * Run as a child process (the Terraform stage blocks its own event loop while terraform runs):
 *   node --require tsx/cjs ec2-stub.ts '{"vpcId":"vpc-…","cidrBlocks":["10.0.0.0/16"],"dnsHostnames":true,"dnsSupport":true}'
 * It prints `listening <port>` once ready.
 */
import { createServer } from 'node:http';
import { exitWithStarter } from './background';

export interface StubVpc {
  readonly vpcId: string;
  readonly cidrBlocks: readonly string[];
  readonly dnsSupport: boolean;
  readonly dnsHostnames: boolean;
  /** S3 prefix list id of the region. @default pl-6da54004 */
  readonly s3PrefixListId?: string;
}

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

function response(action: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS}"><requestId>00000000-0000-0000-0000-000000000000</requestId>${body}</${action}Response>`;
}

function errorResponse(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>`;
}

/** The XML answer to one EC2 Query request, or an error naming what the stub does not know. */
export function answer(vpc: StubVpc, params: URLSearchParams): { status: number; body: string } {
  const action = params.get('Action') ?? '';
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
    case 'DescribeRouteTables': {
      const table = `<item><routeTableId>rtb-0main0000000000</routeTableId><vpcId>${vpc.vpcId}</vpcId><ownerId>123456789012</ownerId><routeSet/><associationSet><item><routeTableAssociationId>rtbassoc-00000000</routeTableAssociationId><routeTableId>rtb-0main0000000000</routeTableId><main>true</main><associationState><state>associated</state></associationState></item></associationSet><propagatingVgwSet/><tagSet/></item>`;
      return { status: 200, body: response(action, `<routeTableSet>${table}</routeTableSet>`) };
    }
    case 'DescribePrefixLists': {
      const region = /com\.amazonaws\.([a-z0-9-]+)\.s3/.exec(params.toString())?.[1] ?? 'eu-west-1';
      const item = `<item><prefixListId>${vpc.s3PrefixListId ?? 'pl-6da54004'}</prefixListId><prefixListName>com.amazonaws.${region}.s3</prefixListName><cidrSet><item>52.218.0.0/17</item></cidrSet></item>`;
      return { status: 200, body: response(action, `<prefixListSet>${item}</prefixListSet>`) };
    }
    default:
      return { status: 400, body: errorResponse('UnsupportedOperation', `the EC2 stub of the test suite does not answer ${action}`) };
  }
}

function main(): void {
  const vpc = JSON.parse(process.argv[2] ?? '{}') as StubVpc;
  const server = createServer((request, reply) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const params = new URLSearchParams(text || (request.url ?? '').split('?')[1] || '');
      const { status, body } = answer(vpc, params);
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
