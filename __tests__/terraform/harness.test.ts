import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer, requestedVpcId } from '../support/ec2-stub';
import { fakeTerraform } from '../support/fake-terraform';
import { tempDir } from '../support/temp-dir';
import { DNS_OFF_VPC, goMaxProcs, NO_AWS_ENV, requireTerraform, STUB_VPC, STUB_VPCS, TERRAFORM_ENV } from '../support/terraform';
import {
  chooseProviderSource,
  initInvocation,
  noProviderMessage,
  type ProviderEnvironment,
  warmProviderCache,
} from '../support/terraform-provider';

const MARKER = 'registry.terraform.io/hashicorp/aws';


/** A machine whose file system holds exactly `paths` (and the folders leading to them). */
function machine(paths: readonly string[], env: NodeJS.ProcessEnv = {}, home = '/home/dev'): ProviderEnvironment {
  const known = new Set(paths.flatMap((path) => path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return {
    env,
    home,
    exists: (path) => known.has(path),
    list: (dir) => [...new Set([...known].filter((path) => path.startsWith(`${dir}/`)).map((path) => path.slice(dir.length + 1).split('/')[0]!))],
  };
}

describe('the Terraform stage harness', () => {
  const saved = { PATH: process.env.PATH };
  afterEach(() => {
    process.env.PATH = saved.PATH;
  });

  it('says how to install Terraform or skip the stage when terraform is not on PATH', () => {
    process.env.PATH = tempDir('empty-path-');
    expect(() => requireTerraform()).toThrow(/install it from .*or run the other tests with SKIP_TERRAFORM=1/);
  });

  it('runs `terraform version` once for each PATH, and refuses a terraform that fails', () => {
    const working = fakeTerraform(0);
    const broken = fakeTerraform(1);
    process.env.PATH = working.bin;
    requireTerraform();
    requireTerraform();
    expect(working.calls()).toEqual(['version']);
    process.env.PATH = broken.bin;
    expect(() => requireTerraform()).toThrow(/needs `terraform` \(>= 1\.10\) on PATH/);
    expect(() => requireTerraform()).toThrow(/needs `terraform`/);
    expect(broken.calls()).toEqual(['version']);
    process.env.PATH = working.bin;
    requireTerraform();
    expect(working.calls()).toEqual(['version']);
  });
});

describe('how many cores a Terraform command or provider server may use (GOMAXPROCS)', () => {
  it('gives each of the four commands that can run at once its share of the cores, at least one', () => {
    expect([1, 2, 3, 4, 7, 8, 16, 64].map((cores) => goMaxProcs(cores, {}))).toEqual(['1', '1', '1', '1', '1', '2', '4', '16']);
  });

  it('leaves a GOMAXPROCS already set as it is', () => {
    expect(goMaxProcs(2, { GOMAXPROCS: '2' })).toBe('2');
    expect(goMaxProcs(64, { GOMAXPROCS: '1' })).toBe('1');
  });

  it("is in the environment of the stage's commands, and of `terraform test` and its provider server", () => {
    expect(TERRAFORM_ENV.GOMAXPROCS).toBe(goMaxProcs());
    expect(NO_AWS_ENV.GOMAXPROCS).toBe(goMaxProcs());
  });
});

describe('where the Terraform stage gets the AWS provider', () => {
  it('takes TF_PLUGIN_DIR when it holds the provider, and links it with -plugin-dir', () => {
    const source = chooseProviderSource(machine([`/data/mirror/${MARKER}`], { TF_PLUGIN_DIR: '/data/mirror' }));
    expect(source).toEqual({ kind: 'mirror', dir: '/data/mirror' });
    expect(initInvocation(source)).toEqual({ args: ['-plugin-dir=/data/mirror'], env: {} });
  });

  it('refuses a TF_PLUGIN_DIR that holds no AWS provider, naming what it should hold', () => {
    expect(() => chooseProviderSource(machine(['/data/empty'], { TF_PLUGIN_DIR: '/data/empty' }))).toThrow(/holds no registry.terraform.io\/hashicorp\/aws/);
  });

  it('finds a mirror in the usual places, and one level below /opt, /usr/local, /srv or home', () => {
    expect(chooseProviderSource(machine([`/opt/tf-plugins/${MARKER}`]))).toEqual({ kind: 'mirror', dir: '/opt/tf-plugins' });
    expect(chooseProviderSource(machine([`/home/dev/.terraform.d/plugins/${MARKER}`]))).toEqual({ kind: 'mirror', dir: '/home/dev/.terraform.d/plugins' });
    expect(chooseProviderSource(machine([`/srv/providers/${MARKER}`]))).toEqual({ kind: 'mirror', dir: '/srv/providers' });
  });

  it('uses the registry through a shared plugin cache when there is no mirror (a laptop with internet access)', () => {
    const source = chooseProviderSource(machine(['/usr/bin/terraform']));
    expect(source).toEqual({ kind: 'registry', cacheDir: '/home/dev/.cache/ssm-bastion/terraform-plugins' });
    expect(initInvocation(source)).toEqual({
      args: [],
      env: { TF_PLUGIN_CACHE_DIR: '/home/dev/.cache/ssm-bastion/terraform-plugins', TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true' },
    });
    expect(chooseProviderSource(machine([], { TF_PLUGIN_CACHE_DIR: '/var/cache/tf' }))).toEqual({ kind: 'registry', cacheDir: '/var/cache/tf' });
  });

  it('prefers a mirror to the registry', () => {
    expect(chooseProviderSource(machine([`/opt/tf-plugins/${MARKER}`], { TF_PLUGIN_CACHE_DIR: '/var/cache/tf' })).kind).toBe('mirror');
  });

  it('says what to do when neither a mirror nor the registry works', () => {
    // A "terraform" that fails like an init without network access, in an otherwise empty PATH.
    const bin = tempDir('fake-terraform-');
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\necho "Error: Failed to query available provider packages: registry.terraform.io: dial tcp: lookup registry.terraform.io: no such host" >&2\nexit 1\n', { mode: 0o755 });
    const cacheDir = tempDir('empty-cache-');
    expect(() => warmProviderCache({ kind: 'registry', cacheDir }, { ...process.env, PATH: bin })).toThrow(
      /no filesystem mirror was found .* could not get it from registry.terraform.io:\nError: Failed to query .* set TF_PLUGIN_DIR .*SKIP_TERRAFORM=1/s,
    );
    expect(noProviderMessage('x')).toMatch(/terraform providers mirror <dir>/);
  });

  it('does not download again once the cache holds the provider, and never for a mirror', () => {
    const cacheDir = tempDir('warm-cache-');
    mkdirSync(join(cacheDir, MARKER, '5.100.0'), { recursive: true });
    // With no terraform on PATH at all, any attempt to run it would throw.
    expect(() => warmProviderCache({ kind: 'registry', cacheDir }, { PATH: '/nonexistent' })).not.toThrow();
    expect(() => warmProviderCache({ kind: 'mirror', dir: '/opt/tf-plugins' }, { PATH: '/nonexistent' })).not.toThrow();
  });
});

describe('the EC2 stub the provider reads existing VPCs from', () => {
  const request = (params: Record<string, string>) => answer(STUB_VPCS, new URLSearchParams({ Version: '2016-11-15', ...params }));

  it('finds the VPC a call names as VpcId, VpcId.1 or a vpc-id filter', () => {
    expect(requestedVpcId(new URLSearchParams({ VpcId: 'vpc-1' }))).toBe('vpc-1');
    expect(requestedVpcId(new URLSearchParams({ 'VpcId.1': 'vpc-2' }))).toBe('vpc-2');
    const filtered = { 'Filter.1.Name': 'association.main', 'Filter.1.Value.1': 'true', 'Filter.2.Name': 'vpc-id', 'Filter.2.Value.1': 'vpc-3' };
    expect(requestedVpcId(new URLSearchParams(filtered))).toBe('vpc-3');
    expect(requestedVpcId(new URLSearchParams({ 'Filter.1.Name': 'association.main', 'Filter.1.Value.1': 'true' }))).toBeUndefined();
  });

  it("answers each VPC's own blocks and DNS attributes", () => {
    const described = request({ Action: 'DescribeVpcs', 'VpcId.1': STUB_VPC.vpcId });
    expect(described.status).toBe(200);
    for (const cidr of STUB_VPC.cidrBlocks) expect(described.body).toContain(`<cidrBlock>${cidr}</cidrBlock>`);
    for (const vpc of [STUB_VPC, DNS_OFF_VPC]) {
      for (const [attribute, value] of [['enableDnsSupport', vpc.dnsSupport], ['enableDnsHostnames', vpc.dnsHostnames]] as const) {
        const answered = request({ Action: 'DescribeVpcAttribute', Attribute: attribute, VpcId: vpc.vpcId });
        expect(answered.body).toContain(`<vpcId>${vpc.vpcId}</vpcId><${attribute}><value>${value}</value></${attribute}>`);
      }
    }
    expect([STUB_VPC.dnsSupport, STUB_VPC.dnsHostnames, DNS_OFF_VPC.dnsSupport, DNS_OFF_VPC.dnsHostnames]).toEqual([true, true, false, false]);
    const tables = request({ Action: 'DescribeRouteTables', 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': DNS_OFF_VPC.vpcId });
    expect(tables.body).toContain(`<vpcId>${DNS_OFF_VPC.vpcId}</vpcId>`);
  });

  it('refuses a VPC it does not describe as EC2 does, and names any action it does not answer', () => {
    const unknown = request({ Action: 'DescribeVpcs', 'VpcId.1': 'vpc-0aaaaaaaaaaaaaaaa' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('<Code>InvalidVpcID.NotFound</Code>');
    expect(unknown.body).toContain("'vpc-0aaaaaaaaaaaaaaaa'");
    expect(request({ Action: 'DescribeVpcAttribute', Attribute: 'enableDnsSupport' }).status).toBe(400);
    const unsupported = request({ Action: 'DescribeSubnets' });
    expect(unsupported).toEqual({ status: 400, body: expect.stringContaining('does not answer DescribeSubnets') });
  });

  it('describes the S3 prefix list of the region asked, whatever the VPC', () => {
    const answered = request({ Action: 'DescribePrefixLists', 'Filter.1.Name': 'prefix-list-name', 'Filter.1.Value.1': 'com.amazonaws.eu-central-1.s3' });
    expect(answered.body).toContain('<prefixListName>com.amazonaws.eu-central-1.s3</prefixListName>');
  });
});
