/**
 * The UI gateway's codec endpoint over HTTP (ui/gateway/codec.ts), as the Web UI's Data Encoder
 * calls it: decode/encode round trip with the workers' EncryptionCodec, access only with the token
 * or a /codec/login session cookie, CORS for the UI's origin only, body size limits, the settings
 * that point the UI at it (the trajectory wiring: codec-trajectory.test.ts).
 * No Temporal frontend is needed: nothing here reaches gRPC.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { startUiGateway, type RunningUiGateway } from '../../ui/gateway';
import { BodyTooLargeError, MAX_REQUEST_BODY, readBody } from '../../ui/gateway/body';
import { UiClient } from './helpers';
import { b64, call, codec, codecCallAt, jsonPayload, masterKey, NOWHERE, toWire, TOKEN, unb64, type Answer, type JsonPayload } from './codec-helpers';

const FOREIGN = 'http://evil.example';
const OTHER_UI = 'http://temporal-ui.example:8080';
const logs: string[] = [];

let gateway: RunningUiGateway;
let own: string; // the gateway's origin, as a browser on it sends it

/** A codec call as the UI makes it, to this file's gateway unless told otherwise. */
const codecCall = (kind: 'decode' | 'encode', payloads: unknown[], headers: Record<string, string> = {}, base = gateway.url): Promise<Answer> =>
  codecCallAt(base, kind, payloads, headers);


const bearer = { Authorization: `Bearer ${TOKEN}` };

/** Logs in with the token; returns the `name=value` of the session cookie. */
async function login(base = gateway.url): Promise<string> {
  const res = await call(base, `/codec/login?token=${encodeURIComponent(TOKEN)}`, { method: 'GET' });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0];
}

beforeAll(async () => {
  gateway = await startUiGateway({
    temporalAddress: NOWHERE,
    port: 0,
    codec: { codec, token: TOKEN, allowedOrigins: [OTHER_UI] },
    log: (level, msg) => logs.push(`${level}: ${msg}`),
  });
  own = new URL(gateway.url).origin;
});

afterAll(async () => {
  await gateway?.close();
});

