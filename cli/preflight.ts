/**
 * `bastion preflight [ecs|ec2]`: before the first deploy, read the configured VPC (existing mode) or the
 * region's zones (create mode) through the EC2 API and say what the deploy would collide with, and which
 * `network` / `endpoints` settings fit. Exit 0 without blockers (warnings allowed), 1 with any blocker.
 *
 * The reads are in preflight/facts.ts, the checks in preflight/check-*.ts (pure functions over the facts),
 * the suggested settings in preflight/suggest.ts and the output in preflight/render.ts.
 */
import type { Context } from './context';
import { CliError, EXIT, OPERATOR_POLICY_HINT } from './errors';
import { gatherFacts, type PreflightFacts } from './preflight/facts';
import { countOf } from './preflight/findings';
import { preflightPlan, type PreflightPlan } from './preflight/plan';
import { preflightDocument, renderPreflight } from './preflight/render';
import { preflightReport } from './preflight/report';
import { STACK_OF, type Variant } from './variants';

export interface PreflightOptions {
  /** One JSON document on stdout instead of the report. */
  readonly json?: boolean;
}

/** Preflight runs before any stack exists: with the deployer's own rights, not the stacks' operator policy. */
export const DEPLOYER_HINT =
  'bastion preflight runs with the rights of whoever deploys the stacks and needs read-only EC2 actions (ec2:Describe*, e.g. the AWS managed policy AmazonEC2ReadOnlyAccess); the operator policy of the stacks does not grant them.';

async function readFacts(ctx: Context, plan: PreflightPlan): Promise<PreflightFacts> {
  try {
    return await gatherFacts(ctx.clients.ec2, ctx.clients.sts, plan);
  } catch (error) {
    if (error instanceof CliError && error.code === 'AccessDenied' && error.hint) {
      throw new CliError('AccessDenied', error.message, { hint: error.hint.replace(OPERATOR_POLICY_HINT, DEPLOYER_HINT), cause: error });
    }
    throw error;
  }
}

export async function preflight(ctx: Context, variant: Variant | undefined, options: PreflightOptions): Promise<number> {
  const stacks = variant ? [STACK_OF[variant]] : ctx.config.stacks;
  const plan = preflightPlan(ctx.config, ctx.region, stacks);
  const report = preflightReport(plan, await readFacts(ctx, plan));
  if (options.json) {
    const document = preflightDocument(plan, report, { region: ctx.region, namePrefix: ctx.config.namePrefix, profile: ctx.profile });
    ctx.runtime.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    ctx.runtime.stdout.write(renderPreflight(plan, report, ctx.outStyle));
  }
  return countOf(report.findings, 'blocker') > 0 ? EXIT.error : EXIT.ok;
}
