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

  it('ecs_desired_count accepts the whole numbers 0 to 10 its description promises, and nothing else', () => {
    const [{ condition }] = tf.variable!.ecs_desired_count.validation as { condition: string }[];
    // Evaluated here as JavaScript: the condition is comparisons, && and floor() of the variable only.
    const expression = /^\$\{(.*)\}$/.exec(condition)![1];
    expect(expression.replace(/var\.ecs_desired_count|floor|>=|<=|==|&&/g, '')).toMatch(/^[\s\d()]*$/);
    const accepts = new Function('n', `return ${expression.replace(/var\.ecs_desired_count/g, 'n').replace(/floor/g, 'Math.floor').replace(/==/g, '===')};`) as (n: number) => boolean;
    expect([0, 1, 10].map(accepts)).toEqual([true, true, true]);
    expect([-1, 11, 1.5, 10.5].map(accepts)).toEqual([false, false, false, false]);
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
    // Never null: the parked plan of the Terraform stage passes null for every non-nullable variable.
    expect(tf.variable!.patch_schedule).toMatchObject({ type: 'string', default: 'cron(30 2 ? * SAT *)', nullable: false });
    expect(tf.variable!.patch_timezone).toMatchObject({ type: 'string', default: 'Europe/Berlin', nullable: false });
    const [window] = Object.values(resourcesOfType(tf, 'aws_ssm_maintenance_window'));
    expect(window).toMatchObject({ schedule: '${var.patch_schedule}', schedule_timezone: '${var.patch_timezone}' });
  });

  it('patch_timezone accepts IANA names only, the whole value (the stage refuses only CET, which a pattern without its $ also refuses)', () => {
    const [{ condition }] = tf.variable!.patch_timezone.validation as { condition: string }[];
    const pattern = new RegExp(/^\$\{can\(regex\("([^"]+)", var\.patch_timezone\)\)\}$/.exec(condition)![1]);
    expect(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'].filter((zone) => !pattern.test(zone))).toEqual([]);
    expect(['CET', 'UTC+1', 'Europe/Berlin x', 'Europe Berlin', 'europe/berlin', ''].filter((zone) => pattern.test(zone))).toEqual([]);
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
