/**
 * Safe by default: the engine binds 127.0.0.1 unless told otherwise and warns when it is exposed;
 * TLS and mutual TLS on the gRPC frontend through the official SDK (the engine's own Web UI still
 * reaches it); request size limits as Temporal's server applies them: 4 MiB gRPC messages
 * (RESOURCE_EXHAUSTED, also once a gzip-compressed request is inflated) and 2 MiB payloads
 * (INVALID_ARGUMENT "Blob data size exceeds limit." from service/frontend/workflow_handler.go and
 * service/history/api; oversized activity results fail the activity; an oversized workflow result
 * fails the task and terminates the run). Certificates are made with openssl in a temporary directory.
 */
import { execFileSync, spawn, spawnSync, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { Client, Connection, ConnectionOptions, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { TerminatedFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ENGINE, quietRuntime } from '../../helpers/engine';
import { freePort } from '../../helpers/spawn-engine';
import { grpcFailure, uid, workflowBundle, settlesWithin, EventType } from './helpers';

const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;
const MiB = 1024 * 1024;
const BLOB = 'Blob data size exceeds limit.';

const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
const withOpenssl = HAS_OPENSSL ? describe : describe.skip;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-security-'));
const engines: Engine[] = [];

afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Plumbing: engines spawned as a user runs them, certificates, raw requests.

interface Engine {
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
async function launch(args: string[], opts: { ui?: boolean } = {}): Promise<Engine> {
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
function runToExit(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [ENGINE, 'server', 'start-dev', '--headless', '--port', '0', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stderr: r.stderr };
}

interface Certs {
  dir: string;
  file(name: string): string;
  read(name: string): Buffer;
}

/**
 * A self-signed server certificate for engine.test (self.crt/key), and a CA (ca.crt) with a server
 * certificate for engine.test (server.crt/key) and a client certificate (client.crt/key).
 */
function makeCertificates(): Certs {
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
function connectOnce(address: string, extra: Partial<ConnectionOptions> = {}): Promise<Connection> {
  return Connection.connect({ address, interceptors: [], ...extra });
}

function payloads(bytes: number, fill = 0x78): temporal.api.common.v1.IPayloads {
  return { payloads: [{ metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.alloc(bytes, fill) }] };
}

function startRequest(overrides: Partial<temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest> = {}): temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest {
  return { namespace: 'default', workflowId: uid('limit'), workflowType: { name: 'cfCollector' }, taskQueue: { name: uid('limit-q') }, requestId: randomUUID(), ...overrides };
}

/** One gRPC request written by hand: a gzip-flagged message of any content. */
function rawGzipRequest(port: number, method: string, compressed: Buffer): Promise<{ status: number; message: string }> {
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
function lanAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

function canConnect(host: string, port: number): Promise<boolean> {
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
async function expectUiReachesEngine(engine: Engine): Promise<void> {
  const res = await fetch(new URL('/api/v1/namespaces/default', engine.uiUrl));
  expect(res.status).toBe(200);
  expect(((await res.json()) as { namespaceInfo: { name: string } }).namespaceInfo.name).toBe('default');
}

const warnings = (log: string) => log.split('\n').filter((l) => / WARN /.test(l));

/** Runs `greet` (one activity) through a worker on `nativeConnection`, started by `client`. */
async function greetThrough(client: Client, nativeConnection: NativeConnection, name: string): Promise<string> {
  const taskQueue = uid('tls-q');
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: { echo: async (s: string) => s },
  });
  return worker.runUntil(client.workflow.execute('greet', { args: [name], taskQueue, workflowId: uid('tls') }));
}

beforeAll(() => quietRuntime());

// ---------------------------------------------------------------------------------------------

describe('binding', () => {
  test('by default the dev server binds 127.0.0.1 only and warns of nothing', async () => {
    const engine = await launch([]);
    expect(engine.log()).toContain(`engine listening on 127.0.0.1:${engine.port}`);
    expect(warnings(engine.log())).toEqual([]);
    const lan = lanAddress();
    if (lan) expect(await canConnect(lan, engine.port)).toBe(false);
    expect(await canConnect('127.0.0.1', engine.port)).toBe(true);
  });

  test('the test-server form <port> binds 127.0.0.1 only', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [ENGINE, String(port)], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await settlesWithin(
        (async () => {
          while (!(await canConnect('127.0.0.1', port))) await new Promise((r) => setTimeout(r, 50));
        })(),
        30_000,
        'test server startup',
      );
      const lan = lanAddress();
      if (lan) expect(await canConnect(lan, port)).toBe(false);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  test('bound to 0.0.0.0 without TLS, it warns that anyone on the network can read and change every workflow', async () => {
    const engine = await launch(['--ip', '0.0.0.0']);
    const [warning, ...others] = warnings(engine.log());
    expect(others).toEqual([]);
    expect(warning).toContain(`the engine listens on 0.0.0.0:${engine.port} without TLS: anyone on the network who can reach this address can read and change every workflow`);
    expect(warning).toContain('--tls-cert-path FILE --tls-key-path FILE');
    // It serves, from other machines too.
    const lan = lanAddress();
    if (lan) expect(await canConnect(lan, engine.port)).toBe(true);
    const connection = await connectOnce(engine.address);
    await connection.workflowService.getSystemInfo({});
    await connection.close();
  });
});

withOpenssl('TLS on the gRPC frontend (self-signed certificate)', () => {
  let certs: Certs;
  let engine: Engine;
  let tls: { serverRootCACertificate: Buffer; serverNameOverride: string };

  beforeAll(async () => {
    certs = makeCertificates();
    tls = { serverRootCACertificate: certs.read('self.crt'), serverNameOverride: 'engine.test' };
    engine = await launch(['--ip', '0.0.0.0', '--ui-ip', '127.0.0.1', '--tls-cert-path', certs.file('self.crt'), '--tls-key-path', certs.file('self.key')], { ui: true });
  }, 60_000);

  test('a client and a worker over TLS run a workflow with an activity', async () => {
    const connection = await Connection.connect({ address: engine.address, tls });
    const nativeConnection = await NativeConnection.connect({ address: engine.address, tls });
    try {
      expect(await greetThrough(new Client({ connection }), nativeConnection, 'TLS')).toBe('Hello, TLS!');
    } finally {
      await nativeConnection.close();
      await connection.close();
    }
  });

  test("the engine's Web UI reaches the engine over TLS", async () => {
    await expectUiReachesEngine(engine);
  });

  test('a plaintext client is refused, and the engine keeps serving TLS clients', async () => {
    await expect(connectOnce(engine.address, { connectTimeout: '3s' })).rejects.toThrow();
    const connection = await Connection.connect({ address: engine.address, tls });
    expect((await connection.workflowService.getSystemInfo({})).capabilities).toBeTruthy();
    await connection.close();
  });

  test('bound to 0.0.0.0 with TLS: no plaintext warning, but a warning that any client is admitted', () => {
    const [warning, ...others] = warnings(engine.log());
    expect(others).toEqual([]);
    expect(warning).not.toContain('without TLS');
    expect(warning).toContain(`the engine listens on 0.0.0.0:${engine.port} with TLS but admits any client`);
    expect(warning).toContain('--tls-client-ca-path FILE');
    expect(engine.log()).toContain(`engine listening on 0.0.0.0:${engine.port}, TLS (in memory)`);
  });
});

withOpenssl('mutual TLS (--tls-client-ca-path)', () => {
  let certs: Certs;
  let engine: Engine;
  let serverTls: { serverRootCACertificate: Buffer; serverNameOverride: string };

  beforeAll(async () => {
    certs = makeCertificates();
    serverTls = { serverRootCACertificate: certs.read('ca.crt'), serverNameOverride: 'engine.test' };
    engine = await launch(
      ['--ip', '0.0.0.0', '--ui-ip', '127.0.0.1', '--tls-cert-path', certs.file('server.crt'), '--tls-key-path', certs.file('server.key'), '--tls-client-ca-path', certs.file('ca.crt')],
      { ui: true },
    );
  }, 60_000);

  test('clients with a certificate from the CA are served; bound to 0.0.0.0 with mTLS and the UI on 127.0.0.1, nothing to warn of', async () => {
    const tls = { ...serverTls, clientCertPair: { crt: certs.read('client.crt'), key: certs.read('client.key') } };
    const connection = await Connection.connect({ address: engine.address, tls });
    const nativeConnection = await NativeConnection.connect({ address: engine.address, tls });
    try {
      expect(await greetThrough(new Client({ connection }), nativeConnection, 'mTLS')).toBe('Hello, mTLS!');
    } finally {
      await nativeConnection.close();
      await connection.close();
    }
    expect(warnings(engine.log())).toEqual([]);
    expect(engine.log()).toContain('TLS with client certificates');
  });

  test('a client without a certificate is refused', async () => {
    await expect(connectOnce(engine.address, { tls: serverTls, connectTimeout: '3s' })).rejects.toThrow();
  });

  test("the engine's Web UI reaches the engine under mTLS", async () => {
    await expectUiReachesEngine(engine);
  });
});

describe('unusable TLS settings: one clear line, a non-zero exit, no stack trace', () => {
  const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

  test('a certificate without its key', () => {
    const r = runToExit(['--tls-cert-path', path.join(tmp, 'any.crt')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('TLS needs both --tls-cert-path and --tls-key-path: --tls-key-path is missing');
    noStack(r.stderr);
  });

  test('a client CA without a certificate', () => {
    const r = runToExit(['--tls-client-ca-path', path.join(tmp, 'ca.crt')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--tls-cert-path is missing');
    noStack(r.stderr);
  });

  test('a file that does not exist', () => {
    const missing = path.join(tmp, 'missing.crt');
    const r = runToExit(['--tls-cert-path', missing, '--tls-key-path', missing]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot read --tls-cert-path ${missing}: no such file`);
    noStack(r.stderr);
  });

  test('a file that is not a certificate', () => {
    const junk = path.join(tmp, 'junk.pem');
    fs.writeFileSync(junk, 'not a certificate\n');
    const r = runToExit(['--tls-cert-path', junk, '--tls-key-path', junk]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--tls-cert-path ${junk} holds no PEM certificate`);
    noStack(r.stderr);
  });

  (HAS_OPENSSL ? test : test.skip)('a key that is not a key, a key of another certificate, a client CA that is not a certificate', () => {
    const certs = makeCertificates();
    const notKey = runToExit(['--tls-cert-path', certs.file('self.crt'), '--tls-key-path', certs.file('self.crt')]);
    expect(notKey.status).toBe(1);
    expect(notKey.stderr).toContain(`--tls-key-path ${certs.file('self.crt')} is not a usable PEM private key`);
    noStack(notKey.stderr);
    const otherKey = runToExit(['--tls-cert-path', certs.file('self.crt'), '--tls-key-path', certs.file('server.key')]);
    expect(otherKey.status).toBe(1);
    expect(otherKey.stderr).toContain(`the key in --tls-key-path ${certs.file('server.key')} does not belong to the certificate in --tls-cert-path ${certs.file('self.crt')}`);
    noStack(otherKey.stderr);
    const badCa = runToExit(['--tls-cert-path', certs.file('self.crt'), '--tls-key-path', certs.file('self.key'), '--tls-client-ca-path', certs.file('self.key')]);
    expect(badCa.status).toBe(1);
    expect(badCa.stderr).toContain(`--tls-client-ca-path ${certs.file('self.key')} holds no PEM certificate`);
    noStack(badCa.stderr);
  });
});

describe('request size limits', () => {
  let engine: Engine;
  let connection: Connection;

  beforeAll(async () => {
    engine = await launch([]);
    connection = await connectOnce(engine.address);
  }, 60_000);

  afterAll(async () => {
    await connection?.close();
  });

  test('start, signal, signal-with-start and query with a payload above 2 MiB: INVALID_ARGUMENT "Blob data size exceeds limit."', async () => {
    const ws = connection.workflowService;
    const refused = async (call: Promise<unknown>, details = BLOB) => {
      const f = await grpcFailure(call);
      expect({ code: f.code, details: f.details }).toEqual({ code: INVALID_ARGUMENT, details });
    };
    await refused(ws.startWorkflowExecution(startRequest({ input: payloads(2 * MiB + 1) })));
    await refused(ws.startWorkflowExecution(startRequest({ memo: { fields: { big: payloads(2 * MiB + 1).payloads![0] } } })), 'Memo size exceeds limit.');
    // Just under the limit is fine.
    const req = startRequest({ input: payloads(2 * MiB - 64) });
    const { runId } = await ws.startWorkflowExecution(req);
    const execution = { workflowId: req.workflowId!, runId };
    await refused(ws.signalWorkflowExecution({ namespace: 'default', workflowExecution: execution, signalName: 'cfAppend', input: payloads(2 * MiB + 1), requestId: randomUUID() }));
    const sws = { ...startRequest({ workflowId: req.workflowId }), signalName: 'cfAppend' };
    await refused(ws.signalWithStartWorkflowExecution({ ...sws, signalInput: payloads(2 * MiB + 1) }));
    await refused(ws.signalWithStartWorkflowExecution({ ...sws, input: payloads(2 * MiB + 1) }));
    await refused(ws.signalWithStartWorkflowExecution({ ...startRequest(), signalName: 'cfAppend', signalInput: payloads(2 * MiB + 1) }));
    await refused(ws.queryWorkflow({ namespace: 'default', execution, query: { queryType: 'cfValues', queryArgs: payloads(2 * MiB + 1) } }));
    // Nothing of the refused calls reached the history.
    const history = await new Client({ connection }).workflow.getHandle(execution.workflowId).fetchHistory();
    expect(history.events!.map((e) => e.eventType)).toEqual([EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED]);
    await ws.terminateWorkflowExecution({ namespace: 'default', workflowExecution: execution });
  });

  test('an activity result above the limit fails the activity (non-retryable server failure), not the call', async () => {
    const taskQueue = uid('big-activity');
    const nativeConnection = await NativeConnection.connect({ address: engine.address });
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: { big: async (n: number) => 'x'.repeat(n) },
      });
      const outcome = await worker.runUntil(
        new Client({ connection }).workflow.execute('cfRunActivity', {
          args: ['big', [2 * MiB + 100], { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } }],
          taskQueue,
          workflowId: uid('big-activity'),
        }),
      );
      expect(outcome).toEqual({
        failure: expect.objectContaining({
          name: 'ActivityFailure',
          retryState: 'NON_RETRYABLE_FAILURE',
          cause: { name: 'ServerFailure', message: 'Complete result exceeds size limit.' },
        }),
      });
    } finally {
      await nativeConnection.close();
    }
  });

  test('a workflow result above the limit fails the task and terminates the run, as the server does', async () => {
    const taskQueue = uid('big-result');
    const client = new Client({ connection });
    const handle = await client.workflow.start('cfCollector', { taskQueue, workflowId: uid('big-result') });
    // Two signals under the limit each; the result holds both.
    for (const fill of ['a', 'b']) await handle.signal('cfAppend', fill.repeat(1.2 * MiB));
    await handle.signal('cfFinish');
    const nativeConnection = await NativeConnection.connect({ address: engine.address });
    try {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: await workflowBundle() });
      const err = await worker.runUntil(handle.result().then(() => undefined, (e: unknown) => e));
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(TerminatedFailure);
    } finally {
      await nativeConnection.close();
    }
    const message = 'BadScheduleActivityAttributes: CompleteWorkflowExecutionCommandAttributes.Result exceeds size limit.';
    const events = (await handle.fetchHistory()).events!;
    const [failed, terminated] = events.slice(-2);
    expect(failed.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    expect(failed.workflowTaskFailedEventAttributes).toEqual(
      expect.objectContaining({
        cause: temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES,
        failure: expect.objectContaining({ message, serverFailureInfo: expect.objectContaining({ nonRetryable: false }) }),
      }),
    );
    expect(terminated.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
    expect(terminated.workflowExecutionTerminatedEventAttributes).toEqual(expect.objectContaining({ reason: message, identity: 'history-service' }));
  });

  test('a request above 4 MiB is RESOURCE_EXHAUSTED, and the engine keeps serving', async () => {
    const f = await grpcFailure(connection.workflowService.startWorkflowExecution(startRequest({ input: payloads(5 * MiB) })));
    expect(f.code).toBe(RESOURCE_EXHAUSTED);
    expect(f.details).toMatch(/larger than max \(\d+ vs\.? 4194304\)/);
    await connection.workflowService.startWorkflowExecution(startRequest({ input: payloads(1024) }));
  });

  test('a gzip-compressed request that inflates above 4 MiB is RESOURCE_EXHAUSTED', async () => {
    const gzipping = await connectOnce(engine.address, { channelArgs: { 'grpc.default_compression_algorithm': 2 } });
    try {
      const f = await grpcFailure(gzipping.workflowService.startWorkflowExecution(startRequest({ input: payloads(5 * MiB, 0) })));
      expect(f.code).toBe(RESOURCE_EXHAUSTED);
      expect(f.details).toBe('Received message that decompresses to a size larger than 4194304');
      // Compressed requests within the limit are served.
      await gzipping.workflowService.startWorkflowExecution(startRequest({ input: payloads(MiB, 0) }));
    } finally {
      await gzipping.close();
    }
  });

  test('a gzip bomb (1 MiB inflating to 1 GiB) is refused without inflating it, and the engine keeps serving', async () => {
    const member = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member)); // gzip members concatenate
    const r = await rawGzipRequest(engine.port, '/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution', bomb);
    expect(r).toEqual({ status: RESOURCE_EXHAUSTED, message: 'Received message that decompresses to a size larger than 4194304' });
    await connection.workflowService.getSystemInfo({});
    // The engine never held the inflated gigabyte (peak resident memory, where Linux reports it).
    const status = `/proc/${engine.child.pid}/status`;
    if (fs.existsSync(status)) {
      const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(status, 'utf8'))?.[1]);
      expect(peakKiB).toBeLessThan(600 * 1024);
    }
  });

  test('the limits are configurable: --dynamic-config-value limit.blobSize.error=N and --max-message-size N', async () => {
    const configured = await launch(['--dynamic-config-value', 'limit.blobSize.error=1000000', '--dynamic-config-value', 'some.other.key=true', '--max-message-size', String(3 * MiB)]);
    const conn = await connectOnce(configured.address);
    try {
      const ws = conn.workflowService;
      await ws.startWorkflowExecution(startRequest({ input: payloads(900_000) }));
      const blob = await grpcFailure(ws.startWorkflowExecution(startRequest({ input: payloads(1_000_001) })));
      expect({ code: blob.code, details: blob.details }).toEqual({ code: INVALID_ARGUMENT, details: BLOB });
      const big = await grpcFailure(ws.startWorkflowExecution(startRequest({ input: payloads(3 * MiB) })));
      expect(big.code).toBe(RESOURCE_EXHAUSTED);
      // The default engine refuses the same request as a blob, not as a message.
      const dflt = await grpcFailure(connection.workflowService.startWorkflowExecution(startRequest({ input: payloads(3 * MiB) })));
      expect(dflt.code).toBe(INVALID_ARGUMENT);
    } finally {
      await conn.close();
    }
    const bad = runToExit(['--dynamic-config-value', 'limit.blobSize.error=lots']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--dynamic-config-value limit.blobSize.error wants a positive number of bytes, got "lots"');
  });
});
