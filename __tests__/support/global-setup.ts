import { spawnSync } from 'node:child_process';
import { openSynthCache } from './synth-cache';
import { chooseProviderSource, warmProviderCache } from './terraform-provider';

/**
 * Once per `jest` run, before the test files run in parallel: a new folder for the synthesized stacks the
 * files share; without a provider mirror, download the AWS provider into the shared plugin cache (files
 * racing to fill it would each download it). Without Terraform, no download: each Terraform-stage file says
 * what to install.
 */
export default function globalSetup(): void {
  openSynthCache();
  if (process.env.SKIP_TERRAFORM === '1') return;
  if (spawnSync('terraform', ['version'], { encoding: 'utf8' }).status !== 0) return;
  warmProviderCache(chooseProviderSource(), process.env);
}
