/**
 * CSRF as the UI server's Echo middleware does it: a `_csrf` cookie (readable by the page) set on
 * every answer, and every unsafe request must echo it in `X-CSRF-Token`. Requests that carry an
 * Authorization header are exempt, as upstream.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const COOKIE = '_csrf';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function newToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}

/** Sets the cookie; answers 400/403 and returns false when an unsafe request lacks the token. */
export function checkCsrf(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.headers.authorization) return true;
  const token = cookieValue(req.headers.cookie, COOKIE) || newToken();
  if (!SAFE.has(req.method ?? 'GET')) {
    const sent = req.headers['x-csrf-token'];
    const client = Array.isArray(sent) ? sent[0] : sent;
    if (!client) return refuse(res, 400, 'missing csrf token in request header');
    const a = Buffer.from(client);
    const b = Buffer.from(token);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return refuse(res, 403, 'invalid csrf token');
  }
  res.setHeader('Set-Cookie', `${COOKIE}=${token}; Path=/; Max-Age=86400; SameSite=Strict`);
  res.setHeader('Vary', 'Cookie');
  return true;
}

function refuse(res: ServerResponse, status: number, message: string): false {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ message }));
  return false;
}
