/** Master keys: the Keyring, where they load from, and the key file that `trajectory keys create` writes. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { buildSync } from 'esbuild';
import { createKey, defaultKeysFile, describeKeys, KeyFileError, Keyring, loadKeyring, MissingKeyError, readKeyFile } from '../../privacy';
import { masterKey, removeTempDirs, tempDir } from './temp';

afterAll(removeTempDirs);

const b64 = (k: { key: Buffer }): string => k.key.toString('base64');

function writeKeyFile(file: string, keys: { id: string; key: Buffer; createdAt: string }[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ version: 1, keys: keys.map((k) => ({ ...k, key: b64(k) })) }), { mode: 0o600 });
}

describe('Keyring', () => {
  it('encrypts with the last created key and finds every key by id', () => {
    const older = masterKey('k-old', '2026-01-01T00:00:00Z');
    const newer = masterKey('k-new', '2026-06-01T00:00:00Z');
    const ring = new Keyring([newer, older]);
    expect(ring.newest.id).toBe('k-new');
    expect(ring.ids).toEqual(['k-new', 'k-old']);
    expect(ring.byId('k-old')?.key.equals(older.key)).toBe(true);
    expect(ring.byId('k-none')).toBeUndefined();
    expect(describeKeys(ring)).toEqual([
      { id: 'k-new', createdAt: '2026-06-01T00:00:00Z', newest: true },
      { id: 'k-old', createdAt: '2026-01-01T00:00:00Z', newest: false },
    ]);
  });

  it('refuses an empty list, duplicate ids and keys that are not 32 bytes', () => {
    expect(() => new Keyring([])).toThrow(/at least one key/);
    expect(() => new Keyring([masterKey('k-a'), masterKey('k-a')])).toThrow(/duplicate key id "k-a"/);
    expect(() => new Keyring([{ ...masterKey('k-short'), key: Buffer.alloc(16) }])).toThrow(/"k-short" is not 32 bytes/);
  });

  it('never shows key bytes when logged or printed', () => {
    const key = masterKey('k-secret');
    const ring = new Keyring([key]);
    expect(JSON.stringify(ring)).not.toContain(b64(key));
    expect(JSON.stringify(ring)).toContain('k-secret');
    expect(inspect(ring)).toBe('Keyring(k-secret; newest k-secret)');
  });
});

describe('loadKeyring', () => {
  it('takes TRAJECTORY_KEYS before TRAJECTORY_KEYS_FILE before the default file', () => {
    const home = tempDir();
    const envFile = path.join(tempDir(), 'keys.json');
    writeKeyFile(path.join(home, '.config', 'trajectory', 'keys.json'), [masterKey('k-default')]);
    writeKeyFile(envFile, [masterKey('k-file')]);
    const inline = masterKey('k-inline');
    const base = { HOME: home };

    expect(loadKeyring(base).ids).toEqual(['k-default']);
    expect(loadKeyring({ ...base, TRAJECTORY_KEYS_FILE: envFile }).ids).toEqual(['k-file']);
    expect(loadKeyring({ ...base, TRAJECTORY_KEYS_FILE: envFile, TRAJECTORY_KEYS: `k-inline=${b64(inline)}` }).ids).toEqual(['k-inline']);
  });

  it('reads inline keys as id=base64 pairs (the last encrypts) or as the key file JSON', () => {
    const a = masterKey('k-a');
    const b = masterKey('k-b');
    const pairs = loadKeyring({ TRAJECTORY_KEYS: `k-a=${b64(a)}, k-b=${b64(b)}` });
    expect(pairs.ids).toEqual(['k-a', 'k-b']);
    expect(pairs.newest.id).toBe('k-b');
    expect(pairs.byId('k-a')?.key.equals(a.key)).toBe(true);
    const json = loadKeyring({ TRAJECTORY_KEYS: JSON.stringify({ version: 1, keys: [{ id: 'k-a', key: b64(a), createdAt: a.createdAt }] }) });
    expect(json.newest.key.equals(a.key)).toBe(true);
  });

  it('uses $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultKeysFile({ HOME: '/home/consulent' })).toBe('/home/consulent/.config/trajectory/keys.json');
    expect(defaultKeysFile({ HOME: '/home/consulent', XDG_CONFIG_HOME: '/etc/xdg-consulent' })).toBe('/etc/xdg-consulent/trajectory/keys.json');
    const xdg = tempDir();
    writeKeyFile(path.join(xdg, 'trajectory', 'keys.json'), [masterKey('k-xdg')]);
    expect(loadKeyring({ HOME: tempDir(), XDG_CONFIG_HOME: xdg }).ids).toEqual(['k-xdg']);
  });

  it('says exactly how to create a key when there is none', () => {
    const home = tempDir();
    const expected = path.join(home, '.config', 'trajectory', 'keys.json');
    expect(() => loadKeyring({ HOME: home })).toThrow(MissingKeyError);
    expect(() => loadKeyring({ HOME: home })).toThrow(
      `no encryption key: create one with \`trajectory keys create\` (writes ${expected}), or set TRAJECTORY_KEYS_FILE / TRAJECTORY_KEYS`,
    );
    const named = path.join(home, 'elsewhere', 'keys.json');
    expect(() => loadKeyring({ HOME: home, TRAJECTORY_KEYS_FILE: named })).toThrow(`(writes ${named})`);
  });

  it('names the file and the field of a bad key file, never the key material', () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.json');
    const short = Buffer.alloc(16, 7).toString('base64');
    fs.writeFileSync(file, JSON.stringify({ version: 1, keys: [{ id: 'k-a', key: short, createdAt: '2026-01-01T00:00:00Z' }] }));
    const problem = (): unknown => {
      try {
        loadKeyring({ TRAJECTORY_KEYS_FILE: file });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    let error = problem();
    expect(error).toBeInstanceOf(KeyFileError);
    expect((error as Error).message).toBe(`${file}: keys[0].key: must be base64 of 32 bytes`);
    expect((error as Error).message).not.toContain(short);

    const secret = masterKey('k-b');
    fs.writeFileSync(file, `{"version": 1, "keys": [{"id": "k-b", "key": "${b64(secret)}", }]}`);
    error = problem();
    expect((error as Error).message).toBe(`${file}: not valid JSON`);

    fs.writeFileSync(file, JSON.stringify({ version: 1, keys: [{ id: 'k-b', key: b64(secret) }] }));
    expect((problem() as Error).message).toMatch(new RegExp(`^${file}: keys\\[0\\]\\.createdAt: `));
    expect((problem() as Error).message).not.toContain(b64(secret));

    expect(() => loadKeyring({ TRAJECTORY_KEYS: `k-c=${short}` })).toThrow('TRAJECTORY_KEYS: keys[0].key: must be base64 of 32 bytes');
    expect(() => loadKeyring({ TRAJECTORY_KEYS: `k-c=${b64(secret)},k-c=${b64(secret)}` })).toThrow('TRAJECTORY_KEYS: keys[1].id: duplicate key id "k-c"');
  });
});

describe('createKey', () => {
  it('creates the file (0600) in a new folder (0700) and appends on every call', () => {
    const file = path.join(tempDir(), 'config', 'trajectory', 'keys.json');
    const first = createKey(file, new Date('2026-11-22T10:00:00Z'));
    expect(first.id).toMatch(/^k-20261122-[0-9a-f]{6}$/);
    expect(first.key).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

    const second = createKey(file, new Date('2027-02-01T10:00:00Z'));
    const keys = readKeyFile(file) ?? [];
    expect(keys.map((k) => k.id)).toEqual([first.id, second.id]);
    expect(keys[0].key.equals(first.key)).toBe(true);
    expect(loadKeyring({ TRAJECTORY_KEYS_FILE: file }).newest.id).toBe(second.id);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Nothing but the key file is left behind (no temporary or lock file).
    expect(fs.readdirSync(path.dirname(file))).toEqual(['keys.json']);
  });

  it('leaves a broken key file untouched rather than replacing it', () => {
    const file = path.join(tempDir(), 'keys.json');
    fs.writeFileSync(file, '{"version": 1, "keys": [');
    expect(() => createKey(file)).toThrow(`${file}: not valid JSON`);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version": 1, "keys": [');
  });

  it('loses no key when several processes create keys at once', () => {
    const dir = tempDir();
    const bundle = path.join(dir, 'key-file.js');
    buildSync({ entryPoints: [path.join(__dirname, '../../privacy/key-file.ts')], bundle: true, platform: 'node', outfile: bundle, logLevel: 'silent' });
    const file = path.join(dir, 'keys', 'keys.json');
    const script = `const { createKey } = require(${JSON.stringify(bundle)}); for (let i = 0; i < 5; i++) createKey(${JSON.stringify(file)});`;
    const children = Array.from({ length: 4 }, () => `node -e '${script}' &`).join(' ');
    execFileSync('sh', ['-c', `${children} wait`]);
    const keys = readKeyFile(file) ?? [];
    expect(keys).toHaveLength(20);
    expect(new Set(keys.map((k) => k.id)).size).toBe(20);
  });
});
