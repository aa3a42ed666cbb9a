import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bastionUserDataScript, IMDS_TABLE, SESSION_OS_USER } from '../../modules/ec2-bastion';
import { resourcesOfType } from '../support/synth';
import { tempDir } from '../support/temp-dir';
import { onlyResource, ref, resolved, statementsOf, synthEc2, TARGETS } from './support';

describe('the EC2 bastion instance', () => {
  const { json, tf } = synthEc2({ targets: TARGETS });
  const template = onlyResource(tf, 'aws_launch_template');
  const instance = onlyResource(tf, 'aws_instance');
  const key = onlyResource(tf, 'aws_kms_key');

  describe('launch template', () => {
    it('resolves the newest Amazon Linux 2023 AMI of the architecture at launch, from the public SSM parameter', () => {
      expect(json).toHaveResourceWithProperties(LaunchTemplate, {
        image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
        instance_type: '${var.ec2_instance_type}',
      });
      // The instance names the template's latest version; the default version follows it too, so a launch from the
      // console or `aws ec2 run-instances --launch-template` gets the current configuration, not the first one.
      expect(json).toHaveResourceWithProperties(LaunchTemplate, { update_default_version: true });
      const x86 = onlyResource(synthEc2({ ec2: { architecture: 'x86_64', instanceType: 't3.micro' } }).tf, 'aws_launch_template');
      expect(x86.body).toMatchObject({
        image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
        instance_type: '${var.ec2_instance_type}',
      });
    });

    it('looks no AMI up at plan time', () => {
      expect(tf.data?.aws_ami).toBeUndefined();
      expect(tf.data?.aws_ssm_parameter).toBeUndefined();
    });

    it('requires IMDSv2 with a hop limit of 1 and exposes the tags in instance metadata', () => {
      expect(json).toHaveResourceWithProperties(LaunchTemplate, {
        metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'enabled' },
      });
    });

    it('gives it a gp3 root volume on the AL2023 root device, encrypted with the audit key and deleted with the instance', () => {
      expect(json).toHaveResourceWithProperties(LaunchTemplate, {
        block_device_mappings: [
          {
            device_name: '/dev/xvda',
            ebs: expect.objectContaining({
              volume_type: 'gp3',
              volume_size: 8,
              encrypted: 'true',
              kms_key_id: ref('aws_kms_key', key.name, 'arn'),
              delete_on_termination: 'true',
            }),
          },
        ],
      });
      expect(onlyResource(synthEc2({ ec2: { rootVolumeSizeGiB: 20 } }).tf, 'aws_launch_template').body.block_device_mappings).toEqual([
        expect.objectContaining({ ebs: expect.objectContaining({ volume_size: 20 }) }),
      ]);
    });

    it('launches with the instance profile, EBS-optimized, with no key pair, and with the first-boot script as user data', () => {
      const profile = onlyResource(tf, 'aws_iam_instance_profile');
      expect(template.body.iam_instance_profile).toEqual({ arn: ref('aws_iam_instance_profile', profile.name, 'arn') });
      expect(template.body.ebs_optimized).toBe('true');
      expect(template.body.key_name).toBeUndefined();
      // Base64 written at synth time: no token, no heredoc for the HCL hand-off.
      expect(Buffer.from(String(template.body.user_data), 'base64').toString('utf8')).toBe(bastionUserDataScript());
      expect(template.body.network_interfaces).toBeUndefined();
    });

    it('user data keeps a shell away from the instance role: metadata for root only (before the session user exists), no sudo for ssm-user', () => {
      const script = bastionUserDataScript();
      expect(spawnSync('bash', ['--norc', '-n'], { input: script }).status).toBe(0);
      expect(script).toMatch(/ip daddr 169\.254\.169\.254 meta skuid != 0 counter reject/);
      // In a chain on the output hook: a local process's packets to the metadata address pass there, not through input
      // (which sees only the replies). AWS's own example filters the OUTPUT chain.
      // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-limiting-access.html
      expect(script).toMatch(/chain \w+ \{\n\s*type filter hook output priority 0; policy accept;\n\s*ip daddr 169\.254\.169\.254 meta skuid != 0 counter reject/);
      // Fail closed: without the rule there is no session user, so shells are refused rather than unguarded.
      expect(script.indexOf('nft -f')).toBeLessThan(script.indexOf('useradd'));
      expect(script).toMatch(/^set -euo pipefail$/m);
      expect(script).toContain('systemctl enable nftables.service');
      expect(script).toMatch(/> \/etc\/sudoers\.d\/ssm-agent-users/);
      // The drop-in gets the mode sudo's own files have: visudo -c reports any other as "bad permissions, should be mode 0440".
      expect(script).toMatch(/^chmod 0440 \/etc\/sudoers\.d\/ssm-agent-users$/m);
      expect(script.indexOf('chmod 0440')).toBeGreaterThan(script.indexOf('> /etc/sudoers.d/ssm-agent-users'));
    });

    it('first boot, run in a scratch root with stubbed system tools: a sudoers drop-in that grants nothing, the metadata rule loaded now and at every boot, a plain session user', () => {
      const root = tempDir('user-data-');
      const bin = join(root, 'stub-bin');
      for (const dir of [bin, join(root, 'etc/sysconfig'), join(root, 'etc/sudoers.d')]) mkdirSync(dir, { recursive: true });
      // Each stub records its arguments, one per line; `id` says the session user does not exist yet.
      for (const tool of ['nft', 'dnf', 'systemctl', 'useradd']) {
        writeFileSync(join(bin, tool), `#!/bin/sh\nprintf '%s\\n' "$@" >> "${root}/${tool}.args"\n`, { mode: 0o755 });
      }
      writeFileSync(join(bin, 'id'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      const script = bastionUserDataScript().replaceAll('/etc/', `${root}/etc/`);
      const run = spawnSync('bash', ['--norc'], { input: script, env: { PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const args = (tool: string) => readFileSync(join(root, `${tool}.args`), 'utf8').split('\n').slice(0, -1);

      // The agent gives ssm-user passwordless sudo unless the drop-in exists; it must exist and grant nothing. sudo reads
      // "#include" and "#includedir" as directives, every other "#" line as a comment.
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-ssm-user-permissions.html
      const dropIn = join(root, 'etc/sudoers.d/ssm-agent-users');
      const lines = readFileSync(dropIn, 'utf8').split('\n').filter((line) => line.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((line) => !/^#(?!include)/.test(line))).toEqual([]);
      expect(statSync(dropIn).mode & 0o777).toBe(0o440);

      // Loaded at once, and included in the file nftables.service loads at boot: Patch Manager reboots the instance.
      const ruleset = join(root, `etc/nftables/${IMDS_TABLE}.nft`);
      expect(args('nft')).toEqual(['-f', ruleset]);
      expect(readFileSync(join(root, 'etc/sysconfig/nftables.conf'), 'utf8').split('\n')).toContain(`include "${ruleset}"`);
      expect(args('systemctl')).toEqual(['enable', 'nftables.service']);

      // The session user gets a home and a shell, and no group (wheel would be sudo), uid or other option.
      expect(args('useradd')).toEqual(['--create-home', '--shell', '/bin/bash', '--comment', 'ssm-bastion session user', SESSION_OS_USER]);
    });

    it('can encrypt the root volume: the key policy lets account principals use the key through IAM and grant it to EBS', () => {
      const keyPolicy = statementsOf(tf, key.body.policy);
      const root = (s: (typeof keyPolicy)[number]) => s.principals?.some((p) => p.identifiers.includes('arn:aws:iam::123456789012:root'));
      const use = keyPolicy.filter((s) => root(s) && !s.condition);
      for (const action of ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey']) {
        expect({ action, allowed: use.some((s) => s.actions?.includes(action)) }).toEqual({ action, allowed: true });
      }
      expect(keyPolicy.filter(root)).toContainEqual(
        expect.objectContaining({ actions: ['kms:CreateGrant'], condition: [{ test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }] }),
      );
    });

    it('tags the root volume with the patch group and a Name, since default tags do not reach it', () => {
      const specifications = template.body.tag_specifications as { resource_type: string; tags: Record<string, string> }[];
      const volume = specifications.find((s) => s.resource_type === 'volume')!;
      expect(resolved(tf, volume.tags.PatchGroup)).toBe('ssm-bastion');
      expect(volume.tags.Name).toEqual(expect.any(String));
    });
    it('tags the network interface with the stack tags and a Name too: default tags do not reach it either', () => {
      const specifications = template.body.tag_specifications as { resource_type: string; tags: Record<string, string> }[];
      const eni = specifications.find((s) => s.resource_type === 'network-interface');
      expect(eni?.tags).toMatchObject({ 'ssm-bastion:stack': 'ec2-bastion', 'ssm-bastion:name-prefix': 'ssm-bastion', Name: 'ssm-bastion-ec2-bastion' });
    });
  });

  describe('instance', () => {
    it('is launched from the current version of the template, so a changed template replaces it', () => {
      expect(json).toHaveResourceWithProperties(Instance, {
        launch_template: { id: ref('aws_launch_template', template.name, 'id'), version: ref('aws_launch_template', template.name, 'latest_version') },
      });
      expect(instance.body.ami).toBeUndefined();
    });

    it('is counted by bastion_enabled, so a parked bastion has no instance', () => {
      expect(instance.body.count).toBe('${var.bastion_enabled ? 1 : 0}');
    });

    it('gets no public IP and sits in the first private subnet behind the bastion security group', () => {
      const subnets = Object.keys(resourcesOfType(tf, 'aws_subnet'));
      const bastionGroup = Object.entries(resourcesOfType(tf, 'aws_security_group')).find(([, g]) => g.name === 'ssm-bastion-ec2-bastion')!;
      expect(instance.body.associate_public_ip_address).toBe(false);
      expect(instance.body.subnet_id).toBe(`\${element([${subnets.map((s) => `aws_subnet.${s}.id`).join(', ')}], 0)}`);
      expect(instance.body.vpc_security_group_ids).toEqual([ref('aws_security_group', bastionGroup[0], 'id')]);
    });

    it('is EBS-optimized on the instance too (the provider would otherwise send false and override the template)', () => {
      expect(instance.body.ebs_optimized).toBe(true);
    });

    it('carries the PatchGroup tag and a Name', () => {
      const tags = instance.body.tags as Record<string, string>;
      expect(Object.keys(tags).sort()).toEqual(['Name', 'PatchGroup']);
      expect(tags.Name).toBe('ssm-bastion-ec2-bastion');
      expect(resolved(tf, tags.PatchGroup)).toBe('ssm-bastion');
      const custom = synthEc2({ ec2: { patching: { patchGroup: 'bastions-prod' } } }).tf;
      expect(resolved(custom, (onlyResource(custom, 'aws_instance').body.tags as Record<string, string>).PatchGroup)).toBe('bastions-prod');
    });

    it('is launched only after its patch group is bound to the baseline, so the first scan uses the custom baseline', () => {
      const group = onlyResource(tf, 'aws_ssm_patch_group');
      expect((instance.body.tags as Record<string, string>).PatchGroup).toBe(ref('aws_ssm_patch_group', group.name, 'patch_group'));
    });

    it('starts only after its role has its permissions, so the agent registers on first boot', () => {
      const rolePolicy = Object.keys(resourcesOfType(tf, 'aws_iam_role_policy')).find((name) => name.startsWith('bastion_'))!;
      expect(instance.body.depends_on).toEqual([`aws_iam_role_policy.${rolePolicy}`]);
    });

    it('is placed in the configured subnets of an existing VPC', () => {
      const existing = synthEc2({
        network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] },
      });
      expect(onlyResource(existing.tf, 'aws_instance').body.subnet_id).toBe('${element(var.subnet_ids, 0)}');
    });
  });
});
