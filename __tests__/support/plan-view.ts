import { planArgs, terraformAsync } from './terraform';

/** Offline plans read back with `terraform show -json`, in the Terraform stage's environment. */

/** A planned resource (or data source read at plan time) as `terraform show -json` describes it. */
export interface PlannedBlock {
  readonly mode: string;
  readonly type: string;
  readonly values?: Record<string, unknown>;
  readonly sensitive_values?: unknown;
}

/** The parts of `terraform show -json <plan>` that say what applying would do. */
export interface PlanView {
  /** Planned resources (and data sources read at plan time) by address: type, values, sensitivity. */
  readonly resources: Record<string, PlannedBlock>;
  /** Data sources as read during the plan (policy documents), by address. */
  readonly reads: Record<string, unknown>;
  /** Actions per resource address. */
  readonly actions: Record<string, unknown>;
  /** Output values and which are unknown until apply. */
  readonly outputs: Record<string, unknown>;
  /** Variable values the plan used (defaults included). */
  readonly variables: Record<string, unknown>;
}

interface ShownResource extends PlannedBlock {
  readonly address: string;
}

interface ShownPlan {
  planned_values?: {
    root_module?: { resources?: ShownResource[] };
    outputs?: Record<string, unknown>;
  };
  prior_state?: { values?: { root_module?: { resources?: ShownResource[] } } };
  resource_changes?: { address: string; change: { actions: string[] } }[];
  output_changes?: Record<string, unknown>;
  variables?: Record<string, unknown>;
}

/** Runs an offline plan in `dir` (with `-var`s and optionally a `-var-file`) and returns what it would do. */
export async function planView(dir: string, vars: Record<string, string>, planFile: string, varFile?: string): Promise<PlanView> {
  await terraformAsync(dir, planArgs(vars, planFile, varFile));
  const shown = JSON.parse(await terraformAsync(dir, ['show', '-json', '-no-color', planFile])) as ShownPlan;
  const byAddress = (resources: ShownResource[] = []) =>
    Object.fromEntries(resources.map(({ address, mode, type, values, sensitive_values }) => [address, { mode, type, values, sensitive_values }]));
  return {
    resources: byAddress(shown.planned_values?.root_module?.resources),
    reads: byAddress(shown.prior_state?.values?.root_module?.resources),
    actions: Object.fromEntries((shown.resource_changes ?? []).map((change) => [change.address, change.change.actions])),
    outputs: {
      planned: shown.planned_values?.outputs ?? {},
      changes: shown.output_changes ?? {},
    },
    variables: shown.variables ?? {},
  };
}

/** The addresses of the managed resources a plan would create, sorted. */
export function managedAddresses(view: PlanView): string[] {
  return Object.entries(view.resources)
    .filter(([, block]) => block.mode === 'managed')
    .map(([address]) => address)
    .sort();
}
