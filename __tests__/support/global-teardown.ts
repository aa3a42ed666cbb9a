import { closeSynthCache } from './synth-cache';

/** Once per `jest` run, after every test file: removes the folder of shared synthesized stacks. */
export default function globalTeardown(): void {
  closeSynthCache();
}
