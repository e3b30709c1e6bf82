/**
 * The UI gateway: one HTTP server with the built Temporal Web UI and its /api/v1 API over gRPC
 * on any Temporal frontend. Knows nothing of the embedded engine nor of trajectories.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiContext, handleApi, sendJson } from './api';
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

export async function startUiGateway(opts: UiGatewayOptions): Promise<RunningUiGateway> {
  const log = opts.log ?? (() => undefined);
  const frontend = new FrontendClient({ address: opts.temporalAddress, tls: opts.tls, apiKey: opts.apiKey });
  const ctx: ApiContext = { router: new Router(), frontend, settings: { ...opts, defaultNamespace: opts.namespace }, log };
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
