import * as fs from 'fs';
import * as path from 'path';
import { openFileStore, StoreClosedError, type StoredRecord } from '../../../devserver/store';
import { cleanupTmpDirs, plain, rec, tmpDir, walkBlocks } from './helpers';

afterAll(cleanupTmpDirs);

describe('file store round trip', () => {
  it('creates the file and parent directories, and reads records back after reopen', async () => {
    const file = path.join(tmpDir(), 'nested', 'deeper', 'engine.db');
    const s1 = await openFileStore(file);
    expect(s1.durable).toBe(true);
    expect(s1.recovered).toEqual([]);
    const written: StoredRecord[] = [
      { kind: 0, data: Buffer.alloc(0) },
      { kind: 255, data: Buffer.from([0, 1, 2, 255, 254]) },
      { kind: 7, data: Buffer.alloc(1024 * 1024, 0xab) },
      { kind: 3, data: Buffer.from('hello') },
    ];
    for (const r of written) await s1.append(r.kind, r.data);
    await s1.close();
    expect(fs.existsSync(file)).toBe(true);

    const s2 = await openFileStore(file);
    expect(plain(s2.recovered)).toEqual(plain(written));
    expect(s2.recovered[2].data.equals(written[2].data)).toBe(true);
    await s2.append(9, Buffer.from('after reopen'));
    await s2.close();

    const s3 = await openFileStore(file);
    expect(s3.recovered.map((r) => r.data.toString())).toEqual([...written.map((r) => r.data.toString()), 'after reopen']);
    await s3.close();
  });

  it('round-trips batches in order with single appends around them', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    const expected: StoredRecord[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      if (i % 3 === 0) {
        const batch = [rec(i * 10), rec(i * 10 + 1), rec(i * 10 + 2)];
        expected.push(...batch);
        pending.push(s.appendBatch(batch));
      } else {
        expected.push(rec(i * 10));
        pending.push(s.append(rec(i * 10).kind, rec(i * 10).data));
      }
    }
    await Promise.all(pending);
    await expect(s.appendBatch([])).resolves.toBeUndefined();
    await s.close();
    const again = await openFileStore(file);
    expect(plain(again.recovered)).toEqual(plain(expected));
    await again.close();
  });

  it('resolves many concurrent appends and recovers them all in append order', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    const order: number[] = [];
    const appendNext = (n: number): Promise<void> => {
      order.push(n);
      return s.append(1, Buffer.from(String(n)));
    };
    let next = 0;
    const writers = Array.from({ length: 16 }, async () => {
      for (let i = 0; i < 200; i++) await appendNext(next++);
    });
    const burst = Array.from({ length: 2000 }, () => appendNext(next++));
    await Promise.all([...writers, ...burst]);
    await s.close();

    const again = await openFileStore(file);
    expect(again.recovered.map((r) => Number(r.data.toString()))).toEqual(order);
    expect(order).toHaveLength(16 * 200 + 2000);
    await again.close();
  });

  it('coalesces appends made in the same tick into one write (one block)', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    await Promise.all(Array.from({ length: 1000 }, (_, i) => s.append(2, rec(i).data)));
    for (let i = 0; i < 3; i++) await s.append(2, Buffer.from('sequential'));
    await s.close();
    const blocks = walkBlocks(file);
    expect(blocks.map((b) => b.count)).toEqual([1000, 1, 1, 1]);
  });

  it('coalesces appends that arrive while a write is in flight into the next write', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    const first = s.append(1, Buffer.from('first'));
    await new Promise<void>((resolve) => setImmediate(resolve)); // first write now in flight
    const rest = Array.from({ length: 50 }, (_, i) => s.append(1, Buffer.from(`later-${i}`)));
    await Promise.all([first, ...rest]);
    await s.close();
    expect(walkBlocks(file).map((b) => b.count)).toEqual([1, 50]);
  });

  it('splits groups at the size cap but never splits a batch', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file, { groupCommitBytes: 100 });
    const batch = Array.from({ length: 10 }, (_, i) => ({ kind: 4, data: Buffer.alloc(50, i) }));
    await Promise.all([s.append(1, Buffer.alloc(60)), s.appendBatch(batch), s.append(1, Buffer.alloc(60))]);
    await s.close();
    expect(walkBlocks(file).map((b) => b.count)).toEqual([1, 10, 1]);
    const again = await openFileStore(file);
    expect(again.recovered).toHaveLength(12);
    await again.close();
  });

  it('copies data at append time, so callers may reuse their buffer', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    const buf = Buffer.from('original');
    const p = s.append(1, buf);
    buf.write('CHANGED!');
    await p;
    await s.close();
    const again = await openFileStore(file);
    expect(again.recovered[0].data.toString()).toBe('original');
    await again.close();
  });

  it('close flushes queued appends; appends after close are rejected', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    const queued = s.append(1, Buffer.from('queued before close'));
    await s.close();
    await expect(queued).resolves.toBeUndefined();
    await expect(s.append(1, Buffer.from('late'))).rejects.toBeInstanceOf(StoreClosedError);
    await expect(s.appendBatch([rec(1)])).rejects.toBeInstanceOf(StoreClosedError);
    await expect(s.close()).resolves.toBeUndefined();
    const again = await openFileStore(file);
    expect(again.recovered.map((r) => r.data.toString())).toEqual(['queued before close']);
    await again.close();
  });

  it('rejects invalid kinds and data without writing anything', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    await expect(s.append(256, Buffer.from('x'))).rejects.toBeInstanceOf(RangeError);
    await expect(s.append(-1, Buffer.from('x'))).rejects.toBeInstanceOf(RangeError);
    await expect(s.append(1.5, Buffer.from('x'))).rejects.toBeInstanceOf(RangeError);
    await expect(s.append(1, 'text' as unknown as Buffer)).rejects.toBeInstanceOf(TypeError);
    await expect(s.appendBatch([rec(1), { kind: 300, data: Buffer.from('x') }])).rejects.toBeInstanceOf(RangeError);
    await s.close();
    const again = await openFileStore(file);
    expect(again.recovered).toEqual([]);
    await again.close();
  });
});