describe('decode and encode', () => {
  test('round trip: encode encrypts with the codec, decode gives the payloads back, in proto3 JSON', async () => {
    const plain = [jsonPayload({ name: 'Ada Lovelace' }), jsonPayload(42)];
    const encoded = await codecCall('encode', plain, bearer);
    expect(encoded.status).toBe(200);
    expect(encoded.headers.get('content-type')).toMatch(/^application\/json/);
    const sealed = encoded.json.payloads as JsonPayload[];
    expect(sealed).toHaveLength(2);
    expect(unb64(sealed[0].metadata.encoding)).toBe('binary/encrypted');
    expect(unb64(sealed[0].metadata['encryption-key-id'])).toBe(masterKey.id);
    expect(encoded.text).not.toContain(b64(JSON.stringify({ name: 'Ada Lovelace' })));

    const decoded = await codecCall('decode', sealed, bearer);
    expect(decoded.status).toBe(200);
    expect(decoded.json).toEqual({ payloads: plain });
  });

  test('decodes what a worker encoded, and passes unencrypted payloads through', async () => {
    const [wire] = toWire(await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hello"') }]));
    const res = await codecCall('decode', [wire, jsonPayload('as is')], bearer);
    expect(res.status).toBe(200);
    expect(res.json.payloads).toEqual([jsonPayload('hello'), jsonPayload('as is')]);
  });

  test('an empty list answers an empty list; a payload it cannot open comes back as it was', async () => {
    expect((await codecCall('decode', [], bearer)).json).toEqual({ payloads: [] });
    const foreign = { metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k-unknown') }, data: randomBytes(40).toString('base64') };
    const res = await codecCall('decode', [jsonPayload(1), foreign], bearer);
    expect(res.status).toBe(200);
    expect(res.json.payloads).toEqual([jsonPayload(1), foreign]);
    expect(logs.some((l) => l.startsWith('warn: codec decode failed for 1 of 2'))).toBe(true);
  });

  test('a body that is not {payloads: [...]} is 400', async () => {
    const res = await call(gateway.url, '/codec/decode', { body: '{"nope":1}', headers: { ...bearer, 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    const bad = await call(gateway.url, '/codec/decode', { body: '{', headers: { ...bearer, 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/invalid JSON/);
  });
});

describe('access', () => {
  let wire: JsonPayload[];
  beforeAll(async () => {
    wire = toWire(await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"secret"') }]));
  });

  test('without token or cookie: 401 JSON, nothing decoded', async () => {
    const res = await codecCall('decode', wire);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json.message).toMatch(/codec\/login/);
    expect(res.text).not.toContain(b64('"secret"'));
    expect((await codecCall('encode', [jsonPayload(1)])).status).toBe(401);
  });

  test('a wrong token, a wrong scheme, the token as a cookie, a forged cookie: 401', async () => {
    expect((await codecCall('decode', wire, { Authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await codecCall('decode', wire, { Authorization: `Bearer ${TOKEN.slice(1)}` })).status).toBe(401);
    expect((await codecCall('decode', wire, { Authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect((await codecCall('decode', wire, { Cookie: `temporal_codec_session=${TOKEN}` })).status).toBe(401);
    const cookie = await login();
    const forged = cookie.replace(/\.(\d+)\./, (_, exp: string) => `.${Number(exp) + 1000}.`);
    expect((await codecCall('decode', wire, { Cookie: forged })).status).toBe(401);
  });

  test('the bearer token decodes', async () => {
    const res = await codecCall('decode', wire, bearer);
    expect(res.status).toBe(200);
    expect(unb64(res.json.payloads[0].data)).toBe('"secret"');
  });

  test('login by link sets an HttpOnly SameSite=Strict cookie that is not the token, and redirects to the UI', async () => {
    const res = await call(gateway.url, `/codec/login?token=${encodeURIComponent(TOKEN)}`, { method: 'GET' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^temporal_codec_session=[^;]+;/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/codec/);
    expect(setCookie).not.toContain(TOKEN);
    expect(setCookie).not.toContain(encodeURIComponent(TOKEN));
    expect(res.text).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0];
    // the UI's call: same origin, with the cookie, no CSRF token, no Authorization
    const decoded = await codecCall('decode', wire, { Cookie: cookie, Origin: own });
    expect(decoded.status).toBe(200);
    expect(unb64(decoded.json.payloads[0].data)).toBe('"secret"');
    // each login is a new session
    expect(await login()).not.toBe(cookie);
  });

  test('login by form (POST, field token) does the same; a wrong token shows the form again without echoing it', async () => {
    const form = await call(gateway.url, '/codec/login', { method: 'GET' });
    expect(form.status).toBe(200);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
    expect(form.text).toContain('name="token"');
    expect(form.headers.get('content-security-policy')).toMatch(/default-src 'none'/);

    const posted = await call(gateway.url, '/codec/login', {
      body: new URLSearchParams({ token: TOKEN }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: own },
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);

    const wrong = 'not-the-token-but-long-enough';
    for (const res of [
      await call(gateway.url, '/codec/login', { body: new URLSearchParams({ token: wrong }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      await call(gateway.url, `/codec/login?token=${wrong}`, { method: 'GET' }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.text).toContain('name="token"');
      expect(res.text).not.toContain(wrong);
    }
  });

  test('logout clears the cookie, and the old cookie no longer decodes', async () => {
    const cookie = await login();
    expect((await codecCall('decode', wire, { Cookie: cookie })).status).toBe(200);
    const out = await call(gateway.url, '/codec/logout', { headers: { Cookie: cookie, Origin: own } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^temporal_codec_session=; Path=\/codec; Max-Age=0/);
    expect((await codecCall('decode', wire, { Cookie: cookie })).status).toBe(401);
    const page = await call(gateway.url, '/codec/login', { method: 'GET', headers: { Cookie: cookie } });
    expect(page.text).toContain('name="token"');
  });
});

describe('CORS and CSRF', () => {
  test("a request from another origin is refused 403, even with the token, and gets no CORS headers", async () => {
    const res = await codecCall('decode', [jsonPayload(1)], { ...bearer, Origin: FOREIGN });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const cookie = await login();
    expect((await codecCall('decode', [jsonPayload(1)], { Cookie: cookie, Origin: FOREIGN })).status).toBe(403);
    expect((await codecCall('decode', [jsonPayload(1)], { Cookie: cookie, Origin: 'null' })).status).toBe(403);
    // nor can another site log a browser in
    const posted = await call(gateway.url, '/codec/login', {
      body: new URLSearchParams({ token: TOKEN }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: FOREIGN },
    });
    expect(posted.status).toBe(403);
    expect(posted.headers.get('set-cookie')).toBeNull();
  });

  test('preflight: allowed for the own origin and allowedOrigins, with credentials and the UI headers; 403 for others', async () => {
    for (const origin of [own, OTHER_UI]) {
      const res = await call(gateway.url, '/codec/decode', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, X-Namespace, Authorization, Authorization-Extras');
      expect(res.headers.get('vary')).toContain('Origin');
    }
    const refused = await call(gateway.url, '/codec/encode', { method: 'OPTIONS', headers: { Origin: FOREIGN, 'Access-Control-Request-Method': 'POST' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('answers to an allowed origin carry its CORS headers, the 401 too (so that UI can tell)', async () => {
    const denied = await codecCall('decode', [jsonPayload(1)], { Origin: OTHER_UI });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(OTHER_UI);
    const ok = await codecCall('decode', [jsonPayload(1)], { ...bearer, Origin: OTHER_UI });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(OTHER_UI);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
  });

  test('the CSRF check still guards /api/v1 (the codec endpoint is exempt only from it, not from access control)', async () => {
    const ui = new UiClient(gateway.url);
    const res = await ui.fetch('/api/v1/namespaces/default/workflows/w/signal/s', { body: {}, csrf: null });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/csrf/);
    const wrong = await ui.fetch('/api/v1/namespaces/default/workflows/w/signal/s', { body: {}, csrf: 'x'.repeat(32) });
    expect(wrong.status).toBe(403);
  });
});

describe('limits and settings', () => {
  test('a body past 4 MiB is 413, on the codec endpoint and on /api/v1', async () => {
    const big = JSON.stringify({ payloads: [jsonPayload('x'.repeat(MAX_REQUEST_BODY))] });
    const res = await call(gateway.url, '/codec/decode', { body: big, headers: { ...bearer, 'Content-Type': 'application/json' } });
    expect(res.status).toBe(413);
    const ui = new UiClient(gateway.url);
    const api = await ui.fetch('/api/v1/namespaces/default/workflows/w/signal/s', { body: { input: { payloads: [jsonPayload('x'.repeat(MAX_REQUEST_BODY))] } } });
    expect(api.status).toBe(413);
    // and the gateway still answers on
    expect((await codecCall('decode', [], bearer)).status).toBe(200);
  });

  test('readBody stops at the limit without a Content-Length too', async () => {
    const chunked = Object.assign(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { headers: {} }) as unknown as IncomingMessage;
    await expect(readBody(chunked, 1000)).rejects.toBeInstanceOf(BodyTooLargeError);
    const small = Object.assign(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]), { headers: {} }) as unknown as IncomingMessage;
    await expect(readBody(small, 1000)).resolves.toBe('{"a":1}');
  });

  test('/api/v1/settings points the UI at the endpoint, with credentials and without its access token', async () => {
    const res = await call(gateway.url, '/api/v1/settings', { method: 'GET' });
    expect(res.json.Codec).toEqual({
      Endpoint: '/codec',
      PassAccessToken: false,
      IncludeCredentials: true,
      DefaultErrorMessage: expect.stringMatching(/log in/),
      DefaultErrorLink: '/codec/login',
    });
  });

  test('without a codec there is no endpoint and the settings name none; a codec and a codecEndpoint together are refused', async () => {
    const plain = await startUiGateway({ temporalAddress: NOWHERE, port: 0 });
    try {
      const settings = await call(plain.url, '/api/v1/settings', { method: 'GET' });
      expect(settings.json.Codec.Endpoint).toBe('');
      expect((await codecCall('decode', [], bearer, plain.url)).status).not.toBe(200);
    } finally {
      await plain.close();
    }
    await expect(startUiGateway({ temporalAddress: NOWHERE, port: 0, codecEndpoint: 'https://codec.example', codec: { codec, token: TOKEN } })).rejects.toThrow(/not both/);
    await expect(startUiGateway({ temporalAddress: NOWHERE, port: 0, codec: { codec, token: 'short' } })).rejects.toThrow(/at least 16/);
  });

  test('it listens on 127.0.0.1 by default, and warns when bound beyond this machine', async () => {
    expect(new URL(gateway.url).hostname).toBe('127.0.0.1');
    expect(logs.filter((l) => l.startsWith('warn: the Web UI gateway listens'))).toEqual([]);
    const seen: string[] = [];
    const wide = await startUiGateway({ temporalAddress: NOWHERE, port: 0, ip: '0.0.0.0', codec: { codec, token: TOKEN }, log: (level, msg) => seen.push(`${level}: ${msg}`) });
    await wide.close();
    expect(seen.some((l) => /^warn: the Web UI gateway listens on 0\.0\.0\.0:\d+.*plain HTTP/.test(l))).toBe(true);
  });
});
