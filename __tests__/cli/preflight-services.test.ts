/**
 * Preflight checks the interface endpoint services each stack really creates: its table is tied to the
 * synthesized stacks here, so a stack that starts using another service cannot leave preflight behind.
 */
import { shortServiceName, STACK_INTERFACE_SERVICES } from '../../cli/preflight/plan';
import { STACK_NAMES } from '../../modules/config';
import { resourcesOfType, synthStack } from '../support/synth';

test.each(STACK_NAMES)('%s: preflight knows the interface endpoints the stack creates', (stack) => {
  const created = Object.values(resourcesOfType(synthStack(stack).tf, 'aws_vpc_endpoint'))
    .filter((endpoint) => endpoint.vpc_endpoint_type === 'Interface')
    .map((endpoint) => shortServiceName(String(endpoint.service_name)))
    .sort();
  expect(created).toEqual([...STACK_INTERFACE_SERVICES[stack]].sort());
});
