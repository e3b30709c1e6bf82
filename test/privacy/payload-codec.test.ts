/** Every payload sent to Temporal encrypted with the newest master key; old keys and old plain payloads still read. */
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { decode as decodeWithCodecs, encode as encodeWithCodecs } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { DecryptionError, EncryptionCodec, Keyring, trajectoryDataConverter } from '../../privacy';
import { masterKey } from './temp';

const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');

const values: [string, unknown][] = [
  ['an object', { participantRef: 'p-7f3a9c', programme: 'welslagen', nested: { list: [1, 2, 3], flag: true } }],
  ['a string', 'Balanz Facilitair'],
  ['a number', 42],
  ['null (binary/null)', null],
  ['undefined (binary/null)', undefined],
  ['bytes (binary/plain)', new Uint8Array([0, 1, 2, 250, 255])],
  ['a large value', { rows: Array.from({ length: 20_000 }, (_, i) => ({ i, note: 'x'.repeat(50) })) }],
];

describe('EncryptionCodec', () => {
  const old = masterKey('k-20260101-aaaaaa', '2026-01-01T00:00:00Z');
  const codec = new EncryptionCodec(new Keyring([old]));

  it.each(values)('round-trips %s, and nothing of it shows in the encrypted payload', async (_, value) => {
    const plain = defaultPayloadConverter.toPayload(value);
    const [encrypted] = await codec.encode([plain]);
    expect(text(encrypted.metadata?.[METADATA_ENCODING_KEY])).toBe('binary/encrypted');
    expect(text(encrypted.metadata?.['encryption-key-id'])).toBe('k-20260101-aaaaaa');
    expect(Object.keys(encrypted.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
    if (plain.data && plain.data.length > 4) expect(Buffer.from(encrypted.data ?? []).includes(Buffer.from(plain.data))).toBe(false);
    const [decoded] = await codec.decode([encrypted]);
    expect(text(decoded.metadata?.[METADATA_ENCODING_KEY])).toBe(text(plain.metadata?.[METADATA_ENCODING_KEY]));
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(value);
  });

  it('uses a fresh IV for every payload: the same value never encrypts the same way twice', async () => {
    const payload = defaultPayloadConverter.toPayload('zelfde');
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a.data ?? []).equals(Buffer.from(b.data ?? []))).toBe(false);
  });

  it('works as the data converter of the SDK (the codec chain of Client and Worker)', async () => {
    const converter = trajectoryDataConverter(new Keyring([old]));
    const codecs = converter.payloadCodecs ?? [];
    const payloads = [defaultPayloadConverter.toPayload({ a: 1 }), defaultPayloadConverter.toPayload('b')];
    const wire = await encodeWithCodecs(codecs, payloads);
    expect(wire.every((p) => text(p.metadata?.encoding) === 'binary/encrypted')).toBe(true);
    const back = await decodeWithCodecs(codecs, wire);
    expect(back.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ a: 1 }, 'b']);
  });

  it('after rotation, encrypts with the new key and still opens what the old key encrypted', async () => {
    const [before] = await codec.encode([defaultPayloadConverter.toPayload({ step: 'before rotation' })]);
    const rotated = new EncryptionCodec(new Keyring([old, masterKey('k-20270101-bbbbbb', '2027-01-01T00:00:00Z')]));
    const [after] = await rotated.encode([defaultPayloadConverter.toPayload({ step: 'after rotation' })]);
    expect(text(after.metadata?.['encryption-key-id'])).toBe('k-20270101-bbbbbb');
    const decoded = await rotated.decode([before, after]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ step: 'before rotation' }, { step: 'after rotation' }]);
  });

  it('passes payloads written before encryption was switched on through unchanged', async () => {
    const plain: Payload[] = [defaultPayloadConverter.toPayload({ written: 'before encryption' }), defaultPayloadConverter.toPayload(null)];
    const decoded = await codec.decode(plain);
    expect(decoded[0]).toBe(plain[0]);
    expect(decoded[1]).toBe(plain[1]);
    expect(defaultPayloadConverter.fromPayload(decoded[0])).toEqual({ written: 'before encryption' });
  });

  it('refuses a tampered payload with "authentication failed", never showing its contents', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ bsn: '123456782' })]);
    const data = Buffer.from(encrypted.data ?? []);
    for (const at of [3 /* IV */, 20 /* ciphertext */, data.length - 2 /* tag */]) {
      const tampered = Buffer.from(data);
      tampered[at] ^= 0x01;
      const attempt = codec.decode([{ ...encrypted, data: tampered }]);
      await expect(attempt).rejects.toThrow(DecryptionError);
      await expect(codec.decode([{ ...encrypted, data: tampered }])).rejects.toThrow(
        'payload encrypted with key "k-20260101-aaaaaa" cannot be opened: authentication failed (damaged or altered)',
      );
    }
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, 10) }])).rejects.toThrow('authentication failed');
  });

  it('names the unknown key id of a payload it cannot open', async () => {
    const [foreign] = await new EncryptionCodec(new Keyring([masterKey('k-elsewhere')])).encode([defaultPayloadConverter.toPayload('x')]);
    await expect(codec.decode([foreign])).rejects.toThrow('payload encrypted with unknown key "k-elsewhere" (keyring holds k-20260101-aaaaaa)');
  });
});
