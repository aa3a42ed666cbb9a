import type { BastionConfigInput } from '../../modules/config';
import { resourcesOfType, type TerraformJson } from '../support/synth';
import { patchingObjectArns } from '../../modules/patching';
import { type Found, grants, onlyResource, ref, resolved, roleStatements, statementsOf, synthEc2 } from '../ec2-bastion/support';

/**
 * Patching readiness: the checks that, together, mean the bastion will actually be patched and reported on,
 * over whole synthesized stacks. A miss here is a bastion that silently never gets patched (wrong tag, wrong
 * baseline, a task wired to nothing) or cannot reach its patch sources (endpoint policy, role).
 */

const CONFIGURATIONS: Record<string, BastionConfigInput> = {
  'the default configuration (new VPC, arm64, archive on)': {},
  'an existing VPC, x86_64, no archive, a custom patch group and schedule': {
    region: 'eu-central-1',
    network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'], routeTableIds: ['rtb-0123456789abcdef0'] },
    // S3 defaults to "existing" in an existing VPC; this stack creates its own. On route tables other workloads
    // share it keeps AWS's default (full access) policy, so it admits the patch buckets too (checked below).
    endpoints: { s3: 'create' },
    audit: { s3Archive: false },
    ec2: {
      architecture: 'x86_64',
      instanceType: 't3.micro',
      patching: { patchGroup: 'prod-bastions', schedule: 'cron(0 2 ? * WED *)', timezone: 'Europe/Berlin' },
    },
  },
};

function withType(tf: TerraformJson, type: string, predicate: (body: Record<string, unknown>) => boolean): Found {
  const found = Object.entries(resourcesOfType(tf, type)).filter(([, body]) => predicate(body));
  if (found.length !== 1) throw new Error(`expected one matching ${type}, found ${found.length}`);
  return { name: found[0][0], body: found[0][1] };
}

