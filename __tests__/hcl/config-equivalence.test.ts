import { STACK_NAMES } from '../../modules/config';
import { HANDOFF_STATE_FILE } from '../../modules/hcl';
import { parseHcl } from '../../modules/hcl';
import { NETWORK_VARIANTS } from '../terraform/variants';
import { comparableHcl, comparableJson, jsonAndHcl, jsonStringifiedTemplates } from './support';

/**
 * The hand-off HCL, read back by a real HCL parser, is the JSON synthesis: same blocks, same attributes, same
 * strings (templates compared in the JSON syntax's own form), for both stacks in both network modes. This
 * checks what a plan cannot show (provider settings, variable defaults and validations, depends_on) and
 * needs no Terraform; the HCL stage (__tests__/terraform/<stack>.<network>-vpc.test.ts) then proves the plans equal.
 */
describe.each(STACK_NAMES)('the HCL of %s', (stackName) => {
  describe.each(Object.entries(NETWORK_VARIANTS))('in %s', (_variant, input) => {
    let synthesized: ReturnType<typeof jsonAndHcl>;
    // Read back once: each test reads what it needs (a parse costs a tenth of a second or more).
    let parsed: Awaited<ReturnType<typeof parseHcl>>;
    beforeAll(async () => {
      synthesized = jsonAndHcl(stackName, input);
      parsed = await parseHcl(synthesized.hcl);
    });

    it('parses to the same configuration as the JSON synthesis', () => {
      expect(comparableHcl(parsed)).toEqual(comparableJson(synthesized.json));
    });

    it('keeps local state in the module folder, with no path of this machine', () => {
      expect((parsed.terraform as { backend: unknown }[])[0].backend).toEqual({ local: [{ path: HANDOFF_STATE_FILE }] });
      expect(synthesized.hcl).not.toContain(process.cwd());
      expect(synthesized.hcl).not.toContain('../');
    });

    it('builds JSON documents with jsonencode or policy documents, never JSON.stringify around tokens', () => {
      expect(jsonStringifiedTemplates(synthesized.json)).toEqual([]);
    });

    it('writes no heredoc, whatever multi-line strings (user data) the stack has', () => {
      // A heredoc would add a trailing newline; the comparison above proves each multi-line string reads back exactly.
      expect(synthesized.hcl).not.toMatch(/<<-?[A-Za-z_]/);
    });
  });
});

describe('an S3 backend', () => {
  it('is kept as configured (it holds no path of this machine)', async () => {
    const { json, hcl } = jsonAndHcl('ecs-bastion', {
      backend: { type: 's3', bucket: 'team-terraform-state', key: 'bastion', region: 'eu-central-1', useLockfile: true },
    });
    const parsed = await parseHcl(hcl);
    expect((parsed.terraform as { backend: unknown }[])[0].backend).toEqual({
      s3: [{ bucket: 'team-terraform-state', key: 'bastion/ecs-bastion.tfstate', region: 'eu-central-1', encrypt: true, use_lockfile: true }],
    });
    expect(json.terraform?.backend).toEqual({
      s3: { bucket: 'team-terraform-state', key: 'bastion/ecs-bastion.tfstate', region: 'eu-central-1', encrypt: true, use_lockfile: true },
    });
  });
});
