/** Sealed personal values: open with the participant's key, unreadable once the participant is erased. */
import * as path from 'node:path';
import { SEALED_ALGORITHM, sealedValueSchema, type SealedValue } from '../../domain/personal';
import { Keyring, openSealedForDisplay, ParticipantKeyStore, seal, unseal } from '../../privacy';
import { masterKey, removeTempDirs, tempDir } from './temp';

afterAll(removeTempDirs);

const ring = new Keyring([masterKey('k-20260101-aaaaaa')]);
const details = { name: 'Fatima el Amrani', email: 'fatima@example.nl', bsn: '123456782' };

describe('seal and unseal', () => {
  it('round-trips any JSON value in the SealedValue form, showing nothing of it', () => {
    const store = ParticipantKeyStore.open(tempDir(), ring);
    for (const value of [details, 'vrije tekst over de gezondheid', 0, false, null, ['a', { b: [1] }]]) {
      const sealed = seal(store, 'p-7f3a9c', value);
      expect(sealedValueSchema.parse(sealed)).toEqual(sealed);
      expect(sealed.sealed).toBe(SEALED_ALGORITHM);
      expect(sealed.keyId).toBe(store.keyFor('p-7f3a9c').keyId);
      expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
      expect(JSON.stringify(sealed)).not.toMatch(/Fatima|example|123456782|gezondheid/);
      expect(unseal(store, sealed)).toEqual({ ok: true, value });
    }
    expect(() => seal(store, 'p-7f3a9c', undefined)).toThrow('only a JSON value can be sealed');
  });

  it('after erasure a participant\'s values no longer open, while another participant\'s still do', () => {
    const store = ParticipantKeyStore.open(tempDir(), ring);
    const erased = seal(store, 'p-7f3a9c', details);
    const kept = seal(store, 'p-0b11e2', { name: 'Kees Jansen' });
    store.erase('p-7f3a9c');
    expect(unseal(store, erased)).toEqual({ ok: false, reason: 'erased' });
    expect(unseal(store, kept)).toEqual({ ok: true, value: { name: 'Kees Jansen' } });
  });

  it('keeps old values unreadable when the participant is enrolled again', () => {
    const store = ParticipantKeyStore.open(tempDir(), ring);
    const old = seal(store, 'p-7f3a9c', details);
    store.erase('p-7f3a9c');
    const renewed = seal(store, 'p-7f3a9c', { name: 'F. el Amrani' });
    expect(renewed.keyId).not.toBe(old.keyId);
    expect(unseal(store, old)).toEqual({ ok: false, reason: 'erased' });
    expect(unseal(store, renewed)).toEqual({ ok: true, value: { name: 'F. el Amrani' } });
  });

  it('sees an erasure made by another process', () => {
    const dir = tempDir();
    const worker = ParticipantKeyStore.open(dir, ring);
    const sealed = seal(worker, 'p-7f3a9c', details);
    expect(unseal(worker, sealed).ok).toBe(true);
    ParticipantKeyStore.open(dir, ring).erase('p-7f3a9c');
    expect(unseal(worker, sealed)).toEqual({ ok: false, reason: 'erased' });
  });

  it('calls a value damaged when it was altered, passed off under another key, or is no sealed value', () => {
    const store = ParticipantKeyStore.open(tempDir(), ring);
    const sealed = seal(store, 'p-7f3a9c', details);
    const data = Buffer.from(sealed.data, 'base64');
    data[0] ^= 1;
    expect(unseal(store, { ...sealed, data: data.toString('base64') })).toEqual({ ok: false, reason: 'damaged' });
    const other = seal(store, 'p-0b11e2', 'x');
    expect(unseal(store, { ...sealed, keyId: other.keyId })).toEqual({ ok: false, reason: 'damaged' });
    expect(unseal(store, { ...sealed, sealed: 'rot13' } as unknown as SealedValue)).toEqual({ ok: false, reason: 'damaged' });
  });
});

describe('openSealedForDisplay', () => {
  it('replaces every sealed value, however deep, by its contents or "erased", and copies the rest', () => {
    const store = ParticipantKeyStore.open(path.join(tempDir(), 'keys'), ring);
    const gone = seal(store, 'p-0b11e2', { name: 'Kees Jansen' });
    store.erase('p-0b11e2');
    const damaged = { ...seal(store, 'p-7f3a9c', 'x'), data: Buffer.alloc(20).toString('base64') };
    const input = {
      participantRef: 'p-7f3a9c',
      personal: seal(store, 'p-7f3a9c', details),
      timeline: [
        { event: 'placement', note: seal(store, 'p-7f3a9c', 'start bij Balanz Facilitair') },
        { event: 'assessment-completed', note: null },
      ],
      other: gone,
      broken: damaged,
      lookalike: { sealed: 'something else', keyId: 'x' },
      count: 3,
    };
    expect(openSealedForDisplay(store, input)).toEqual({
      participantRef: 'p-7f3a9c',
      personal: { opened: details },
      timeline: [
        { event: 'placement', note: { opened: 'start bij Balanz Facilitair' } },
        { event: 'assessment-completed', note: null },
      ],
      other: { erased: true },
      broken: { damaged: true },
      lookalike: { sealed: 'something else', keyId: 'x' },
      count: 3,
    });
    expect(openSealedForDisplay(store, 'plain')).toBe('plain');
    expect(openSealedForDisplay(store, [gone])).toEqual([{ erased: true }]);
  });
});
