import { resourcesOfType, synthStack } from '../support/synth';

// The variables a Terraform-only team operates the bastion with (issue: HCL hand-off). Each defaults to the
// configured value and is what the resources actually use.

describe('operator variables of the ecs-bastion stack', () => {
  const { tf } = synthStack('ecs-bastion', { ecs: { desiredCount: 2 } });

  it('ecs_desired_count defaults to ecs.desiredCount and drives the service, 0 when parked', () => {
    expect(tf.variable!.ecs_desired_count).toMatchObject({ type: 'number', default: 2, nullable: false });
    const [service] = Object.values(resourcesOfType(tf, 'aws_ecs_service'));
    expect(service.desired_count).toBe('${var.bastion_enabled ? var.ecs_desired_count : 0}');
  });
});

describe('operator variables of the ec2-bastion stack', () => {
  const { tf } = synthStack('ec2-bastion', {
    ec2: { instanceType: 't4g.small', patching: { schedule: 'cron(30 2 ? * SAT *)', timezone: 'Europe/Berlin' } },
  });

  it('ec2_instance_type defaults to ec2.instanceType and is the type of the launch template', () => {
    expect(tf.variable!.ec2_instance_type).toMatchObject({ type: 'string', default: 't4g.small', nullable: false });
    const [template] = Object.values(resourcesOfType(tf, 'aws_launch_template'));
    expect(template.instance_type).toBe('${var.ec2_instance_type}');
  });

  it('patch_schedule and patch_timezone default to ec2.patching and drive the maintenance window', () => {
    expect(tf.variable!.patch_schedule).toMatchObject({ type: 'string', default: 'cron(30 2 ? * SAT *)' });
    expect(tf.variable!.patch_timezone).toMatchObject({ type: 'string', default: 'Europe/Berlin' });
    const [window] = Object.values(resourcesOfType(tf, 'aws_ssm_maintenance_window'));
    expect(window).toMatchObject({ schedule: '${var.patch_schedule}', schedule_timezone: '${var.patch_timezone}' });
  });

  it('holds the instance type to the architecture of the AMI, for x86_64 too', () => {
    const x86 = synthStack('ec2-bastion', { ec2: { architecture: 'x86_64', instanceType: 't3.micro' } }).tf;
    const condition = (x86.variable!.ec2_instance_type.validation as { condition: string }[])[0].condition;
    expect(condition).toContain(
      '!can(regex("^(a1|[a-z]+[0-9]+g[a-z0-9-]*)[.](nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal|metal-[1-9][0-9]*xl)$", var.ec2_instance_type))',
    );
    expect(condition).toContain('!can(regex("^t[12][.]", var.ec2_instance_type))');
    expect(condition).toContain('!startswith(var.ec2_instance_type, "mac")');
  });
});
