import { openMemoryStore, StoreClosedError } from '../../../devserver/store';
import { crc32, crc32Js, crc32IsNative } from '../../../devserver/store/crc32';

describe('memory store', () => {
  it('acknowledges appends immediately and is not durable', async () => {
    const s = openMemoryStore();
    expect(s.durable).toBe(false);
    expect(s.recovered).toEqual([]);
    await expect(s.append(1, Buffer.from('a'))).resolves.toBeUndefined();
    await expect(s.appendBatch([{ kind: 2, data: Buffer.from('b') }])).resolves.toBeUndefined();
    await expect(s.append(999, Buffer.from('a'))).rejects.toBeInstanceOf(RangeError);
    await s.close();
    await expect(s.append(1, Buffer.from('a'))).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('can be seeded with recovered records', () => {
    const seed = [{ kind: 5, data: Buffer.from('seed') }];
    expect(openMemoryStore(seed).recovered).toBe(seed);
  });
});

describe('crc32', () => {
  it('matches the standard check value and the native implementation', () => {
    expect(crc32Js(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32Js(data)).toBe(crc32(data));
    expect(crc32Js(data.subarray(100), crc32Js(data.subarray(0, 100)))).toBe(crc32(data));
    expect(typeof crc32IsNative).toBe('boolean');
  });
});
