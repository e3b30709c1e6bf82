/**
 * The trajectory wiring of the codec endpoint (client/ui-codec.ts, `trajectory ui`): sealed
 * personal fields opened for display (and { erased: true } after erasure), the token from the
 * environment or a fresh one, the login link printed on a terminal only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ParticipantKeyStore, seal } from '../../privacy';
import { startUiGateway } from '../../ui/gateway';
import { trajectoryCodecGateway } from '../../client/ui-codec';
import { uiCommand } from '../../client/ui';
import type { ConnectionSettings } from '../../client/connection';
import { call, codec, codecCallAt, fromWire, jsonPayload, keyring, masterKey, NOWHERE, toWire, unb64 } from './codec-helpers';

describe('trajectories (client/ui-codec.ts)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const silent = pino({ level: 'silent' });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-codec-'));
    env = { TRAJECTORY_KEYS: `${masterKey.id}=${masterKey.key.toString('base64')}`, TRAJECTORY_PARTICIPANT_KEYS_DIR: path.join(dir, 'participant-keys') };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('decode opens sealed personal fields for display, and shows { erased: true } after erasure', async () => {
    const store = ParticipantKeyStore.open(env.TRAJECTORY_PARTICIPANT_KEYS_DIR!, keyring);
    const input = { participantRef: 'p-ui-codec', personal: seal(store, 'p-ui-codec', { name: 'Ada Lovelace' }) };
    const stored = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(input)) }]);

    const trajectoryCodec = trajectoryCodecGateway(env, dir, silent);
    expect(trajectoryCodec.token.length).toBeGreaterThanOrEqual(32);
    expect(trajectoryCodec.tokenFromEnv).toBe(false);
    const ui = await startUiGateway({ temporalAddress: NOWHERE, port: 0, codec: trajectoryCodec });
    try {
      const auth = { Authorization: `Bearer ${trajectoryCodec.token}` };
      const opened = await codecCallAt(ui.url, 'decode', toWire(stored), auth);
      expect(opened.status).toBe(200);
      expect(JSON.parse(unb64(opened.json.payloads[0].data))).toEqual({ participantRef: 'p-ui-codec', personal: { opened: { name: 'Ada Lovelace' } } });
      // encode is the codec alone: no display transform
      const encoded = await codecCallAt(ui.url, 'encode', [jsonPayload(input)], auth);
      expect(JSON.parse(Buffer.from((await codec.decode(fromWire(encoded.json.payloads)))[0].data!).toString())).toEqual(input);

      store.erase('p-ui-codec');
      const erased = await codecCallAt(ui.url, 'decode', toWire(stored), auth);
      expect(JSON.parse(unb64(erased.json.payloads[0].data))).toEqual({ participantRef: 'p-ui-codec', personal: { erased: true } });
      expect(erased.text).not.toContain('Ada');

      // the login link logs a browser in
      const link = trajectoryCodec.loginUrl(ui.url);
      expect(link).toBe(`${new URL(ui.url).origin}/codec/login?token=${encodeURIComponent(trajectoryCodec.token)}`);
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(303);
    } finally {
      await ui.close();
    }
  });

  test('the token comes from TRAJECTORY_CODEC_TOKEN when set (and must be long enough); no key throws MissingKeyError', () => {
    const fromEnv = trajectoryCodecGateway({ ...env, TRAJECTORY_CODEC_TOKEN: 'a-token-of-twenty-chars' }, dir, silent);
    expect(fromEnv.token).toBe('a-token-of-twenty-chars');
    expect(fromEnv.tokenFromEnv).toBe(true);
    expect(() => trajectoryCodecGateway({ ...env, TRAJECTORY_CODEC_TOKEN: 'short' }, dir, silent)).toThrow(/TRAJECTORY_CODEC_TOKEN must be at least 16/);
    expect(() => trajectoryCodecGateway({ TRAJECTORY_KEYS_FILE: path.join(dir, 'no-keys.json') }, dir, silent)).toThrow(expect.objectContaining({ name: 'MissingKeyError' }));
  });

  test('trajectory ui prints the login link once, on a terminal only; the token is in no log line', async () => {
    const tty = process.stdout.isTTY;
    (process.stdout as { isTTY?: boolean }).isTTY = true; // a terminal: the link is shown
    const printed: string[] = [];
    const logged: string[] = [];
    let linkPrinted!: () => void;
    const printedLink = new Promise<void>((r) => (linkPrinted = r));
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      if (String(chunk).includes('/codec/login')) linkPrinted();
      return true;
    });
    const logger = pino({ level: 'trace' }, new Writable({ write: (c: Buffer, _e, cb) => (logged.push(String(c)), cb()) }));
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const settings: ConnectionSettings = { mode: 'configured', namespace: 'default', options: { address: NOWHERE }, description: NOWHERE };
    const running = uiCommand(settings, { port: '0', dataDir: dir }, logger, stopped, env);
    try {
      await printedLink;
    } finally {
      write.mockRestore();
      (process.stdout as { isTTY?: boolean }).isTTY = tty;
    }
    const out = printed.join('');
    const url = /Web UI at (http:\/\/\S+)/.exec(out)![1];
    const link = /open (http:\/\/\S+\/codec\/login\?token=\S+)/.exec(out)![1];
    expect(link.startsWith(new URL('/codec/login', url).toString())).toBe(true);
    const token = new URL(link).searchParams.get('token')!;
    expect(logged.join('')).not.toContain(token);
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const settingsRes = await call(url, '/api/v1/settings', { method: 'GET' });
    expect(settingsRes.json.Codec.Endpoint).toBe('/codec');
    stop();
    await running;
  });
});
