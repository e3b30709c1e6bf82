/**
 * Plumbing of the security conformance tests: engines spawned as a user runs them (stopped after
 * each test file), certificates made with openssl, raw requests.
 */
import { execFileSync, spawn, spawnSync, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, ConnectionOptions } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { ENGINE } from '../../helpers/engine';
import { freePort } from '../../helpers/spawn-engine';
import { uid, workflowBundle, settlesWithin } from './helpers';

export const INVALID_ARGUMENT = 3;
export const RESOURCE_EXHAUSTED = 8;
export const MiB = 1024 * 1024;
export const BLOB = 'Blob data size exceeds limit.';

export const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
export const withOpenssl = HAS_OPENSSL ? describe : describe.skip;

export const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-security-'));
export const engines: Engine[] = [];

afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Plumbing: engines spawned as a user runs them, certificates, raw requests.

export interface Engine {
  port: number;
  /** 127.0.0.1:port */
  address: string;
  uiUrl?: string;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `temporal-devserver server start-dev` and waits for its last startup line ("engine
 * listening", or "Web UI at" with `ui`): every startup warning is written before it.
 */
export async function launch(args: string[], opts: { ui?: boolean } = {}): Promise<Engine> {
  const port = await freePort();
  const uiArgs = opts.ui ? ['--ui-port', '0'] : ['--headless'];
  const child = spawn(process.execPath, [ENGINE, 'server', 'start-dev', '--port', String(port), '--log-level', 'info', ...uiArgs, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const last = opts.ui ? /Web UI at (http:\/\/\S+)/ : /engine listening on/;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const match = await settlesWithin(
    new Promise<RegExpExecArray>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        log += d;
        const m = last.exec(log);
        if (m) resolve(m);
      });
      child.once('exit', (code) => reject(new Error(`engine exited with ${code}: ${log}`)));
    }),
    30_000,
    'engine startup',
  );
  const engine: Engine = {
    port,
    address: `127.0.0.1:${port}`,
    uiUrl: opts.ui ? match[1] : undefined,
    child,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  engines.push(engine);
  return engine;
}

/** Runs the engine until it exits (for settings it must refuse). */
export function runToExit(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [ENGINE, 'server', 'start-dev', '--headless', '--port', '0', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stderr: r.stderr };
}

export interface Certs {
  dir: string;
  file(name: string): string;
  read(name: string): Buffer;
}

/**
 * A self-signed server certificate for engine.test (self.crt/key), and a CA (ca.crt) with a server
 * certificate for engine.test (server.crt/key) and a client certificate (client.crt/key).
 */
export function makeCertificates(): Certs {
  const dir = fs.mkdtempSync(path.join(tmp, 'certs-'));
  fs.writeFileSync(
    path.join(dir, 'openssl.cnf'),
    [
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = engine.test',
      '[ca]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash',
      '[self]', 'basicConstraints = critical, CA:FALSE', 'subjectAltName = DNS:engine.test', 'extendedKeyUsage = serverAuth',
      '[server]', 'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = serverAuth, clientAuth',
      'subjectAltName = DNS:engine.test', 'authorityKeyIdentifier = keyid',
      '[client]', 'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = clientAuth', 'authorityKeyIdentifier = keyid',
    ].join('\n') + '\n',
  );
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...newKey, '-keyout', 'self.key', '-out', 'self.crt', '-days', '2', '-subj', '/CN=engine.test', '-config', 'openssl.cnf', '-extensions', 'self');
  openssl('req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Engine test CA', '-config', 'openssl.cnf', '-extensions', 'ca');
  for (const name of ['server', 'client']) {
    openssl('req', '-new', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`, '-config', 'openssl.cnf');
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', 'openssl.cnf', '-extensions', name);
  }
  return { dir, file: (n) => path.join(dir, n), read: (n) => fs.readFileSync(path.join(dir, n)) };
}

/** A client connection with no retries: a refused request fails at once instead of backing off. */
export function connectOnce(address: string, extra: Partial<ConnectionOptions> = {}): Promise<Connection> {
  return Connection.connect({ address, interceptors: [], ...extra });
}

export function payloads(bytes: number, fill = 0x78): temporal.api.common.v1.IPayloads {
  return { payloads: [{ metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.alloc(bytes, fill) }] };
}

export function startRequest(overrides: Partial<temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest> = {}): temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest {
  return { namespace: 'default', workflowId: uid('limit'), workflowType: { name: 'cfCollector' }, taskQueue: { name: uid('limit-q') }, requestId: randomUUID(), ...overrides };
}

/** One gRPC request written by hand: a gzip-flagged message of any content. */
export function rawGzipRequest(port: number, method: string, compressed: Buffer): Promise<{ status: number; message: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    const req = session.request({ ':method': 'POST', ':path': method, 'content-type': 'application/grpc', te: 'trailers', 'grpc-encoding': 'gzip' });
    let status: number | undefined;
    let message = '';
    const take = (h: http2.IncomingHttpHeaders) => {
      if (h['grpc-status'] === undefined) return;
      status = Number(h['grpc-status']);
      message = decodeURIComponent(String(h['grpc-message'] ?? ''));
    };
    req.on('response', take);
    req.on('trailers', take);
    req.on('data', () => undefined);
    req.on('error', () => undefined);
    req.on('close', () => {
      session.close();
      if (status === undefined) reject(new Error('no grpc-status in the answer'));
      else resolve({ status, message });
    });
    const prefix = Buffer.alloc(5);
    prefix.writeUInt8(1, 0);
    prefix.writeUInt32BE(compressed.length, 1);
    req.end(Buffer.concat([prefix, compressed]));
  });
}

/** A non-loopback IPv4 address of this machine, if it has one. */
export function lanAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The Web UI's API answers from the engine (DescribeNamespace over the gateway's gRPC channel). */
export async function expectUiReachesEngine(engine: Engine): Promise<void> {
  const res = await fetch(new URL('/api/v1/namespaces/default', engine.uiUrl));
  expect(res.status).toBe(200);
  expect(((await res.json()) as { namespaceInfo: { name: string } }).namespaceInfo.name).toBe('default');
}

export const warnings = (log: string) => log.split('\n').filter((l) => / WARN /.test(l));

/** Runs `greet` (one activity) through a worker on `nativeConnection`, started by `client`. */
export async function greetThrough(client: Client, nativeConnection: NativeConnection, name: string): Promise<string> {
  const taskQueue = uid('tls-q');
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: { echo: async (s: string) => s },
  });
  return worker.runUntil(client.workflow.execute('greet', { args: [name], taskQueue, workflowId: uid('tls') }));
}
