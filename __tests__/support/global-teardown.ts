import { killRecordedServers } from './provider-server';
import { closeSynthCache, SYNTH_CACHE_VARIABLE } from './synth-cache';

/**
 * Once per `jest` run, after every test file: kills the AWS provider servers a killed worker left behind, and
 * removes the run folder (shared synthesized stacks, the servers' pids).
 */
export default function globalTeardown(): void {
  const folder = process.env[SYNTH_CACHE_VARIABLE];
  if (folder) killRecordedServers(folder);
  closeSynthCache();
}
