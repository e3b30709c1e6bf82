/**
 * /codec/login and /codec/logout: the page on which a browser is given the codec token once and
 * gets a session cookie for the codec endpoint in return (the UI only sends a bearer token to an
 * https:// codec endpoint, so over plain http on localhost the cookie is how the UI gets access).
 * The token never appears in an answer: a right one redirects to the UI, a wrong one shows the
 * form again.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody, sendTooLarge } from './body';
import type { CodecAccess } from './codec-access';

const FORM_LIMIT = 16 * 1024;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string, headers: Record<string, string> = {}): void {
  const nonce = crypto.randomBytes(16).toString('base64');
  const html =
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style nonce="${nonce}">` +
    `body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#121416}` +
    `input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;margin:.5rem 0}` +
    `button{font:inherit;padding:.4rem 1rem}.error{color:#b42318}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // not no-referrer: with it Chromium sends `Origin: null` on the form's POST, which is refused
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  });
  res.end(html);
}

function loginForm(res: ServerResponse, status: number, error?: string): void {
  page(
    res,
    status,
    'Read encrypted payloads',
    `<p>Payloads (inputs, signals, results, memos) are encrypted. Enter the codec token to let this browser decode them in the Web UI.</p>` +
      (error ? `<p class="error">${escapeHtml(error)}</p>` : '') +
      `<form method="post" action="/codec/login"><label for="token">Codec token</label>` +
      `<input id="token" name="token" type="password" autocomplete="off" autofocus required>` +
      `<button type="submit">Log in</button></form>`,
    status === 401 ? { 'WWW-Authenticate': 'Bearer realm="codec"' } : {},
  );
}

function loggedInPage(res: ServerResponse): void {
  page(
    res,
    200,
    'Encrypted payloads are readable',
    `<p>This browser decodes encrypted payloads in the <a href="/">Web UI</a> until the session ends (12 hours, or when the gateway restarts).</p>` +
      `<form method="post" action="/codec/logout"><button type="submit">Log out</button></form>`,
  );
}

function accept(req: IncomingMessage, res: ServerResponse, access: CodecAccess, token: string): void {
  if (!access.tokenMatches(token)) {
    loginForm(res, 401, 'That is not the codec token.');
    return;
  }
  res.writeHead(303, { Location: '/', 'Set-Cookie': access.newSessionCookie(req), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  res.end();
}

export async function handleLogin(req: IncomingMessage, res: ServerResponse, access: CodecAccess, query: URLSearchParams): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const token = query.get('token');
    if (token !== null) accept(req, res, access, token);
    else if (access.loggedIn(req)) loggedInPage(res);
    else loginForm(res, 200);
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'GET, POST', 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Method Not Allowed' }));
    return;
  }
  let text: string;
  try {
    text = await readBody(req, FORM_LIMIT);
  } catch (err) {
    if (err instanceof BodyTooLargeError) sendTooLarge(res, err);
    else throw err;
    return;
  }
  accept(req, res, access, new URLSearchParams(text).get('token') ?? '');
}

export function handleLogout(req: IncomingMessage, res: ServerResponse, access: CodecAccess): void {
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.writeHead(405, { Allow: 'GET, POST', 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Method Not Allowed' }));
    return;
  }
  res.writeHead(303, { Location: '/codec/login', 'Set-Cookie': access.endSession(req), 'Cache-Control': 'no-store' });
  res.end();
}
