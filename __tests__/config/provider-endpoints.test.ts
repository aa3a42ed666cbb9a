import { awsProviderEndpointsToTerraform } from '@cdktf/provider-aws/lib/provider';
import { endpointsForBinding, parseConfig } from '../../modules/config';
import { PROVIDER_ENDPOINT_KEYS } from '../../modules/config/provider-endpoints';

describe('provider.endpoints', () => {
  it('accepts exactly the service names the provider binding writes into the endpoints block', () => {
    // The binding returns every key of its endpoints block, each undefined when not set.
    expect([...PROVIDER_ENDPOINT_KEYS].sort()).toEqual(Object.keys(awsProviderEndpointsToTerraform({})).sort());
  });

  it('keeps every endpoint it accepts: none is dropped on the way into the provider block', () => {
    const endpoints = Object.fromEntries([...PROVIDER_ENDPOINT_KEYS].map((key) => [key, `http://localhost:4566/${key}`]));
    const written = awsProviderEndpointsToTerraform(endpointsForBinding(parseConfig({ provider: { endpoints } }).provider.endpoints!));
    expect(written).toEqual(endpoints);
  });
});
