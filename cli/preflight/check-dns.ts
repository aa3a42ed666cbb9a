/**
 * Checks of how an existing VPC resolves names: its DNS attributes and the DNS servers its DHCP option set hands
 * out, on which the interface endpoints' private DNS depends.
 */
import { type ExistingVpcView, inRegion } from './check-network';
import { blocker, type Finding, ok, warning } from './findings';
import { listText } from './plan';

// Private DNS of an interface endpoint is a private hosted zone AWS attaches to the VPC: it only answers when the
// VPC resolves through the Amazon DNS server (enableDnsSupport) and AWS refuses to create it unless
// enableDnsHostnames is on as well. Custom VPCs start with hostnames off.
export function checkDns(view: ExistingVpcView): Finding[] {
  const { vpcId } = view.network;
  const attributes = [
    { name: 'enableDnsSupport', flag: '--enable-dns-support', value: view.facts.dnsSupport },
    { name: 'enableDnsHostnames', flag: '--enable-dns-hostnames', value: view.facts.dnsHostnames },
  ];
  const off = attributes.filter((a) => a.value !== true);
  if (off.length === 0) return [ok('dns', 'enableDnsSupport and enableDnsHostnames are on: private DNS of interface endpoints works.')];
  return off.map((a) =>
    blocker(
      'dns',
      `${a.name} is off in ${vpcId}: interface endpoints with private DNS need enableDnsSupport and enableDnsHostnames, so the plan fails (and endpoints the VPC already has do not answer under their AWS names).`,
      // modify-vpc-attribute takes one attribute per call.
      `Turn it on: ${inRegion(view, `aws ec2 modify-vpc-attribute --vpc-id ${vpcId} ${a.flag} '{"Value":true}'`)}`,
    ),
  );
}

/** The Route 53 Resolver's address in the VPC: the base of its primary IPv4 block plus two. */
function resolverAddress(cidr: string | undefined): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr ?? '');
  if (!match) return undefined;
  const base = match.slice(1, 5).reduce((n, octet) => n * 256 + Number(octet), 0) + 2;
  return [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.');
}

/**
 * The DNS servers the VPC's DHCP option set hands out are those the bastion asks. The private DNS of an interface
 * endpoint is a private hosted zone AWS associates with the VPC
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns),
 * and only the Route 53 Resolver ("AmazonProvidedDNS", at 169.254.169.253 and at the VPC's primary IPv4 block plus two,
 * https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html) answers from the zones associated with the VPC
 * (https://repost.aws/knowledge-center/vpc-enable-private-hosted-zone). Other servers (domain-name-servers,
 * https://docs.aws.amazon.com/vpc/latest/userguide/VPC_DHCP_Options.html) give the endpoints' addresses only if they
 * forward the AWS names to it; else the bastion gets public addresses, which it reaches only through a NAT. Preflight
 * cannot ask those servers, so this is a warning, with the lookup that tells.
 */
export function checkDhcpOptions(view: ExistingVpcView): Finding[] {
  const { vpcId } = view.network;
  const options = view.facts.dhcpOptions;
  const endpointServices = view.plan.services.filter((s) => s.mode !== 'none').map((s) => s.service);
  if (options && 'denied' in options) {
    return [
      warning(
        'dhcp-options',
        `Not checked: AWS refused ${options.denied} to these credentials, so preflight cannot tell which DNS servers ${vpcId} hands out.`,
        `Add ${options.denied} to the deployer policy (docs/cli.md, Permissions) and run preflight again.`,
      ),
    ];
  }
  const servers = (options?.DhcpConfigurations ?? []).find((c) => c.Key === 'domain-name-servers')?.Values?.flatMap((v) => (v.Value ? [v.Value] : [])) ?? [];
  const resolver = resolverAddress(view.facts.vpc?.CidrBlock);
  // An option set may name the Route 53 Resolver by its addresses instead of "AmazonProvidedDNS": "The Route 53 Resolver is
  // located at 169.254.169.253 (IPv4), fd00:ec2::253 (IPv6), and at the primary private IPV4 CIDR range provisioned to your
  // VPC plus two" (https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html). Those are no custom server:
  // telling them to forward to the Resolver was a false warning.
  const amazon = new Set(['amazonprovideddns', '169.254.169.253', 'fd00:ec2::253', ...(resolver ? [resolver] : [])]);
  const custom = servers.filter((server) => !amazon.has(server.toLowerCase()));
  if (!options || custom.length === 0) {
    return [ok('dhcp-options', `${vpcId} resolves through the Amazon DNS server (AmazonProvidedDNS), which answers the endpoints' private DNS names.`)];
  }
  if (endpointServices.length === 0) {
    return [ok('dhcp-options', `${vpcId} hands out the DNS servers ${listText(custom)} (${options.DhcpOptionsId}); the bastion uses no interface endpoint, so they need only resolve public names.`)];
  }
  const suffix = view.plan.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const name = `${endpointServices[0]}.${view.plan.region}.${suffix}`;
  return [
    warning(
      'dhcp-options',
      `${vpcId} uses DHCP option set ${options.DhcpOptionsId}, whose domain-name-servers are ${listText(servers)}: the bastion asks ${servers.length > 1 ? 'them' : 'it'}, and the interface endpoints' private DNS names (${listText(endpointServices)}) resolve to the endpoints only at the Route 53 Resolver. Unless ${listText(custom)} forward${custom.length > 1 ? '' : 's'} ${view.plan.region}.${suffix} to it, the bastion gets public addresses and${view.nat.detected ? ' goes through the NAT instead of the endpoints' : ', without a NAT, never connects'}.`,
      `From an instance of ${vpcId}, \`dig +short ${name}\` (or nslookup) must answer addresses in the VPC's CIDR blocks. If it answers public addresses, have ${listText(custom)} forward ${suffix} to the Route 53 Resolver (${resolver ? `${resolver} or ` : ''}169.254.169.253).`,
    ),
  ];
}
