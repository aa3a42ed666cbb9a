import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type App,
  Annotations,
  Aspects,
  DefaultTokenResolver,
  type IAspect,
  LocalBackend,
  StringConcat,
  TerraformBackend,
  TerraformElement,
  TerraformStack,
  TerraformVariable,
  Tokenization,
} from 'cdktf';
// Not re-exported by the package root in 0.21 (lib/synthesize/index.ts exports only its types).
import { StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';
import type { IConstruct } from 'constructs';
import { hclSafeFragment } from './fragments';
import { StackVariable } from './variable';

/**
 * Where the hand-off module keeps local state: `terraform.tfstate` beside `main.tf`, relative to the folder
 * Terraform runs in, as a module written by hand would. (The cdktf.out synthesis keeps its
 * `../../../terraform.<stack>.tfstate`, which only makes sense inside cdktf.out/stacks/<stack>.)
 */
export const HANDOFF_STATE_FILE = 'terraform.tfstate';

const SAFE = Symbol.for('ssm-bastion.hcl-safe');

/**
 * The aspect that makes a stack's HCL mean what its JSON means: every Terraform element's `toHclTerraform()`
 * is resolved and rewritten by {@link hclSafeFragment} before cdktf's renderer sees it, and a plain
 * `TerraformVariable` (whose HCL loses falsy defaults and `nullable = false`) is an error.
 */
export class HclSafeRendering implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformElement)) return;
    if (node instanceof TerraformVariable && !(node instanceof StackVariable)) {
      Annotations.of(node).addError(
        `Variable "${node.friendlyUniqueId}" is a plain TerraformVariable: cdktf's HCL drops its falsy default and nullable = false. Declare it with StackVariable (modules/hcl).`,
      );
      return;
    }
    const element = node as TerraformElement & { [SAFE]?: true };
    if (element[SAFE]) return;
    element[SAFE] = true;
    const stack = TerraformStack.of(element);
    const original = element.toHclTerraform.bind(element);
    // Resolved first (as the stack would), so the rewrite sees final strings rather than token markers.
    element.toHclTerraform = () =>
      hclSafeFragment(Tokenization.resolve(original(), { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) }));
  }
}

/** Where a local backend keeps the state of rendered HCL. */
export interface HclRenderingOptions {
  /**
   * `module` (the hand-off, the default): {@link HANDOFF_STATE_FILE}, beside main.tf, as a module written by hand
   * would. `configured` (`cdktf synth --hcl` into cdktf.out): the path the stack configured, the very state
   * `cdktf deploy` and the JSON synthesis use.
   */
  readonly localState?: 'module' | 'configured';
}

/**
 * Prepares a stack for HCL output:
 * - HCL output for this stack (in cdktf 0.21 `new App({ hclOutput: true })` only renames the file: each stack
 *   reads SYNTH_HCL_OUTPUT when it is constructed, so its synthesizer is replaced here);
 * - the {@link HclSafeRendering} aspect;
 * - a local backend becomes {@link HANDOFF_STATE_FILE}, in the module folder, unless `localState` is
 *   `configured`; an S3 backend is kept as is. A stack without any backend gets {@link HANDOFF_STATE_FILE}
 *   either way: the local backend cdktf 0.21 adds by default holds the absolute path of the synthesizing machine.
 */
export function prepareHclHandoff(stack: TerraformStack, options: HclRenderingOptions = {}): void {
  stack.synthesizer = new StackSynthesizer(stack, process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined, true);
  Aspects.of(stack).add(new HclSafeRendering());
  const backends = stack.node.findAll().filter((node): node is TerraformBackend => TerraformBackend.isBackend(node));
  if (backends.length === 0) {
    new LocalBackend(stack, { path: HANDOFF_STATE_FILE });
    return;
  }
  if (options.localState === 'configured') return;
  const local = backends.filter((backend) => backend instanceof LocalBackend);
  for (const backend of local) backend.node.scope!.node.tryRemoveChild(backend.node.id);
  if (local.length > 0) new LocalBackend(stack, { path: HANDOFF_STATE_FILE });
}

/**
 * Synthesizes every stack of `app` as HCL (prepared by {@link prepareHclHandoff}) and returns the path of each
 * stack's `cdk.tf` in the app's outdir, by stack name. The app must have been created with `hclOutput: true`
 * (or under SYNTH_HCL_OUTPUT=true, as `cdktf synth --hcl` runs it), so the manifest names the files `cdk.tf`.
 * The files are as cdktf's renderer lays them out: {@link formatHclFiles} formats them.
 */
export function synthesizeHclFiles(app: App, options: HclRenderingOptions = {}): Map<string, string> {
  if (!app.hclOutput) throw new Error('HCL synthesis needs an App created with hclOutput: true.');
  const stacks = app.node.findAll().filter((node): node is TerraformStack => TerraformStack.isStack(node));
  for (const stack of stacks) prepareHclHandoff(stack, options);
  app.synth();
  return new Map(stacks.map((stack) => [stack.node.id, join(app.outdir, app.manifest.forStack(stack).synthesizedStackPath)]));
}

/** {@link synthesizeHclFiles}, returning each stack's HCL text (unformatted) instead of its path. */
export function synthesizeHcl(app: App, options: HclRenderingOptions = {}): Map<string, string> {
  return new Map([...synthesizeHclFiles(app, options)].map(([stack, file]) => [stack, readFileSync(file, 'utf8')]));
}
