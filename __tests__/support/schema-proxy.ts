/**
 * A pass-through for a provider server of the Terraform stage that answers GetSchema from memory, cut to the
 * types the command's working folder names (schema-trim.ts says why).
 *
 * Terraform speaks gRPC (HTTP/2) to the provider over a Unix socket (loopback TCP where go-plugin uses that);
 * this process listens on an address of the same kind and relays every stream to the provider byte for byte (headers, messages, trailers), each Terraform
 * connection over a connection of its own to the provider. Only GetSchema is different: the provider answers
 * the first one; the answer is kept, and each GetSchema is answered with it, less the resource and data source
 * schemas that the types file (read on every GetSchema) does not list. With no types file, the answer is whole.
 *
 * Run as a child process (the Terraform stage blocks its own event loop while terraform runs):
 *   node --require scripts/load-typescript.js schema-proxy.ts '<the provider's TF_REATTACH_PROVIDERS value>' <socket path> <types file>
 * It prints the TF_REATTACH_PROVIDERS value that names it, the way a debug-mode provider does.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { exitWithStarter } from './background';
import { GET_SCHEMA_PATH, trimSchemaBody } from './schema-trim';

interface Reattach {
  Protocol: string;
  ProtocolVersion: number;
  Pid: number;
  Test: boolean;
  Addr: { Network: string; String: string };
}

/** The provider's first GetSchema answer, kept. */
interface SchemaAnswer {
  readonly headers: http2.OutgoingHttpHeaders;
  readonly body: Buffer;
  readonly trailers: http2.OutgoingHttpHeaders;
}

/** Headers as received, less the HTTP/2 pseudo-headers the sending side sets itself (and the symbol keys Node adds). */
function plain(headers: http2.IncomingHttpHeaders, keep: readonly string[] = []): http2.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':') || keep.includes(name)));
}

/** A connection to the provider's address, as go-plugin gives it: a Unix socket path, or TCP `host:port`. */
export function connectTo(addr: Reattach['Addr']): Socket {
  if (addr.Network === 'unix') return connect(addr.String);
  const colon = addr.String.lastIndexOf(':');
  return connect({ host: addr.String.slice(0, colon), port: Number(addr.String.slice(colon + 1)) });
}

function main(): void {
  const [reattachText, socketPath, typesFile] = process.argv.slice(2);
  if (!reattachText || !socketPath || !typesFile) throw new Error('usage: schema-proxy.ts <TF_REATTACH_PROVIDERS value> <socket path> <types file>');
  // What went wrong, for the command that then fails to reach the provider (provider-server.ts shows it).
  process.on('uncaughtException', (error) => {
    appendFileSync(`${socketPath}.log`, `${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
  const reattach = JSON.parse(reattachText) as Record<string, Reattach>;
  const [providerName, provider] = Object.entries(reattach)[0]!;
  let schema: SchemaAnswer | undefined;
  /** Cut bodies of the kept answer, by the types file's text: a test's commands ask with the same types again and again. */
  const cuts = new Map<string, Buffer>();
  /** The body to answer with: cut to the types the file lists (one a line), whole when there is none. */
  const cutBody = (answer: SchemaAnswer): Buffer => {
    const types = existsSync(typesFile) ? readFileSync(typesFile, 'utf8').trim() : '';
    if (!types) return answer.body;
    const cut = () => trimSchemaBody(answer.body, new Set(types.split('\n'))) ?? answer.body;
    if (answer !== schema) return cut();
    let body = cuts.get(types);
    if (!body) cuts.set(types, (body = cut()));
    return body;
  };

  const answerSchema = (stream: http2.ServerHttp2Stream, answer: SchemaAnswer) => {
    if (stream.destroyed) return;
    const body = cutBody(answer);
    stream.respond(answer.headers, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(answer.trailers));
    stream.end(body);
  };

  // A connection reset (Terraform exits as soon as it has its answers) ends that connection, never the proxy.
  const server = http2.createServer();
  server.on('sessionError', () => {});
  server.on('session', (session) => {
    const upstream = http2.connect('http://provider', {
      createConnection: () => connectTo(provider.Addr).on('error', () => session.destroy()),
    });
    upstream.on('error', () => session.destroy());
    session.on('close', () => upstream.destroy());
    session.on('error', () => upstream.destroy());

    session.on('stream', (stream, headers) => {
      stream.on('error', () => {});
      const path = headers[':path'];
      if (path === GET_SCHEMA_PATH && schema) {
        stream.resume(); // the request's (empty) message
        answerSchema(stream, schema);
        return;
      }
      const request = upstream.request(plain(headers, [':path', ':method']));
      stream.pipe(request);
      stream.on('close', () => {
        if (!request.closed) request.close(http2.constants.NGHTTP2_CANCEL);
      });
      request.on('error', () => stream.destroy());
      const chunks: Buffer[] = [];
      let responseHeaders: http2.OutgoingHttpHeaders = {};
      let trailers: http2.OutgoingHttpHeaders = {};
      let trailersOnly = false;
      request.on('response', (received) => {
        if (stream.destroyed) return;
        responseHeaders = plain(received, [':status']);
        // A gRPC error with no message comes as headers alone ("Trailers-Only"), grpc-status among them.
        trailersOnly = received['grpc-status'] !== undefined;
        if (trailersOnly) stream.respond(responseHeaders, { endStream: true });
        else if (path !== GET_SCHEMA_PATH) stream.respond(responseHeaders, { waitForTrailers: true });
      });
      request.on('trailers', (received) => {
        trailers = plain(received);
      });
      request.on('data', (chunk: Buffer) => {
        if (path === GET_SCHEMA_PATH) chunks.push(chunk);
        else stream.write(chunk);
      });
      request.on('end', () => {
        if (trailersOnly || stream.destroyed) return;
        if (path === GET_SCHEMA_PATH) {
          const answer = { headers: responseHeaders, body: Buffer.concat(chunks), trailers };
          if (trailers['grpc-status'] === '0') schema = answer;
          answerSchema(stream, answer);
          return;
        }
        stream.on('wantTrailers', () => stream.sendTrailers(trailers));
        stream.end();
      });
    });
  });

  exitWithStarter('SCHEMA_PROXY_PARENT');

  // The provider's kind of address: a Unix socket (Linux, macOS), or loopback TCP where go-plugin uses that (Windows).
  const announce = (addr: Reattach['Addr']) => {
    const named = { [providerName]: { ...provider, Pid: process.pid, Addr: addr } };
    process.stdout.write(`TF_REATTACH_PROVIDERS='${JSON.stringify(named)}'\n`);
  };
  if (provider.Addr.Network === 'unix') server.listen(socketPath, () => announce({ Network: 'unix', String: socketPath }));
  else server.listen(0, '127.0.0.1', () => announce({ Network: 'tcp', String: `127.0.0.1:${(server.address() as AddressInfo).port}` }));
}

if (require.main === module) main();
