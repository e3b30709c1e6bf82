/**
 * /api/v1: each call translated to its gRPC method on the frontend (routes from the proto's
 * google.api.http annotations), the answer in proto3 JSON, errors as google.rpc.Status JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import { status as Code } from '@grpc/grpc-js';
import type * as PB from 'protobufjs';
import { BodyTooLargeError, readBody, sendTooLarge } from './body';
import { errorBody, errorFromGrpc } from './errors';
import { FrontendClient, metadataFromHeaders } from './grpc';
import { HttpRule, Router } from './http-rules';
import { toJson } from './proto-json';
import { buildRequest } from './request';
import { settingsResponse, UiSettingsOptions, UI_VERSION } from './settings';

/** Long polls (history with waitNewEvent) end well within this on every server; others too. */
const CALL_DEADLINE_MS = 70_000;

export interface ApiContext {
  router: Router;
  frontend: FrontendClient;
  settings: UiSettingsOptions;
  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string): void;
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  let body = Buffer.from(JSON.stringify(value));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  if (body.length > 8192 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = zlib.gzipSync(body, { level: 1 });
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
}

/** Calls one method; rejects with the gRPC error. Cancelled when the browser goes away. */
export function callFrontend(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, rule: HttpRule, request: PB.Message): Promise<PB.Message> {
  const handle = ctx.frontend.call(rule, request, metadataFromHeaders(req.headers, UI_VERSION), CALL_DEADLINE_MS);
  const onClose = () => {
    if (!res.writableFinished) handle.cancel();
  };
  res.once('close', onClose);
  return handle.response.finally(() => res.off('close', onClose));
}

/** Answers a request under /api/v1 (`subpath` is what follows /api/v1, still percent-encoded). */
export async function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, subpath: string, query: URLSearchParams): Promise<void> {
  const verb = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
  if (subpath === '/settings' && verb === 'GET') {
    sendJson(req, res, 200, settingsResponse(ctx.settings));
    return;
  }
  if (ctx.settings.disableWriteActions && verb !== 'GET' && !(verb === 'POST' && /^\/namespaces\/[^/]+\/workflows\/.+\/query\//.test(subpath))) {
    sendJson(req, res, 405, { message: 'Method Not Allowed' });
    return;
  }
  const found = ctx.router.match(verb, subpath);
  if (found === 'method-not-allowed') {
    const e = errorBody(Code.UNIMPLEMENTED, 'Method Not Allowed');
    sendJson(req, res, 405, e.body);
    return;
  }
  if (!found) {
    const e = errorBody(Code.NOT_FOUND, 'Not Found');
    sendJson(req, res, e.status, e.body);
    return;
  }
  let request: PB.Message;
  try {
    const text = found.rule.body ? await readBody(req) : '';
    const body = text.trim() ? JSON.parse(text) : undefined;
    request = buildRequest(found.rule, found.params, query, body);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      sendTooLarge(res, err);
      return;
    }
    const message = err instanceof SyntaxError ? `invalid JSON in request body: ${err.message}` : err instanceof Error ? err.message : String(err);
    const e = errorBody(Code.INVALID_ARGUMENT, message);
    sendJson(req, res, e.status, e.body);
    return;
  }
  try {
    const response = await callFrontend(ctx, req, res, found.rule, request);
    if (res.destroyed) return;
    sendJson(req, res, 200, toJson(found.rule.responseType, response as unknown as Record<string, unknown>));
  } catch (err) {
    if (res.destroyed) return;
    const e = errorFromGrpc(err);
    if (e.body.code !== Code.NOT_FOUND && e.body.code !== Code.CANCELLED) ctx.log('debug', `${found.rule.method}: ${e.body.message}`);
    sendJson(req, res, e.status, e.body);
  }
}
