/** Choosing the local port of a port-forwarding session. */
import { createServer } from 'node:net';
import { CliError } from './errors';

export interface PortProbe {
  /** Whether a listener could bind 127.0.0.1:port now. */
  isFree(port: number): Promise<boolean>;
  /** A port the operating system says is free. */
  anyFree(): Promise<number>;
}

function listen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

export const localPorts: PortProbe = {
  isFree: async (port) => (await listen(port)) !== undefined,
  anyFree: async () => {
    const port = await listen(0);
    if (port === undefined) throw new CliError('PortInUse', 'Could not find a free local port.');
    return port;
  },
};

export interface LocalPortChoice {
  readonly port: number;
  /** Why the port differs from the remote port, for the operator. */
  readonly note?: string;
}

/**
 * The local port: `--local-port` when given (0: any free port), else the remote port when it is free here,
 * else any free port. An explicit port that is taken is an error rather than a silent change: the operator's
 * client is configured with it.
 */
export async function chooseLocalPort(requested: number | undefined, remotePort: number, probe: PortProbe): Promise<LocalPortChoice> {
  if (requested === 0) return { port: await probe.anyFree() };
  if (requested !== undefined) {
    if (await probe.isFree(requested)) return { port: requested };
    throw new CliError('PortInUse', `Local port ${requested} is already in use (or needs privileges to bind).`, {
      hint: 'Choose another with --local-port <port>, or pass --local-port 0 for any free port.',
    });
  }
  if (await probe.isFree(remotePort)) return { port: remotePort };
  const port = await probe.anyFree();
  return { port, note: `local port ${remotePort} is in use or privileged; using ${port} instead (set one with --local-port)` };
}
