/** Per-participant data keys: created once, wrapped by a master key, gone for good after erasure. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Keyring, ParticipantKeyStore, participantKeysDir, seal, unseal } from '../../privacy';
import { masterKey, removeTempDirs, tempDir } from './temp';

afterAll(removeTempDirs);

const master = masterKey('k-20260101-aaaaaa');
const ring = new Keyring([master]);
const store = (dir = tempDir()): ParticipantKeyStore => ParticipantKeyStore.open(dir, ring);

describe('participantKeysDir', () => {
  it('is TRAJECTORY_PARTICIPANT_KEYS_DIR, else <data dir>/participant-keys', () => {
    expect(participantKeysDir({})).toBe(path.join('.data', 'participant-keys'));
    expect(participantKeysDir({}, '/srv/traject')).toBe('/srv/traject/participant-keys');
    expect(participantKeysDir({ TRAJECTORY_PARTICIPANT_KEYS_DIR: '/secure/keys' }, '/srv/traject')).toBe('/secure/keys');
  });
});

describe('ParticipantKeyStore', () => {
  it('creates one key per participant on first use and gives the same key after', () => {
    const dir = path.join(tempDir(), 'nested', 'participant-keys');
    const keys = store(dir);
    const first = keys.keyFor('p-7f3a9c');
    expect(first.keyId).toMatch(/^p-7f3a9c\.[A-Za-z0-9_-]{16}$/);
    expect(first.key).toHaveLength(32);
    expect(keys.keyFor('p-7f3a9c')).toEqual(first);
    expect(keys.find(first.keyId)?.equals(first.key)).toBe(true);
    // Another process (a fresh store) reads the same key from the file.
    expect(store(dir).keyFor('p-7f3a9c')).toEqual(first);
    expect(keys.keyFor('p-0b11e2').keyId).not.toBe(first.keyId);
    expect(keys.has('p-7f3a9c')).toBe(true);
    expect(keys.has('p-nobody')).toBe(false);
    expect(keys.list().map((k) => k.participantRef)).toEqual(['p-0b11e2', 'p-7f3a9c']);
    expect(fs.readdirSync(dir).sort()).toEqual(['p-0b11e2.json', 'p-7f3a9c.json']);
    expect(fs.statSync(path.join(dir, 'p-7f3a9c.json')).mode & 0o777).toBe(0o600);
  });

  it('stores the data key only wrapped by a master key, never its raw bytes', () => {
    const dir = tempDir();
    const { keyId, key } = store(dir).keyFor('p-7f3a9c');
    const raw = fs.readFileSync(path.join(dir, 'p-7f3a9c.json'));
    const content = JSON.parse(raw.toString('utf8'));
    expect(content).toEqual({
      version: 1,
      keyId,
      participantRef: 'p-7f3a9c',
      createdAt: expect.any(String),
      wrapped: { masterKeyId: 'k-20260101-aaaaaa', iv: expect.any(String), data: expect.any(String) },
    });
    for (const encoding of ['base64', 'base64url', 'hex'] as const) expect(raw.toString('utf8')).not.toContain(key.toString(encoding));
    expect(raw.includes(key)).toBe(false);
  });

  it('refuses what is not a participant reference, without repeating it', () => {
    const keys = store();
    for (const ref of ['Jan de Vries', 'bsn 123456782', '../escape', 'P-UPPER', 'p-7f3a9c.json']) {
      expect(() => keys.keyFor(ref)).toThrow('not a participant reference');
      try {
        keys.keyFor(ref);
      } catch (error) {
        expect((error as Error).message).not.toContain(ref);
      }
    }
    expect(keys.find('../../etc/passwd.abcdefghij')).toBeUndefined();
  });

  it('erases a participant: its key is gone, the others stay', () => {
    const dir = tempDir();
    const keys = store(dir);
    const erased = keys.keyFor('p-7f3a9c');
    const kept = keys.keyFor('p-0b11e2');
    expect(keys.erase('p-7f3a9c')).toEqual({ keyId: erased.keyId });
    expect(keys.erase('p-7f3a9c')).toBeUndefined();
    expect(keys.find(erased.keyId)).toBeUndefined();
    expect(keys.has('p-7f3a9c')).toBe(false);
    expect(keys.find(kept.keyId)?.equals(kept.key)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['p-0b11e2.json']);
  });

  it('gives a participant enrolled again after erasure a new key; the old one stays gone', () => {
    const keys = store();
    const before = keys.keyFor('p-7f3a9c');
    keys.erase('p-7f3a9c');
    const after = keys.keyFor('p-7f3a9c');
    expect(after.keyId).not.toBe(before.keyId);
    expect(after.key.equals(before.key)).toBe(false);
    expect(keys.find(before.keyId)).toBeUndefined();
    expect(keys.find(after.keyId)?.equals(after.key)).toBe(true);
  });

  it('notices an erasure (and re-enrolment) done by another process, despite its cache', () => {
    const dir = tempDir();
    const here = store(dir);
    const there = store(dir);
    const old = here.keyFor('p-7f3a9c');
    expect(here.find(old.keyId)).toBeDefined(); // cached now
    there.erase('p-7f3a9c');
    expect(here.find(old.keyId)).toBeUndefined();
    const renewed = there.keyFor('p-7f3a9c');
    expect(here.find(old.keyId)).toBeUndefined();
    expect(here.keyFor('p-7f3a9c')).toEqual(renewed);
  });

  it('unwraps with any master key of the ring after rotation, and names a master key it lacks', () => {
    const dir = tempDir();
    const { keyId, key } = store(dir).keyFor('p-7f3a9c');
    const rotated = ParticipantKeyStore.open(dir, new Keyring([master, masterKey('k-20270101-bbbbbb', '2027-01-01T00:00:00Z')]));
    expect(rotated.find(keyId)?.equals(key)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'p-7f3a9c.json'), 'utf8')).wrapped.masterKeyId).toBe('k-20260101-aaaaaa');
    expect(rotated.keyFor('p-0b11e2') && JSON.parse(fs.readFileSync(path.join(dir, 'p-0b11e2.json'), 'utf8')).wrapped.masterKeyId).toBe('k-20270101-bbbbbb');
    const without = ParticipantKeyStore.open(dir, new Keyring([masterKey('k-other')]));
    expect(() => without.find(keyId)).toThrow('participant key file p-7f3a9c.json is wrapped by unknown master key "k-20260101-aaaaaa"');
  });

  it('refuses a key file that was altered, or moved to another participant', () => {
    const dir = tempDir();
    const keys = store(dir);
    const { keyId } = keys.keyFor('p-7f3a9c');
    const file = path.join(dir, 'p-7f3a9c.json');
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    const data = Buffer.from(content.wrapped.data, 'base64');
    data[0] ^= 1;
    fs.writeFileSync(file, JSON.stringify({ ...content, wrapped: { ...content.wrapped, data: data.toString('base64') } }));
    expect(() => store(dir).find(keyId)).toThrow('authentication failed');
    fs.writeFileSync(path.join(dir, 'p-0b11e2.json'), JSON.stringify(content));
    expect(() => store(dir).keyFor('p-0b11e2')).toThrow('belongs to another participant');
  });

  it('keeps every participant\'s values readable across many stores sealing at once', () => {
    const dir = tempDir();
    const stores = [store(dir), store(dir), store(dir)];
    const sealed = stores.map((s, i) => seal(s, 'p-shared', { from: i }));
    expect(new Set(sealed.map((s) => s.keyId)).size).toBe(1);
    for (const s of stores) expect(sealed.map((v) => unseal(s, v))).toEqual([0, 1, 2].map((i) => ({ ok: true, value: { from: i } })));
  });
});

test('the close date noted for retention survives until the key is erased, and goes with it', () => {
  const store = ParticipantKeyStore.open(tempDir(), new Keyring([masterKey('k-closed')]));
  store.noteClosed('p-closed', '2027-01-01T00:00:00.000Z');
  expect(store.closedAt('p-closed')).toBeUndefined(); // no key, nothing to keep a date for
  store.keyFor('p-closed');
  store.noteClosed('p-closed', '2027-01-01T00:00:00.000Z');
  expect(store.closedAt('p-closed')).toBe('2027-01-01T00:00:00.000Z');
  expect(store.keyIdOf('p-closed')).toMatch(/^p-closed\./);
  expect(store.list().map((k) => k.participantRef)).toEqual(['p-closed']);
  store.erase('p-closed');
  expect(store.closedAt('p-closed')).toBeUndefined();
  expect(store.keyIdOf('p-closed')).toBeUndefined();
});

test('while a participant is being erased nothing sealed for them opens, though the key is still there', () => {
  const store = ParticipantKeyStore.open(tempDir(), new Keyring([masterKey('k-erasing')]));
  const sealed = seal(store, 'p-leaving', { name: 'Vertrekkend' });
  const other = seal(store, 'p-staying', { name: 'Blijvend' });
  store.markErasing('p-leaving');
  expect(unseal(store, sealed)).toEqual({ ok: false, reason: 'erased' });
  expect(unseal(store, other)).toEqual({ ok: true, value: { name: 'Blijvend' } });
  expect(store.keyIdOf('p-leaving')).toBe(sealed.keyId);
  store.erase('p-leaving');
  store.keyFor('p-leaving'); // enrolled again later: a new key, nothing old opens, no marker left
  expect(unseal(store, sealed)).toEqual({ ok: false, reason: 'erased' });
  expect(unseal(store, seal(store, 'p-leaving', 'nieuw'))).toEqual({ ok: true, value: 'nieuw' });
});
