import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesField, entry, frame, schema } from '../support/protobuf-fixtures';
import { startSchemaProxy } from '../support/provider-server';
import { connectTo } from '../support/schema-proxy';
import { GET_SCHEMA_PATH } from '../support/schema-trim';

/**
 * The schema proxy (support/schema-proxy.ts) in front of a stand-in provider: a gRPC (HTTP/2) server answering
 * like a plugin does. Every call is relayed as it is (messages, headers, trailers, errors, streams), over
 * both kinds of address go-plugin gives; GetSchema reaches the provider once and is answered from memory, cut
 * to the types file as it reads when the call comes. The real provider through the proxy: provider-server.test.ts.
 */

const WHOLE = Buffer.concat([bytesField(1, schema('provider')), entry(2, 'aws_vpc', schema('vpc', 400)), entry(2, 'aws_instance', schema('instance')), entry(3, 'aws_ami', schema('ami'))]);
const GRPC = { ':status': 200, 'content-type': 'application/grpc' };

/** A stand-in provider, counting the GetSchema calls it answers. */
function standInProvider(): { server: http2.Http2Server; schemaCalls: () => number } {
  let schemaCalls = 0;
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const path = headers[':path'];
      if (path === GET_SCHEMA_PATH) schemaCalls++;
      if (path === '/tfplugin5.Provider/Unavailable') {
        // Trailers-Only: an error status in the headers, no message.
        stream.respond({ ...GRPC, 'grpc-status': '12', 'grpc-message': 'not here' }, { endStream: true });
        return;
      }
      stream.respond({ ...GRPC, 'x-called': String(path) }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'x-echo-length': String(Buffer.concat(chunks).length) }));
      if (path === GET_SCHEMA_PATH) stream.end(frame(WHOLE));
      else if (path === '/plugin.GRPCStdio/StreamStdio') {
        // A server stream: messages sent apart in time, then the end.
        ['one', 'two', 'three'].forEach((word, i) => setTimeout(() => (i < 2 ? stream.write(frame(Buffer.from(word))) : stream.end(frame(Buffer.from(word)))), 30 * (i + 1)));
      } else stream.end(Buffer.concat(chunks)); // an echo
    });
  });
  return { server, schemaCalls: () => schemaCalls };
}

interface Answer {
  headers: http2.IncomingHttpHeaders;
  body: Buffer;
  trailers: http2.IncomingHttpHeaders;
}

/** One gRPC call through a client session. */
function call(session: http2.ClientHttp2Session, path: string, body: Uint8Array = Buffer.alloc(0)): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    const answer: Answer = { headers: {}, body: Buffer.alloc(0), trailers: {} };
    const chunks: Buffer[] = [];
    request.on('response', (headers) => (answer.headers = headers));
    request.on('trailers', (trailers) => (answer.trailers = trailers));
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve({ ...answer, body: Buffer.concat(chunks) }));
    request.on('error', reject);
    request.end(body);
  });
}

