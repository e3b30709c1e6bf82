/**
 * The JavaScript gzip decoder gives zlib's bytes for every kind of deflate block and header, and
 * declines (undefined: zlib decides) whatever it does not decode exactly; it never answers wrongly.
 */
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { gunzipSmall } from '../../../devserver/frontend/inflate';

/** Deterministic pseudo-random bytes with some repetition, like protobuf messages. */
function sample(seed: number, size: number): Buffer {
  let x = seed * 2654435761;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    const r = next();
    out[i] = r < 100 && i > 8 ? out[i - 1 - (r % 8)] : r < 160 ? 0x61 + (r % 26) : r;
  }
  return out;
}

const inputs: Array<[string, Buffer]> = [
  ['empty', Buffer.alloc(0)],
  ['one byte', Buffer.from([7])],
  ['text', Buffer.from('temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest '.repeat(20))],
  ['zeros', Buffer.alloc(5000)],
  ['random', randomBytes(3000)],
  ...Array.from({ length: 12 }, (_, i): [string, Buffer] => [`mixed ${i}`, sample(i + 1, 50 + i * 400)]),
];
const options: Array<[string, zlib.ZlibOptions]> = [
  ['default', {}],
  ['level 0 (stored)', { level: 0 }],
  ['level 1', { level: 1 }],
  ['level 9', { level: 9 }],
  ['fixed Huffman', { strategy: zlib.constants.Z_FIXED }],
  ['Huffman only', { strategy: zlib.constants.Z_HUFFMAN_ONLY }],
  ['RLE', { strategy: zlib.constants.Z_RLE }],
  ['small window, small memory', { windowBits: 9, memLevel: 1 }],
];

describe('gunzipSmall', () => {
  for (const [oname, opts] of options) {
    test(`${oname}: the same bytes as zlib`, () => {
      for (const [name, raw] of inputs) {
        const gz = zlib.gzipSync(raw, opts);
        const ours = gunzipSmall(gz, Infinity);
        expect({ name, ok: ours !== undefined }).toEqual({ name, ok: true });
        expect(Buffer.compare(ours!, raw)).toBe(0);
      }
    });
  }

  test('several stored blocks and blocks of every type in one stream', () => {
    const raw = Buffer.concat([sample(3, 70_000).subarray(0, 40_000)]);
    const gz = zlib.gzipSync(raw, { level: 0 });
    expect(Buffer.compare(gunzipSmall(gz, Infinity)!, raw)).toBe(0);
    const mixed = zlib.gzipSync(Buffer.concat([Buffer.alloc(20_000), sample(9, 20_000)]), { level: 6 });
    expect(Buffer.compare(gunzipSmall(mixed, Infinity)!, Buffer.concat([Buffer.alloc(20_000), sample(9, 20_000)]))).toBe(0);
  });

  test('header fields (extra, name, comment) are skipped; a header CRC is left to zlib', () => {
    const raw = Buffer.from('hello, header');
    const withHeader = (flags: number, fields: number[]) => {
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(zlib.gunzipSync(zlib.gzipSync(raw)).equals(raw) ? zlib.gzipSync(raw).readUInt32LE(zlib.gzipSync(raw).length - 8) : 0, 0);
      trailer.writeUInt32LE(raw.length, 4);
      return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3, ...fields]), zlib.deflateRawSync(raw), trailer]);
    };
    const gz = withHeader(4 | 8 | 16, [3, 0, 1, 2, 3, 0x6e, 0x61, 0x6d, 0x65, 0, 0x63, 0]);
    expect(zlib.gunzipSync(gz).toString()).toBe('hello, header');
    expect(gunzipSmall(gz, Infinity)?.toString()).toBe('hello, header');
    expect(gunzipSmall(withHeader(2, [0xaa, 0xbb]), Infinity)).toBeUndefined();
  });

  test('declines what zlib must decide: several members, damage, a wrong checksum or length, too large', () => {
    const raw = sample(5, 2000);
    const gz = zlib.gzipSync(raw);
    expect(gunzipSmall(Buffer.concat([gz, gz]), Infinity)).toBeUndefined();
    expect(gunzipSmall(gz, raw.length - 1)).toBeUndefined();
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 6] ^= 1;
    expect(gunzipSmall(badCrc, Infinity)).toBeUndefined();
    const badLen = Buffer.from(gz);
    badLen[badLen.length - 4] ^= 1;
    expect(gunzipSmall(badLen, Infinity)).toBeUndefined();
    expect(gunzipSmall(gz.subarray(0, gz.length - 3), Infinity)).toBeUndefined();
    expect(gunzipSmall(Buffer.from('not gzip at all, just text'), Infinity)).toBeUndefined();
    const reserved = Buffer.from(gz);
    reserved[3] |= 0x20;
    expect(gunzipSmall(reserved, Infinity)).toBeUndefined();
  });

  test('damaged streams never give a wrong answer', () => {
    const raw = sample(11, 1500);
    const gz = zlib.gzipSync(raw);
    for (let i = 10; i < gz.length - 8; i++) {
      for (const flip of [1, 0x10, 0x80]) {
        const bad = Buffer.from(gz);
        bad[i] ^= flip;
        const ours = gunzipSmall(bad, Infinity);
        if (ours === undefined) continue;
        // Accepted only when zlib accepts it with the same bytes.
        expect(Buffer.compare(ours, zlib.gunzipSync(bad))).toBe(0);
      }
    }
  });
});
