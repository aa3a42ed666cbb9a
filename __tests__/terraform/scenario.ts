import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BastionConfigInput, StackName } from '../../modules/config';
import { type CdktfSynthResult, sharedCdktfSynth } from '../support/cdktf-cli';
import { type PlanView, planView } from '../support/plan-view';
import type { TerraformJson } from '../support/synth';
import { cleanUp, init, offlineConfig, requireTerraform, synthToDisk, terraformSkipped } from '../support/terraform';
import type { ProviderSource } from '../support/terraform-provider';
import { describeHclEquivalence, describeProviderEndpointsRendering } from '../hcl/equivalence';
import { describeTerraformStage } from './stage';
import { NETWORK_VARIANTS, type NetworkVariant } from './variants';

/**
 * One stack in one network variant, through Terraform with the real AWS provider: the JSON synthesis is
 * written, initialised and planned once, and both stages read the same plans (the Terraform stage checks
 * what they create, the HCL stage that the hand-off and `cdktf synth --hcl` plan the same). A plan costs
 * seconds of CPU; planning the same folder with the same variables twice proves nothing more.
 */
export class TerraformScenario {
  readonly input: BastionConfigInput;
  #provider?: ProviderSource;
  #root?: string;
  #jsonDir?: string;
  #json?: TerraformJson;
  #defaults?: Promise<PlanView>;
  #parked?: Promise<PlanView>;
  #cdktfHcl?: Promise<CdktfSynthResult>;

  constructor(readonly stackName: StackName, readonly variant: NetworkVariant) {
    this.input = NETWORK_VARIANTS[variant];
  }

  get existingVpc(): boolean {
    return this.input.network?.mode === 'existing';
  }

  /** Synthesizes the stack the way `cdktf synth` does and initialises its folder (in a beforeAll). */
  prepare(): void {
    this.#provider = requireTerraform().provider;
    // Started first, so the CLI runs while this stage plans; the HCL stage awaits it. In an existing VPC the
    // configuration takes one stack (the two stacks' endpoints would collide, which it refuses).
    const stacks = this.existingVpc ? [this.stackName] : undefined;
    const key = ['hcl', this.variant.toLowerCase().replace(/ /g, '-'), ...(stacks ?? [])].join('-');
    this.#cdktfHcl = sharedCdktfSynth(key, offlineConfig({ ...this.input, ...(stacks ? { stacks } : {}) }), ['--hcl']);
    this.#cdktfHcl.catch(() => {}); // reported where it is awaited
    const { root, stackDir } = synthToDisk(this.stackName, this.input);
    this.#root = root;
    this.#jsonDir = stackDir;
    this.#json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    init(stackDir, this.#provider);
    // A non-nullable variable given null takes its default; one that lost nullable = false would be null.
    // null can only be given in a variables file: -var passes the text "null".
    const nonNullable = Object.entries(this.#json.variable ?? {}).filter(([name, variable]) => name !== 'bastion_enabled' && variable.nullable === false);
    writeFileSync(this.nullsFile, nonNullable.map(([name]) => `${name} = null\n`).join(''));
  }

  cleanUp(): void {
    if (this.#root) cleanUp(this.#root);
  }

  get provider(): ProviderSource {
    return this.ready(this.#provider);
  }

  /**
   * `cdktf synth --hcl` as a user runs it, with this variant's configuration: in a new VPC, one run of both
   * stacks shared by the variant's two scenarios (a run is mostly the CLI starting); in an existing VPC, one
   * run of this stack. Each scenario reads its own stack's folder.
   */
  cdktfHclSynth(): Promise<CdktfSynthResult> {
    return this.ready(this.#cdktfHcl);
  }

  /** The folder of the JSON synthesis (cdk.tf.json), initialised. */
  get jsonDir(): string {
    return this.ready(this.#jsonDir);
  }

  /** The JSON synthesis, parsed. */
  get json(): TerraformJson {
    return this.ready(this.#json);
  }

  /** A variables file setting every non-nullable variable but bastion_enabled to null. */
  get nullsFile(): string {
    return join(this.ready(this.#root), 'nulls.tfvars');
  }

  /** The JSON synthesis planned with the defaults (no -var). */
  defaultsPlan(): Promise<PlanView> {
    return (this.#defaults ??= planView(this.jsonDir, {}, 'defaults.plan'));
  }

  /** The JSON synthesis planned parked (bastion_enabled=false), with null for every other non-nullable variable. */
  parkedPlan(): Promise<PlanView> {
    return (this.#parked ??= planView(this.jsonDir, { bastion_enabled: 'false' }, 'parked.plan', this.nullsFile));
  }

  private ready<T>(value: T | undefined): T {
    if (value === undefined) throw new Error(`The scenario ${this.stackName} in ${this.variant} is used before its beforeAll prepared it.`);
    return value;
  }
}

/**
 * Registers everything Terraform checks for one stack in one network variant: the Terraform stage (validate,
 * plans, variable validations, the DNS guard) and the HCL stage (hand-off and `cdktf synth --hcl` equivalence,
 * shipped tests); in a new VPC, also the rendering of the provider's `endpoints`.
 */
export function describeTerraformScenario(stackName: StackName, variant: NetworkVariant): void {
  const describeOrSkip = terraformSkipped() ? describe.skip : describe;
  describeOrSkip(`${stackName} in ${variant}, through Terraform with the real AWS provider`, () => {
    const scenario = new TerraformScenario(stackName, variant);
    beforeAll(() => scenario.prepare(), 120_000);
    afterAll(() => scenario.cleanUp());
    describeTerraformStage(scenario);
    describeHclEquivalence(scenario);
    if (!scenario.existingVpc) describeProviderEndpointsRendering(stackName);
  });
}
