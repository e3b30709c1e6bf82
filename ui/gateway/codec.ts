/**
 * A codec endpoint for the Web UI, as the UI's Data Encoder calls one (a remote codec server in
 * Temporal's terms): POST /codec/decode and /codec/encode with `{payloads: [{metadata, data}]}` in
 * proto3 JSON (bytes in base64) and an `X-Namespace` header; the answer has the same form. The
 * payloads go through a PayloadCodec of the caller's choosing, and decoded ones through an
 * optional `display` transform. Generic: knows nothing of what the payloads hold.
 *
 * No open decryption: every decode or encode needs the bearer token or the session cookie that
 * /codec/login sets (codec-access.ts). Browsers may call it only from the gateway's own origin or
 * from `allowedOrigins` (CORS with credentials); any other Origin is refused 403.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { sendJson } from './api';
import { BodyTooLargeError, readBody, sendTooLarge } from './body';
import { CodecAccess } from './codec-access';
import { handleLogin, handleLogout } from './codec-login';
import { root } from './proto';
import { fromJson, JsonMappingError, toJson } from './proto-json';

export const CODEC_PREFIX = '/codec';

export interface CodecGatewayOptions {
  /** Decodes and encodes the payloads (e.g. the workers' encryption codec). */
  codec: PayloadCodec;
  /** Applied to decoded payloads before the UI gets them (decode only), e.g. to open sealed fields. */
  display?: (payloads: Payload[]) => Promise<Payload[]>;
  /** The secret that grants access: as a bearer token, or once on /codec/login for a session cookie. */
  token: string;
  /** Other origins whose pages may call the endpoint with credentials (a Temporal UI elsewhere). */
  allowedOrigins?: string[];
}

type Log = (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization, Authorization-Extras';
const payloadsType = root.lookupType('temporal.api.common.v1.Payloads');
const payloadType = root.lookupType('temporal.api.common.v1.Payload');

function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  sendJson(req, res, status, { message });
}

export class CodecEndpoint {
  readonly access: CodecAccess;

  constructor(
    private readonly opts: CodecGatewayOptions,
    private readonly log: Log,
  ) {
    this.access = new CodecAccess(opts.token, opts.allowedOrigins);
  }

  /** Answers a request whose path is /codec or under it. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> {
    const sub = pathname.slice(CODEC_PREFIX.length);
    const origin = this.access.origin(req);
    res.setHeader('Vary', 'Origin');
    if (origin === 'refused') {
      refuse(req, res, 403, 'origin not allowed to use the codec endpoint');
      return;
    }
    if (sub === '/login') return handleLogin(req, res, this.access, query);
    if (sub === '/logout') return handleLogout(req, res, this.access);
    if (sub !== '/decode' && sub !== '/encode') {
      refuse(req, res, 404, 'Not Found');
      return;
    }
    if (origin === 'allowed') {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin!);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      refuse(req, res, 405, 'Method Not Allowed', { Allow: 'POST, OPTIONS' });
      return;
    }
    if (!this.access.granted(req)) {
      refuse(req, res, 401, `not logged in to the codec endpoint: open ${CODEC_PREFIX}/login, or send the token as a bearer token`, {
        'WWW-Authenticate': 'Bearer realm="codec"',
      });
      return;
    }
    let payloads: Payload[];
    try {
      payloads = parsePayloads(await readBody(req));
    } catch (err) {
      if (err instanceof BodyTooLargeError) sendTooLarge(res, err);
      else refuse(req, res, 400, err instanceof SyntaxError ? `invalid JSON in request body: ${err.message}` : err instanceof Error ? err.message : String(err));
      return;
    }
    if (sub === '/encode') {
      let encoded: Payload[];
      try {
        encoded = await this.opts.codec.encode(payloads);
      } catch (err) {
        this.log('warn', `codec encode failed: ${err instanceof Error ? err.message : String(err)}`);
        refuse(req, res, 400, 'the payloads could not be encoded');
        return;
      }
      sendJson(req, res, 200, payloadsJson(encoded));
      return;
    }
    sendJson(req, res, 200, payloadsJson(await this.decode(payloads)));
  }

  /**
   * Decodes a batch; when the batch fails, each payload on its own, and one that still fails is
   * given back as it came (the UI shows it encoded). Then the display transform, if any.
   */
  private async decode(payloads: Payload[]): Promise<Payload[]> {
    let decoded: Payload[];
    try {
      decoded = await this.opts.codec.decode(payloads);
    } catch {
      let failures = 0;
      let last = '';
      decoded = await Promise.all(
        payloads.map((p) =>
          this.opts.codec.decode([p]).then(
            (one) => one[0],
            (err: unknown) => {
              failures++;
              last = err instanceof Error ? err.message : String(err);
              return p;
            },
          ),
        ),
      );
      this.log('warn', `codec decode failed for ${failures} of ${payloads.length} payloads (left encoded): ${last}`);
    }
    if (!this.opts.display) return decoded;
    try {
      return await this.opts.display(decoded);
    } catch (err) {
      this.log('warn', `codec display transform failed (payloads shown as decoded): ${err instanceof Error ? err.message : String(err)}`);
      return decoded;
    }
  }
}

/** `{payloads: [...]}` in proto3 JSON to SDK payloads. */
export function parsePayloads(text: string): Payload[] {
  const json: unknown = JSON.parse(text);
  if (json === null || typeof json !== 'object' || Array.isArray(json) || !Array.isArray((json as { payloads?: unknown }).payloads)) {
    throw new JsonMappingError('the request body must be {"payloads": [...]}');
  }
  const message = fromJson(payloadsType, json) as unknown as { payloads?: Array<{ metadata?: Record<string, Uint8Array>; data?: Uint8Array }> };
  return (message.payloads ?? []).map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(v)])),
    data: new Uint8Array(p.data ?? []),
  }));
}

/** SDK payloads to `{payloads: [...]}` in proto3 JSON (always with the list, even when empty). */
export function payloadsJson(payloads: Payload[]): { payloads: unknown[] } {
  return { payloads: payloads.map((p) => toJson(payloadType, { metadata: p.metadata ?? {}, data: p.data ?? new Uint8Array() })) };
}
