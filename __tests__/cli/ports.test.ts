import { createServer, type Server } from 'node:net';
import { chooseLocalPort, localPorts, type PortProbe } from '../../cli/ports';

const probe = (busy: number[]): PortProbe => ({ isFree: async (port) => !busy.includes(port), anyFree: async () => 49152 });

describe('chooseLocalPort', () => {
  test('the remote port when it is free here', async () => {
    await expect(chooseLocalPort(undefined, 5432, probe([]))).resolves.toEqual({ port: 5432 });
  });

  test('any free port, with a note, when the remote port is taken', async () => {
    const choice = await chooseLocalPort(undefined, 5432, probe([5432]));
    expect(choice.port).toBe(49152);
    expect(choice.note).toMatch(/5432 is in use.*49152/);
  });

  test('an explicit port is used as given, or refused when taken', async () => {
    await expect(chooseLocalPort(15432, 5432, probe([5432]))).resolves.toEqual({ port: 15432 });
    await expect(chooseLocalPort(15432, 5432, probe([15432]))).rejects.toMatchObject({ code: 'PortInUse', hint: expect.stringContaining('--local-port 0') });
  });

  test('--local-port 0 asks for any free port', async () => {
    await expect(chooseLocalPort(0, 5432, probe([]))).resolves.toEqual({ port: 49152 });
  });
});

describe('localPorts (loopback only)', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  test('sees a port in use and finds a free one', async () => {
    const port = await localPorts.anyFree();
    expect(port).toBeGreaterThan(0);
    await expect(localPorts.isFree(port)).resolves.toBe(true);
    server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await expect(localPorts.isFree(port)).resolves.toBe(false);
  });
});
