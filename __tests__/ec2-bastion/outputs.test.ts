import { resourcesOfType } from '../support/synth';
import { onlyResource, synthEc2, TARGETS } from './support';

/** The format string and the list of a `${one(formatlist("...", <list>))}` output. */
function formatlistOf(value: unknown): { format: string; list: string } {
  const match = /^\$\{one\(formatlist\((".*"), ([^)]+)\)\)\}$/.exec(String(value));
  if (!match) throw new Error(`not one(formatlist(...)): ${String(value)}`);
  return { format: JSON.parse(match[1]) as string, list: match[2] };
}

describe('the outputs of the ec2-bastion stack', () => {
  const { tf, json } = synthEc2({ targets: TARGETS });
  const outputs = tf.output!;
  const instance = onlyResource(tf, 'aws_instance');
  const instanceIds = `aws_instance.${instance.name}[*].id`;

  it('describes every output', () => {
    for (const [name, output] of Object.entries(outputs))
      expect({ name, description: output.description }).toEqual({ name, description: expect.stringMatching(/\w{3,}/) });
  });

  it('gives the instance id, null when parked (one() over the counted instance)', () => {
    expect(outputs.instance_id.value).toBe(`\${one(${instanceIds})}`);
  });

  it('names the session document, the maintenance window, the patch group and the operator policy', () => {
    const document = onlyResource(tf, 'aws_ssm_document');
    const window = onlyResource(tf, 'aws_ssm_maintenance_window');
    const policy = Object.entries(resourcesOfType(tf, 'aws_iam_policy')).find(([, p]) => p.name === 'ssm-bastion-ec2-operator')![0];
    expect(outputs.session_document_name.value).toBe(`\${aws_ssm_document.${document.name}.name}`);
    expect(outputs.maintenance_window_id.value).toBe(`\${aws_ssm_maintenance_window.${window.name}.id}`);
    expect(outputs.operator_policy_arn.value).toBe(`\${aws_iam_policy.${policy}.arn}`);
    expect(outputs.patch_group.value).toMatch(/^\$\{aws_ssm_patch_group\.[^.]+\.patch_group\}$/);
  });

  it('describes each of those outputs as what it holds', () => {
    expect(outputs.maintenance_window_id.description).toMatch(/^Maintenance window/);
    expect(outputs.patch_group.description).toMatch(/^Patch group/);
    expect(outputs.session_document_name.description).toMatch(/^Session document/);
    expect(outputs.instance_id.description).toMatch(/^Id of the EC2 bastion/);
  });

  it('gives a ready-to-paste shell command with the session document and region, null when parked', () => {
    const { format, list } = formatlistOf(outputs.shell_command.value);
    expect(list).toBe(instanceIds);
    expect(format).toBe('aws ssm start-session --target %s --document-name ssm-bastion-session-preferences --region eu-west-1');
  });

  it('gives a port-forward command per target with a host, forwarding localhost to the host and port', () => {
    const commands = outputs.port_forward_commands.value as Record<string, string>;
    expect(Object.keys(commands)).toEqual(['aurora']);
    const { format, list } = formatlistOf(commands.aurora);
    expect(list).toBe(instanceIds);
    const match = /^aws ssm start-session --target %s --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '(.*)' --region eu-west-1$/.exec(
      format,
    );
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1])).toEqual({ host: ['db.cluster-abc.eu-west-1.rds.amazonaws.com'], portNumber: ['5432'], localPortNumber: ['5432'] });
  });

  it('forwards to a /32 target without a host too, and a port below 1024 from 10000 + port, as the ECS stack does', () => {
    const targets = [
      { name: 'cache', port: 6379, cidr: '10.42.200.7/32' },
      { name: 'search', port: 443, cidr: '10.42.128.9/32' },
      { name: 'range', port: 5432, cidr: '10.42.128.0/24' },
    ];
    const commands = synthEc2({ targets }).tf.output!.port_forward_commands.value as Record<string, string>;
    // A range without a host could not run as written: no command.
    expect(Object.keys(commands)).toEqual(['cache', 'search']);
    const parameters = (name: string) => JSON.parse(/--parameters '(.*)' --region/.exec(formatlistOf(commands[name]).format)![1]!);
    expect(parameters('cache')).toEqual({ host: ['10.42.200.7'], portNumber: ['6379'], localPortNumber: ['6379'] });
    expect(parameters('search')).toEqual({ host: ['10.42.128.9'], portNumber: ['443'], localPortNumber: ['10443'] });
  });

  it('has an empty port-forward map without targets', () => {
    expect(synthEc2().tf.output!.port_forward_commands.value).toEqual({});
  });

  it('keeps the foundation outputs', () => {
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['vpc_id', 'subnet_ids', 'bastion_security_group_id', 'audit_kms_key_arn', 'audit_bucket_name']),
    );
  });

  it('never references the counted instance without a splat, which Terraform refuses for a resource with count', () => {
    expect(json).not.toMatch(new RegExp(`aws_instance\\.${instance.name}\\.`));
  });
});
