/**
 * The UI gateway: one HTTP server with the built Temporal Web UI and its /api/v1 API over gRPC
 * on any Temporal frontend. Knows nothing of the embedded engine nor of trajectories.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiContext, handleApi, sendJson } from './api';
import { CODEC_PREFIX, CodecEndpoint, CodecGatewayOptions } from './codec';
import { checkCsrf } from './csrf';
import { FrontendClient, FrontendOptions } from './grpc';
import { Router } from './http-rules';
import { isRawHistory, streamRawHistory } from './raw-history';
import { renderMarkdown } from './render';
import { UiSettingsOptions } from './settings';
import { defaultAssetsDir, StaticFiles } from './static';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface UiGatewayOptions extends Omit<UiSettingsOptions, 'defaultNamespace'> {
  /** host:port of the Temporal frontend (gRPC). */
  temporalAddress: string;
  /** The namespace the UI opens first (default "default"). */
  namespace?: string;
  /** HTTP port (default 8233; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  ip?: string;
  tls?: FrontendOptions['tls'];
  apiKey?: string;
  /**
   * A codec endpoint served by the gateway itself at /codec (decode and encode with this codec,
   * behind a token or a /codec/login session); the UI's settings then point at it. Excludes
   * `codecEndpoint`.
   */
  codec?: CodecGatewayOptions;
  /** The built app (default: dist/ui/app of this checkout). */
  assetsDir?: string;
  log?: (level: LogLevel, msg: string) => void;
}

export interface RunningUiGateway {
  port: number;
  /** http://host:port/ to open in a browser. */
  url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-XSS-Protection': '1; mode=block',
};

/** Settings that point the UI at the gateway's own codec endpoint (a path: same origin, http or https). */
const BUILT_IN_CODEC_SETTINGS = {
  codecEndpoint: CODEC_PREFIX,
  codecIncludeCredentials: true,
  // the UI sends its own access token only to https endpoints, and this endpoint wants its own token
  codecPassAccessToken: false,
  codecDefaultErrorMessage: 'Payloads are encrypted. To read them, log in with the codec token:',
  codecDefaultErrorLink: `${CODEC_PREFIX}/login`,
};

export function isLoopback(ip: string): boolean {
  return ip === 'localhost' || ip === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(ip);
}

export async function startUiGateway(opts: UiGatewayOptions): Promise<RunningUiGateway> {
  const log = opts.log ?? (() => undefined);
  const { codec: codecOptions, ...uiSettings } = opts;
  if (codecOptions && opts.codecEndpoint) throw new Error('the UI gateway takes either a codec of its own or a codecEndpoint, not both');
  const codec = codecOptions ? new CodecEndpoint(codecOptions, log) : undefined;
  const frontend = new FrontendClient({ address: opts.temporalAddress, tls: opts.tls, apiKey: opts.apiKey });
  const settings = { ...uiSettings, defaultNamespace: opts.namespace, ...(codec ? BUILT_IN_CODEC_SETTINGS : {}) };
  const ctx: ApiContext = { router: new Router(), frontend, settings, log };
  const files = new StaticFiles(opts.assetsDir ?? defaultAssetsDir());
  if (!files.built) log('warn', `the Web UI is not built (${files.dir} has no index.html): run "npm run build"`);

  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://gateway');
    const rawPath = (req.url ?? '/').split('?')[0];
    const done = (p: Promise<void>) =>
      p.catch((err: unknown) => {
        log('error', `${req.method} ${url.pathname}: ${err instanceof Error ? err.stack : String(err)}`);
        if (!res.headersSent) sendJson(req, res, 500, { code: 13, message: 'internal error in the UI gateway', details: [] });
        else res.destroy();
      });
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
      return;
    }
    // The codec endpoint guards itself (token or SameSite=Strict session cookie, Origin check,
    // CORS): the UI's codec calls carry no CSRF token. Everything after this keeps the CSRF check.
    if (codec && (url.pathname === CODEC_PREFIX || url.pathname.startsWith(`${CODEC_PREFIX}/`))) {
      done(codec.handle(req, res, url.pathname, url.searchParams));
      return;
    }
    if (!checkCsrf(req, res)) return;
    if (rawPath.startsWith('/api/v1/')) {
      const sub = rawPath.slice('/api/v1'.length);
      if (req.method === 'GET' && isRawHistory(sub)) done(streamRawHistory(ctx, req, res, sub));
      else done(handleApi(ctx, req, res, sub, url.searchParams));
      return;
    }
    if (url.pathname === '/render' && req.method === 'GET') {
      done(renderMarkdown(res, url.searchParams));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Method Not Allowed' }));
      return;
    }
    files.serve(req, res, url.pathname);
  });
  server.keepAliveTimeout = 65_000;

  const ip = opts.ip ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8233, ip, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (!isLoopback(ip)) {
    log('warn', `the Web UI gateway listens on ${ip}:${port}, beyond this machine: it serves plain HTTP${codec ? ' (the codec token and session cookie travel unencrypted)' : ''} and has no login of its own for the UI; put it behind a TLS proxy with authentication, or bind it to 127.0.0.1`);
  }
  const host = ip === '0.0.0.0' || ip === '::' ? '127.0.0.1' : ip.includes(':') ? `[${ip}]` : ip;
  return {
    port,
    url: `http://${host}:${port}/`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      frontend.close();
    },
  };
}