describe.each(['unix', 'tcp'] as const)('the schema proxy, in front of a provider listening on %s', (network) => {
  let folder: string;
  let provider: ReturnType<typeof standInProvider>;
  let proxy: ChildProcess;
  let session: http2.ClientHttp2Session;
  let typesFile: string;
  let proxyAddress: { Network: string; String: string };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'schema-proxy-'));
    provider = standInProvider();
    const providerSocket = join(folder, 'provider.socket');
    await new Promise<void>((listening) => (network === 'unix' ? provider.server.listen(providerSocket, listening) : provider.server.listen(0, '127.0.0.1', listening)));
    const addr = network === 'unix' ? providerSocket : `127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
    const reattach = JSON.stringify({ 'registry.terraform.io/hashicorp/aws': { Protocol: 'grpc', ProtocolVersion: 5, Pid: 1, Test: true, Addr: { Network: network, String: addr } } });
    const started = startSchemaProxy(reattach, folder);
    proxy = started.child;
    typesFile = started.typesFile;
    const named = JSON.parse(started.reattach) as Record<string, { Pid: number; Addr: { Network: string; String: string } }>;
    const { Addr, Pid } = named['registry.terraform.io/hashicorp/aws']!;
    expect({ Network: Addr.Network, Pid }).toEqual({ Network: network, Pid: proxy.pid });
    proxyAddress = Addr;
    session = http2.connect('http://proxy', { createConnection: () => connectTo(Addr) });
  }, 30_000);

  afterAll(async () => {
    session?.destroy();
    proxy?.kill('SIGKILL');
    await new Promise((closed) => provider.server.close(closed));
    rmSync(folder, { recursive: true, force: true });
  });

  it('relays a call as it is: the message, the headers and the trailers', async () => {
    const message = frame(Buffer.from('a configuration'.repeat(5000)));
    const answer = await call(session, '/tfplugin5.Provider/PlanResourceChange', message);
    expect(answer.body.equals(message)).toBe(true);
    expect(answer.headers['x-called']).toBe('/tfplugin5.Provider/PlanResourceChange');
    expect(answer.trailers).toMatchObject({ 'grpc-status': '0', 'x-echo-length': String(message.length) });
  });

  it('relays an error that comes as headers alone, and a stream message by message', async () => {
    const failed = await call(session, '/tfplugin5.Provider/Unavailable');
    expect(failed.headers).toMatchObject({ 'grpc-status': '12', 'grpc-message': 'not here' });
    expect(failed.body.length).toBe(0);
    const streamed = await call(session, '/plugin.GRPCStdio/StreamStdio');
    expect(streamed.body.equals(Buffer.concat(['one', 'two', 'three'].map((word) => frame(Buffer.from(word)))))).toBe(true);
  });

  it('asks the provider for its schema once, and answers each GetSchema cut to the types file as it reads then', async () => {
    writeFileSync(typesFile, 'aws_vpc\naws_ami');
    const first = await call(session, GET_SCHEMA_PATH);
    expect(first.body.equals(frame(Buffer.concat([bytesField(1, schema('provider')), entry(2, 'aws_vpc', schema('vpc', 400)), entry(3, 'aws_ami', schema('ami'))])))).toBe(true);
    expect(first.trailers['grpc-status']).toBe('0');
    writeFileSync(typesFile, 'aws_instance');
    const second = await call(session, GET_SCHEMA_PATH);
    expect(second.body.equals(frame(Buffer.concat([bytesField(1, schema('provider')), entry(2, 'aws_instance', schema('instance'))])))).toBe(true);
    writeFileSync(typesFile, '');
    const whole = await call(session, GET_SCHEMA_PATH);
    expect(whole.body.equals(frame(WHOLE))).toBe(true);
    expect(whole.headers['x-called']).toBe(GET_SCHEMA_PATH);
    expect(provider.schemaCalls()).toBe(1);
  });

  it('keeps serving after a client is killed in the middle of a call with answers unread, as Terraform may be', async () => {
    // A client process that starts a stream, stops reading its socket, and is killed while answers arrive:
    // the kernel then resets the connection, and the proxy sees ECONNRESET.
    const client = `
      const http2 = require('node:http2'); const net = require('node:net');
      const address = JSON.parse(process.argv[1]);
      let socket;
      const session = http2.connect('http://proxy', { createConnection: () => (socket = address.Network === 'unix' ? net.connect(address.String) : net.connect({ host: '127.0.0.1', port: Number(address.String.split(':')[1]) })) });
      const request = session.request({ ':method': 'POST', ':path': '/plugin.GRPCStdio/StreamStdio', 'content-type': 'application/grpc', te: 'trailers' });
      request.end();
      request.on('response', () => { socket.pause(); setTimeout(() => process.kill(process.pid, 'SIGKILL'), 120); });`;
    const killed = spawn(process.execPath, ['-e', client, JSON.stringify(proxyAddress)], { stdio: 'ignore' });
    expect(await new Promise((exited) => killed.on('exit', (_code, signal) => exited(signal)))).toBe('SIGKILL');
    const answer = await call(session, '/tfplugin5.Provider/ValidateResourceTypeConfig', frame(Buffer.from('after')));
    expect(answer.body.equals(frame(Buffer.from('after')))).toBe(true);
    expect(proxy.exitCode).toBeNull();
  });
});
