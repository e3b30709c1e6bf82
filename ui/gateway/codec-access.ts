/**
 * Who may use the codec endpoint: a request with `Authorization: Bearer <token>`, or a browser
 * holding a session cookie that /codec/login set after it was shown the token. The cookie is
 * HttpOnly, SameSite=Strict and limited to /codec; its value is a random session id with its
 * expiry and an HMAC of both under a secret of this process (never the token), so a restart ends
 * every session. Which origins may call the endpoint from a browser is decided here too.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'temporal_codec_session';
const SESSION_SECONDS = 12 * 60 * 60;
const MIN_TOKEN_LENGTH = 16;

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const digest = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();

/** Compares in constant time (over digests, so the length of the secret does not show either). */
export function secretEquals(candidate: string, secret: string): boolean {
  return crypto.timingSafeEqual(digest(candidate), digest(secret));
}

/** `https://host:port` of a URL or origin text; throws on anything that is not http(s). */
export function normalizeOrigin(text: string): string {
  const u = new URL(text);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not an http(s) origin: ${text}`);
  return u.origin;
}

export type OriginVerdict = 'none' | 'allowed' | 'refused';

export class CodecAccess {
  private readonly secret = crypto.randomBytes(32);
  private readonly allowedOrigins: Set<string>;
  /** Session ids logged out before they expired, with their expiry (seconds). */
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly token: string,
    allowedOrigins: readonly string[] = [],
  ) {
    if (token.length < MIN_TOKEN_LENGTH) throw new Error(`the codec token must be at least ${MIN_TOKEN_LENGTH} characters`);
    this.allowedOrigins = new Set(allowedOrigins.map(normalizeOrigin));
  }

  /**
   * `none`: no Origin header (not a browser's cross-origin or POST request; the token or cookie
   * still decides); `allowed`: the gateway's own origin (as the browser addressed it: the Host
   * header, http or https behind a proxy) or one of `allowedOrigins`; `refused`: any other.
   */
  origin(req: IncomingMessage): OriginVerdict {
    const origin = req.headers.origin;
    if (origin === undefined) return 'none';
    const host = req.headers.host;
    if (host && (origin === `http://${host}` || origin === `https://${host}`)) return 'allowed';
    let normalized: string;
    try {
      normalized = normalizeOrigin(origin);
    } catch {
      return 'refused'; // "null" (sandboxed frames, file: pages) and anything malformed
    }
    return this.allowedOrigins.has(normalized) ? 'allowed' : 'refused';
  }

  tokenMatches(candidate: string): boolean {
    return secretEquals(candidate, this.token);
  }

  /** Bearer token or a valid session cookie. */
  granted(req: IncomingMessage): boolean {
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (auth && this.tokenMatches(auth[1].trim())) return true;
    return this.sessionOf(req) !== undefined;
  }

  /** The Set-Cookie value of a new session; `Secure` when the browser came over https (directly or through a TLS proxy). */
  newSessionCookie(req?: IncomingMessage): string {
    const id = crypto.randomBytes(24).toString('base64url');
    const expires = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
    const value = `${id}.${expires}.${this.sign(`${id}.${expires}`)}`;
    return `${SESSION_COOKIE}=${value}; Path=/codec; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Strict${req && cameOverHttps(req) ? '; Secure' : ''}`;
  }

  /** Ends the request's session (if any) here too, and returns the Set-Cookie value that clears it. */
  endSession(req: IncomingMessage): string {
    const session = this.sessionOf(req);
    if (session) {
      const now = Math.floor(Date.now() / 1000);
      for (const [id, exp] of this.revoked) if (exp < now) this.revoked.delete(id);
      this.revoked.set(session.id, session.expires);
    }
    return `${SESSION_COOKIE}=; Path=/codec; Max-Age=0; HttpOnly; SameSite=Strict`;
  }

  loggedIn(req: IncomingMessage): boolean {
    return this.sessionOf(req) !== undefined;
  }

  private sign(text: string): string {
    return crypto.createHmac('sha256', this.secret).update(text).digest('base64url');
  }

  private sessionOf(req: IncomingMessage): { id: string; expires: number } | undefined {
    const value = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const m = /^([A-Za-z0-9_-]{32})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
    if (!m) return undefined;
    const [, id, exp, mac] = m;
    const expected = Buffer.from(this.sign(`${id}.${exp}`));
    if (!crypto.timingSafeEqual(Buffer.from(mac), expected)) return undefined;
    const expires = Number(exp);
    if (expires < Date.now() / 1000 || this.revoked.has(id)) return undefined;
    return { id, expires };
  }
}

/** True when the request reached us over TLS, or a proxy in front says it did. */
export function cameOverHttps(req: IncomingMessage): boolean {
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim().toLowerCase();
  return proto === 'https' || (req.socket as { encrypted?: boolean }).encrypted === true;
}
