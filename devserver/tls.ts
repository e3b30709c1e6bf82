/**
 * TLS for the gRPC frontend: the certificate, key and optional client CA of
 * `--tls-cert-path`, `--tls-key-path` and `--tls-client-ca-path`, checked at startup so that a
 * wrong file is a one-line error; and what the engine's own Web UI needs to reach it over TLS.
 */
import fs from 'node:fs';
import net from 'node:net';
import { X509Certificate, createPrivateKey, KeyObject } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';

export interface TlsPaths {
  certPath?: string;
  keyPath?: string;
  clientCaPath?: string;
}

export interface TlsMaterial {
  /** PEM: the server certificate, possibly followed by its chain. */
  cert: Buffer;
  key: Buffer;
  /** PEM of the CA(s) client certificates must be signed by (mTLS). */
  clientCa?: Buffer;
  leaf: X509Certificate;
}

/** A TLS setting that cannot be used; its message names the flag and the file. */
export class TlsConfigError extends Error {}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads and checks the files; undefined when no TLS flag was given. */
export function loadTls(p: TlsPaths): TlsMaterial | undefined {
  if (!p.certPath && !p.keyPath && !p.clientCaPath) return undefined;
  if (!p.certPath || !p.keyPath) {
    const missing = !p.certPath ? '--tls-cert-path' : '--tls-key-path';
    throw new TlsConfigError(`TLS needs both --tls-cert-path and --tls-key-path: ${missing} is missing`);
  }
  const cert = readFile('--tls-cert-path', p.certPath);
  const key = readFile('--tls-key-path', p.keyPath);
  const leaf = certificates('--tls-cert-path', p.certPath, cert)[0];
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch (err) {
    throw new TlsConfigError(`--tls-key-path ${p.keyPath} is not a usable PEM private key (${reason(err)})`);
  }
  if (!leaf.checkPrivateKey(keyObject)) {
    throw new TlsConfigError(`the key in --tls-key-path ${p.keyPath} does not belong to the certificate in --tls-cert-path ${p.certPath}`);
  }
  let clientCa: Buffer | undefined;
  if (p.clientCaPath) {
    clientCa = readFile('--tls-client-ca-path', p.clientCaPath);
    certificates('--tls-client-ca-path', p.clientCaPath, clientCa);
  }
  return { cert, key, clientCa, leaf };
}

function readFile(flag: string, path: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : reason(err);
    throw new TlsConfigError(`cannot read ${flag} ${path}: ${why}`);
  }
}

function certificates(flag: string, path: string, pem: Buffer): X509Certificate[] {
  const blocks = pem.toString('utf8').match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new TlsConfigError(`${flag} ${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`);
  return blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch (err) {
      throw new TlsConfigError(`${flag} ${path} holds a certificate that cannot be read (${reason(err)})`);
    }
  });
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function serverCredentials(tls: TlsMaterial | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(tls.clientCa ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], !!tls.clientCa);
}

/** Warnings worth printing at startup: a certificate outside its validity period. */
export function certificateWarnings(tls: TlsMaterial | undefined, now = Date.now()): string[] {
  if (!tls) return [];
  const from = Date.parse(tls.leaf.validFrom);
  const to = Date.parse(tls.leaf.validTo);
  if (now > to) return [`the certificate in --tls-cert-path expired on ${tls.leaf.validTo}: clients will refuse it`];
  if (now < from) return [`the certificate in --tls-cert-path is not valid before ${tls.leaf.validFrom}: clients will refuse it`];
  return [];
}

/** The gateway's TLS options (ui/gateway/grpc.ts TlsOptions), repeated here to keep ui/ optional. */
export interface ClientTls {
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverNameOverride?: string;
}

/**
 * How the engine's own Web UI reaches the engine at `host`: it trusts the certificate file (a
 * self-signed certificate, or a chain that includes its root) and the client CA; it expects a
 * name the certificate holds; under mTLS it presents the server's own certificate and key, which
 * works when the client CA signed them.
 */
export function uiClientTls(tls: TlsMaterial, host: string): ClientTls {
  const roots = tls.clientCa ? Buffer.concat([tls.cert, Buffer.from('\n'), tls.clientCa]) : tls.cert;
  return {
    serverRootCACertificate: roots,
    serverNameOverride: certificateCovers(tls.leaf, host) ? undefined : nameIn(tls.leaf),
    clientCertPair: tls.clientCa ? { crt: tls.cert, key: tls.key } : undefined,
  };
}

function certificateCovers(cert: X509Certificate, host: string): boolean {
  return net.isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined;
}

/** A DNS name the certificate is valid for (a wildcard filled in), else its common name. */
function nameIn(cert: X509Certificate): string | undefined {
  for (const entry of (cert.subjectAltName ?? '').split(/,\s*/)) {
    if (entry.startsWith('DNS:')) return entry.slice(4).replace(/^\*\./, 'engine.');
  }
  return /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
}

/** One GetSystemInfo call with `tls`, as the Web UI makes its calls; resolves to an error text or undefined. */
export function probeFrontend(address: string, tls: ClientTls, timeoutMs = 5000): Promise<string | undefined> {
  const credentials = grpc.credentials.createSsl(tls.serverRootCACertificate ?? null, tls.clientCertPair?.key ?? null, tls.clientCertPair?.crt ?? null);
  const options: grpc.ChannelOptions = tls.serverNameOverride
    ? { 'grpc.ssl_target_name_override': tls.serverNameOverride, 'grpc.default_authority': tls.serverNameOverride }
    : {};
  const client = new grpc.Client(address, credentials, options);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.alloc(0),
      { deadline: Date.now() + timeoutMs },
      (err) => {
        client.close();
        resolve(err ? err.details || err.message : undefined);
      },
    );
  });
}
