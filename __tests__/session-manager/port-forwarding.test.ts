/** The port-forward helpers both stacks' port_forward outputs are built from. */
import { forwardHost, HOST_PLACEHOLDER, localPortFor, portForwardParameters } from '../../modules/session-manager';

describe('port forwarding', () => {
  test.each([
    [1, 10001],
    [443, 10443],
    [1023, 11023],
    [1024, 1024],
    [5432, 5432],
    [65535, 65535],
  ])('remote port %i is forwarded from local port %i (below 1024 needs root, so 10000 + port)', (remote, local) => {
    expect(localPortFor(remote)).toBe(local);
  });

  test.each([
    [{ host: 'db.example.internal', cidr: '10.0.0.7/32' }, 'db.example.internal'],
    [{ cidr: '10.0.0.7/32' }, '10.0.0.7'],
    [{ cidr: '10.0.0.6/31' }, HOST_PLACEHOLDER],
    [{ cidr: '10.0.8.0/24' }, HOST_PLACEHOLDER],
    [{ cidr: '10.0.8.0/22' }, HOST_PLACEHOLDER],
    [{}, HOST_PLACEHOLDER],
  ])('forwardHost(%j) is %s', (target, host) => {
    expect(forwardHost(target)).toBe(host);
  });

  test('portForwardParameters are the document parameters, each a list of one string', () => {
    expect(JSON.parse(portForwardParameters({ cidr: '10.0.0.7/32', port: 22 }))).toEqual({ host: ['10.0.0.7'], portNumber: ['22'], localPortNumber: ['10022'] });
  });
});
