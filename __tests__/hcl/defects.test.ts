import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { App, S3Backend, TerraformHclModule, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { HANDOFF_STATE_FILE, parseHcl, StackVariable, synthesizeApp } from '../../modules/hcl';
import { hclOf, jsonStringifiedTemplates } from './support';

/**
 * One regression test per cdktf 0.21 `synth --hcl` defect the hand-off works around. Each first shows the
 * defect with cdktf alone (so the check is known to catch it), then that the hand-off HCL is right. Parsing is
 * done by a real HCL parser (hcl2json); the HCL stage (__tests__/terraform/<stack>.<network>-vpc.test.ts) proves the plans equal.
 */

/** A stack with an offline AWS provider and whatever `build` adds. */
function testStack(app: App, build: (stack: TerraformStack) => void): TerraformStack {
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  build(stack);
  return stack;
}

function handoff(build: (stack: TerraformStack) => void): Promise<Record<string, unknown>> {
  return parseHcl(hclOf((app) => testStack(app, build)).get('test')!);
}

/**
 * What `cdktf synth --hcl` writes by itself: it sets SYNTH_HCL_OUTPUT, which each stack reads when it is
 * constructed (set here for the construction only, so no other test sees it).
 */
function cdktfAlone(build: (stack: TerraformStack) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'ssm-bastion-hcl-test-'));
  try {
    cdktfAloneInto(outdir, build);
    return readFileSync(join(outdir, 'stacks', 'test', 'cdk.tf'), 'utf8');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** {@link cdktfAlone} into `outdir`, which is kept. */
function cdktfAloneInto(outdir: string, build: (stack: TerraformStack) => void): void {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  const app = new App({ outdir, hclOutput: true });
  process.env.SYNTH_HCL_OUTPUT = 'true';
  try {
    testStack(app, build);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  app.synth();
}

type Blocks = Record<string, Record<string, unknown>[]>;

describe('defect 1: falsy variable defaults, nullable = false and falsy locals', () => {
  const declare = (Variable: typeof TerraformVariable) => (stack: TerraformStack) => {
    new Variable(stack, 'off', { type: 'bool', default: false });
    new Variable(stack, 'zero', { type: 'number', default: 0 });
    new Variable(stack, 'empty', { type: 'string', default: '' });
    new Variable(stack, 'strict', { type: 'bool', default: true, nullable: false });
    new Variable(stack, 'visible', { type: 'string', default: 'x', sensitive: false });
  };

  it('cdktf alone drops them: the variables become required, and null becomes allowed', async () => {
    const variables = (await parseHcl(cdktfAlone(declare(TerraformVariable)))).variable as Blocks;
    for (const name of ['off', 'zero', 'empty']) expect(variables[name][0]).not.toHaveProperty('default');
    expect(variables.strict[0]).not.toHaveProperty('nullable');
    expect(variables.visible[0]).not.toHaveProperty('sensitive');
  });

  it('StackVariable keeps every one of them', async () => {
    const variables = (await handoff(declare(StackVariable))).variable as Blocks;
    expect(variables.off[0]).toMatchObject({ type: '${bool}', default: false });
    expect(variables.zero[0]).toMatchObject({ type: '${number}', default: 0 });
    expect(variables.empty[0]).toMatchObject({ type: '${string}', default: '' });
    expect(variables.strict[0]).toMatchObject({ default: true, nullable: false });
    expect(variables.visible[0]).toMatchObject({ default: 'x', sensitive: false });
  });

  it('renders a default and description literally: a ${ or a quote in them is text, as in the JSON syntax', async () => {
    const variables = (await handoff((stack) => new StackVariable(stack, 'pattern', { type: 'string', default: 'a "${b}" \\ c', description: 'Uses ${x}.' })))
      .variable as Blocks;
    // hcl2json answers in the template form, where a literal ${ is written $${.
    expect(variables.pattern[0]).toMatchObject({ default: 'a "$${b}" \\ c', description: 'Uses $${x}.' });
  });

  it('renders a default that is one whole ${...} literally too: a default is no expression, and Terraform refuses a reference there', async () => {
    const variables = (await handoff((stack) => new StackVariable(stack, 'whole', { type: 'string', default: '${b}' }))).variable as Blocks;
    expect(variables.whole[0]).toMatchObject({ default: '$${b}' });
  });

  it('renders a validation error message as a template, as the JSON syntax reads it: its ${var.x} interpolates', async () => {
    const validated = (stack: TerraformStack) =>
      new StackVariable(stack, 'port', {
        type: 'number',
        default: 5432,
        validation: [{ condition: '${var.port > 0}', errorMessage: 'port must be positive, not ${var.port}.' }],
      });
    const variables = (await handoff(validated)).variable as Blocks;
    expect(variables.port[0]).toMatchObject({ validation: [{ condition: '${var.port > 0}', error_message: 'port must be positive, not ${var.port}.' }] });
  });

  it('keeps a variable attribute it has no field for (an override such as ephemeral), as the JSON synthesis does', async () => {
    const variables = (await handoff((stack) => new StackVariable(stack, 'token', { type: 'string' }).addOverride('ephemeral', true))).variable as Blocks;
    expect(variables.token[0]).toMatchObject({ type: '${string}', ephemeral: true });
  });

  it('the hand-off refuses a plain TerraformVariable, naming StackVariable', () => {
    expect(() => hclOf((app) => testStack(app, (stack) => new TerraformVariable(stack, 'plain', { type: 'bool', default: false })))).toThrow(
      /"plain" is a plain TerraformVariable.*StackVariable/,
    );
  });

  it('falsy locals: cdktf alone drops them; the hand-off keeps them', async () => {
    const locals = (stack: TerraformStack) => {
      new TerraformLocal(stack, 'flag', false);
      new TerraformLocal(stack, 'nought', 0);
      new TerraformLocal(stack, 'blank', '');
      new TerraformLocal(stack, 'kept', 'yes');
    };
    const alone = (await parseHcl(cdktfAlone(locals))).locals as Record<string, unknown>[];
    expect(Object.keys(alone[0])).toEqual(['kept']);
    const kept = ((await handoff(locals)).locals as Record<string, unknown>[])[0];
    // Written as one interpolation each ("${false}": truthy for the renderer), which terraform fmt unwraps.
    expect(kept).toEqual({ flag: false, nought: 0, blank: '', kept: 'yes' });
  });
});

describe('defect 2: JSON.stringify over tokens (cdktf #3911)', () => {
  const stringified = (stack: TerraformStack) => {
    const bucket = new S3Bucket(stack, 'bucket', { bucketPrefix: 'archive-' });
    new IamPolicy(stack, 'policy', {
      name: 'read-archive',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket.arn}/*` }] }),
    });
  };

  it('cdktf alone renders HCL that does not parse', async () => {
    await expect(parseHcl(cdktfAlone(stringified))).rejects.toThrow(/parse config/);
  });

  it('the hand-off renders it as a quoted template with the same value as the JSON synthesis', async () => {
    const json = JSON.parse(Testing.synth(testStack(Testing.app(), stringified)));
    const expected = json.resource.aws_iam_policy.policy.policy as string;
    expect(expected).toContain('"Resource":"${aws_s3_bucket.bucket.arn}/*"');
    const parsed = (await handoff(stringified)).resource as Record<string, Blocks>;
    expect(parsed.aws_iam_policy.policy[0].policy).toBe(expected);
  });

  it('the scan used on our stacks (config-equivalence.test.ts) catches it', () => {
    const json = JSON.parse(Testing.synth(testStack(Testing.app(), stringified)));
    expect(jsonStringifiedTemplates(json)).toEqual(['resource.aws_iam_policy.policy.policy']);
  });
});

describe('defect 3: multi-line strings (user data) become heredocs with an extra trailing newline', () => {
  const script = '#!/bin/bash\nset -eu\ndnf -y update';
  const parameter = (stack: TerraformStack) => new SsmParameter(stack, 'script', { name: '/bastion/user-data', type: 'String', value: script });
  const output = (stack: TerraformStack) => new TerraformOutput(stack, 'banner', { value: 'line one\nline two\n' });
  const multiLine = (stack: TerraformStack) => {
    parameter(stack);
    output(stack);
  };

  it('cdktf alone writes a heredoc whose value gains a newline (and breaks the file for an output)', async () => {
    const hcl = cdktfAlone(parameter);
    expect(hcl).toContain('<<EOF');
    const parsed = (await parseHcl(hcl)).resource as Record<string, Blocks>;
    expect(parsed.aws_ssm_parameter.script[0].value).toBe(`${script}\n`);
    await expect(parseHcl(cdktfAlone(output))).rejects.toThrow(/Quoted strings may not be split over multiple lines/);
  });

  it('the hand-off writes quoted strings with \\n escapes: exactly the same value, no heredoc', async () => {
    const hcl = hclOf((app) => testStack(app, multiLine)).get('test')!;
    expect(hcl).not.toContain('<<');
    const parsed = await parseHcl(hcl);
    expect((parsed.resource as Record<string, Blocks>).aws_ssm_parameter.script[0].value).toBe(script);
    expect((parsed.output as Blocks).banner[0].value).toBe('line one\nline two\n');
  });
});

describe('defect 4: the default local backend bakes in the absolute path of the synthesizing machine', () => {
  it('cdktf alone writes process.cwd() into a stack without a backend', () => {
    expect(cdktfAlone(() => undefined)).toContain(join(process.cwd(), 'terraform.test.tfstate'));
  });

  it('the hand-off writes terraform.tfstate, relative to the module folder, and no path of this machine', async () => {
    const hcl = hclOf((app) => testStack(app, () => undefined)).get('test')!;
    expect(hcl).not.toContain(process.cwd());
    const terraform = (await parseHcl(hcl)).terraform as { backend: Blocks }[];
    expect(terraform[0].backend).toEqual({ local: [{ path: HANDOFF_STATE_FILE }] });
  });
});

describe('defect 5: cdktf synth and cdktf synth --hcl into one cdktf.out leave the other format beside', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'ssm-bastion-hcl-test-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  const stackFiles = () => readdirSync(join(outdir, 'stacks', 'test')).filter((name) => name.startsWith('cdk.')).sort();
  const jsonSynth = (synth: (app: App) => void | Promise<void>) => {
    const app = new App({ outdir });
    testStack(app, () => undefined);
    return synth(app);
  };

  it('cdktf alone: after a JSON and an HCL synthesis the stack folder holds both files, which Terraform loads together', () => {
    jsonSynth((app) => app.synth());
    cdktfAloneInto(outdir, () => undefined);
    expect(stackFiles()).toEqual(['cdk.tf', 'cdk.tf.json']);
  });

  it('synthesizeApp (what main.ts runs) leaves only the format just written, either way', async () => {
    const hclSynth = async () => {
      const app = new App({ outdir, hclOutput: true });
      testStack(app, () => undefined);
      // Unformatted without terraform on PATH: not what this test is about.
      await synthesizeApp(app, () => undefined);
    };
    await jsonSynth((app) => synthesizeApp(app));
    await hclSynth();
    expect(stackFiles()).toEqual(['cdk.tf']);
    await jsonSynth((app) => synthesizeApp(app));
    expect(stackFiles()).toEqual(['cdk.tf.json']);
  });
});

describe('also worked around', () => {
  it('new App({ hclOutput: true }) alone writes JSON into cdk.tf (each stack reads SYNTH_HCL_OUTPUT at construction)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'ssm-bastion-hcl-test-'));
    try {
      const app = new App({ outdir, hclOutput: true });
      testStack(app, () => undefined);
      app.synth();
      expect(readFileSync(join(outdir, 'stacks', 'test', 'cdk.tf'), 'utf8').trimStart()).toMatch(/^\{/);
      expect(hclOf((hclApp) => testStack(hclApp, () => undefined)).get('test')!.trimStart()).toMatch(/^terraform \{/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('a string holding quotes and $${ (the ECS port-forward outputs): cdktf alone breaks the file, the hand-off keeps the value', async () => {
    const command = 'aws ssm start-session --target "ecs:c_$${TASK##*/}" --parameters \'{"host":["db"]}\'';
    const withCommand = (stack: TerraformStack) => new TerraformOutput(stack, 'command', { value: command });
    await expect(parseHcl(cdktfAlone(withCommand))).rejects.toThrow(/parse config/);
    expect(((await handoff(withCommand)).output as Blocks).command[0].value).toBe(command);
  });

  it('strings that look like numbers or JSON stay strings (cdktf alone writes them bare: a number, an object)', async () => {
    const outputs = (stack: TerraformStack) => {
      new TerraformOutput(stack, 'port', { value: '5432' });
      new TerraformOutput(stack, 'document', { value: '{"a":1}' });
    };
    const alone = (await parseHcl(cdktfAlone(outputs))).output as Blocks;
    expect(alone.port[0].value).toBe(5432);
    expect(alone.document[0].value).toEqual({ a: 1 });
    const parsed = (await handoff(outputs)).output as Blocks;
    expect(parsed.port[0].value).toBe('5432');
    expect(parsed.document[0].value).toBe('{"a":1}');
  });

  it('depends_on lists references, not quoted strings (deprecated in HCL)', () => {
    const hcl = hclOf((app) =>
      testStack(app, (stack) => {
        const bucket = new S3Bucket(stack, 'bucket', {});
        new SsmParameter(stack, 'name', { name: 'n', type: 'String', value: bucket.bucket, dependsOn: [bucket] });
      }),
    ).get('test')!;
    expect(hcl).toContain('depends_on = [aws_s3_bucket.bucket]');
  });

  it('an output: depends_on lists references, and a description is plain text (a ${ in it is not interpolated)', async () => {
    const outputs = (await handoff((stack) => {
      const bucket = new S3Bucket(stack, 'bucket', {});
      new TerraformOutput(stack, 'name', { value: bucket.bucket, description: 'Uses ${x}.', dependsOn: [bucket] });
    })).output as Blocks;
    expect(outputs.name[0]).toMatchObject({ description: 'Uses $${x}.', depends_on: ['${aws_s3_bucket.bucket}'] });
  });

  it('backend settings are plain values: a ${ in an S3 key is text, as in the JSON syntax', async () => {
    const terraform = (await handoff((stack) => new S3Backend(stack, { bucket: 'b', key: 'team/${env}/bastion', region: 'eu-west-1' })))
      .terraform as { backend: Record<string, Record<string, unknown>[]> }[];
    expect(terraform[0].backend.s3[0]).toMatchObject({ key: 'team/$${env}/bastion' });
  });

  it('an empty list is no block for a block type, and an empty list for an attribute written as blocks (a security group without egress rules)', async () => {
    const resources = (await handoff((stack) => {
      new SecurityGroup(stack, 'closed', { name: 'closed', egress: [], ingress: [] });
      new Instance(stack, 'host', { ami: 'ami-1', instanceType: 't4g.nano', ebsBlockDevice: [] });
    })).resource as Record<string, Blocks>;
    expect(resources.aws_security_group.closed[0]).toMatchObject({ egress: [], ingress: [] });
    expect(resources.aws_instance.host[0]).not.toHaveProperty('ebs_block_device');
  });

  it('refuses a block kind the hand-off does not check (a module), instead of handing it to the renderer', () => {
    expect(() => hclOf((app) => testStack(app, (stack) => new TerraformHclModule(stack, 'vpc', { source: 'terraform-aws-modules/vpc/aws', version: '5.0.0' })))).toThrow(
      /does not support "module" blocks/,
    );
  });
});