describe.each(Object.entries(CONFIGURATIONS))('patching readiness with %s', (_name, input) => {
  const { tf } = synthEc2(input);
  const region = input.region ?? 'eu-west-1';
  const patchGroup = input.ec2?.patching?.patchGroup ?? 'ssm-bastion';
  const instance = onlyResource(tf, 'aws_instance');
  const template = onlyResource(tf, 'aws_launch_template');
  const group = onlyResource(tf, 'aws_ssm_patch_group');
  const baseline = onlyResource(tf, 'aws_ssm_patch_baseline');
  const window = onlyResource(tf, 'aws_ssm_maintenance_window');
  const target = onlyResource(tf, 'aws_ssm_maintenance_window_target');
  const task = onlyResource(tf, 'aws_ssm_maintenance_window_task');
  const s3Endpoint = withType(tf, 'aws_vpc_endpoint', (e) => e.vpc_endpoint_type === 'Gateway');
  // A VPC of its own: the endpoint admits only what the bastion reads. An existing VPC: AWS's default policy.
  const sharedRouteTables = input.network?.mode === 'existing';
  const endpointGrants = sharedRouteTables ? undefined : grants(statementsOf(tf, s3Endpoint.body.policy));
  const awsOwnedReads = patchingObjectArns('aws', region);
  const instanceGrants = grants(roleStatements(tf, 'ssm-bastion-ec2-bastion'));
  const tagTarget = [{ key: 'tag:PatchGroup', values: [patchGroup] }];

  it('the instance’s PatchGroup tag equals the patch group bound to the custom baseline', () => {
    const tag = (instance.body.tags as Record<string, string>).PatchGroup;
    expect(resolved(tf, tag)).toBe(patchGroup);
    expect(group.body.patch_group).toBe(patchGroup);
    expect(group.body.baseline_id).toBe(ref('aws_ssm_patch_baseline', baseline.name, 'id'));
  });

  it('the baseline’s operating system is Amazon Linux 2023, the system the instance launches', () => {
    expect(baseline.body.operating_system).toBe('AMAZON_LINUX_2023');
    expect(String(template.body.image_id)).toMatch(/^resolve:ssm:\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-/);
  });

  it('the window target belongs to the window and selects the PatchGroup tag', () => {
    expect(target.body.window_id).toBe(ref('aws_ssm_maintenance_window', window.name, 'id'));
    expect(target.body.targets).toEqual(tagTarget);
    expect(window.body.allow_unassociated_targets).toBe(false);
  });

  it('the task belongs to the window and runs on its target', () => {
    expect(task.body.window_id).toBe(ref('aws_ssm_maintenance_window', window.name, 'id'));
    expect(task.body.targets).toEqual([{ key: 'WindowTargetIds', values: [ref('aws_ssm_maintenance_window_target', target.name, 'id')] }]);
  });

  it('the task runs AWS-RunPatchBaseline with Operation=Install', () => {
    expect(task.body).toMatchObject({ task_type: 'RUN_COMMAND', task_arn: 'AWS-RunPatchBaseline' });
    const parameters = (task.body.task_invocation_parameters as { run_command_parameters: { parameter: { name: string; values: string[] }[] } })
      .run_command_parameters.parameter;
    expect(parameters).toContainEqual({ name: 'Operation', values: ['Install'] });
  });

  it('the task’s role may send AWS-RunPatchBaseline to the patch group', () => {
    const role = withType(tf, 'aws_iam_role', (r) => r.name === 'ssm-bastion-ec2-patch-window');
    expect(task.body.service_role_arn).toBe(ref('aws_iam_role', role.name, 'arn'));
    const statements = roleStatements(tf, 'ssm-bastion-ec2-patch-window');
    const send = statements.filter((st) => st.actions?.includes('ssm:SendCommand'));
    expect(send.flatMap((st) => st.resources ?? [])).toContain(`arn:aws:ssm:${region}::document/AWS-RunPatchBaseline`);
    expect(send).toContainEqual(
      expect.objectContaining({
        resources: [`arn:aws:ec2:${region}:123456789012:instance/*`],
        condition: [{ test: 'StringEquals', variable: 'ssm:resourceTag/PatchGroup', values: [patchGroup] }],
      }),
    );
  });

  it('the scan association exists: AWS-RunPatchBaseline with Operation=Scan, daily, on the PatchGroup tag', () => {
    const scan = onlyResource(tf, 'aws_ssm_association');
    expect(scan.body).toMatchObject({
      name: 'AWS-RunPatchBaseline',
      parameters: { Operation: 'Scan' },
      schedule_expression: 'rate(1 day)',
      targets: tagTarget,
    });
  });

  it('IMDSv2 is required, with the tags in instance metadata', () => {
    expect(template.body.metadata_options).toEqual({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
      instance_metadata_tags: 'enabled',
    });
    expect(instance.body.metadata_options).toBeUndefined();
  });

  it('the root volume is encrypted with the audit key', () => {
    const key = onlyResource(tf, 'aws_kms_key');
    expect(template.body.block_device_mappings).toEqual([
      expect.objectContaining({
        device_name: '/dev/xvda',
        ebs: expect.objectContaining({ encrypted: 'true', kms_key_id: ref('aws_kms_key', key.name, 'arn') }),
      }),
    ]);
  });

  it('the S3 endpoint keeps AWS’s full-access default policy exactly where its route tables are shared', () => {
    expect(s3Endpoint.body.policy === undefined).toBe(sharedRouteTables);
  });

  it('the S3 endpoint policy admits the Amazon Linux 2023 repository bucket of the region', () => {
    if (!endpointGrants) return expect(s3Endpoint.body.policy).toBeUndefined();
    expect(endpointGrants).toContainEqual({ action: 's3:GetObject', resource: `arn:aws:s3:::al2023-repos-${region}-de612dc2/*`, conditioned: false });
  });

  it('the S3 endpoint policy admits the patch baseline snapshot and Patch Manager module buckets of the region', () => {
    if (!endpointGrants) return expect(s3Endpoint.body.policy).toBeUndefined();
    const admitted = endpointGrants.filter((g) => g.action === 's3:GetObject').map((g) => g.resource);
    expect(admitted).toEqual(
      expect.arrayContaining([
        `arn:aws:s3:::patch-baseline-snapshot-${region}/*`,
        `arn:aws:s3:::aws-ssm-${region}/*`,
        expect.stringMatching(`^arn:aws:s3:::aws-patch-manager-${region}-[0-9a-f]+/\\*$`),
      ]),
    );
  });

  it('the instance role reads what the endpoint admits and reports patch state', () => {
    // Without a policy of its own the endpoint admits every bucket: the role must read the AWS-owned ones.
    const endpointReads = endpointGrants
      ? endpointGrants.filter((g) => g.action === 's3:GetObject' && g.resource.startsWith('arn:aws:s3:::') && !g.conditioned).map((g) => g.resource)
      : awsOwnedReads;
    const roleReads = instanceGrants.filter((g) => g.action === 's3:GetObject').map((g) => g.resource);
    expect(roleReads.sort()).toEqual(endpointReads.sort());
    for (const action of ['ssm:GetDeployablePatchSnapshotForInstance', 'ssm:PutComplianceItems', 'ssm:PutInventory']) {
      expect(instanceGrants.map((g) => g.action)).toContain(action);
    }
  });

  it('the interface endpoints the SSM agent needs exist', () => {
    const services = Object.values(resourcesOfType(tf, 'aws_vpc_endpoint'))
      .filter((e) => e.vpc_endpoint_type === 'Interface')
      .map((e) => String(e.service_name).replace(`com.amazonaws.${region}.`, ''));
    expect(services.sort()).toEqual(['ec2messages', 'kms', 'logs', 'ssm', 'ssmmessages']);
  });

  it('the bastion may reach S3 through the gateway endpoint on HTTPS', () => {
    // Among the rules to the endpoint's prefix list (the agent's plain-HTTP rule on 80 is another one).
    const toS3 = Object.values(resourcesOfType(tf, 'aws_vpc_security_group_egress_rule')).filter(
      (rule) => rule.prefix_list_id === ref('aws_vpc_endpoint', s3Endpoint.name, 'prefix_list_id'),
    );
    expect(toS3).toContainEqual(expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443 }));
  });
});
