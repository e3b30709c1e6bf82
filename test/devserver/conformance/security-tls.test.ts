/**
 * Safe by default: the engine binds 127.0.0.1 unless told otherwise and warns when it is exposed;
 * TLS and mutual TLS on the gRPC frontend through the official SDK (the engine's own Web UI still
 * reaches it); unusable TLS settings stop it with one line. Certificates are made with openssl.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ENGINE, quietRuntime } from '../../helpers/engine';
import { freePort } from '../../helpers/spawn-engine';
import { settlesWithin } from './helpers';
import { Certs, Engine, HAS_OPENSSL, canConnect, connectOnce, expectUiReachesEngine, greetThrough, lanAddress, launch, makeCertificates, runToExit, tmp, warnings, withOpenssl } from './security-helpers';

beforeAll(() => quietRuntime());

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
