import * as fs from 'fs';
import * as path from 'path';
import { compactFileStore, openFileStore, StoreFileError } from '../../../devserver/store';
import { cleanupTmpDirs, plain, rec, tmpDir } from './helpers';

afterAll(cleanupTmpDirs);

describe('compactFileStore', () => {
  it('keeps only the selected records, in order, and the result reopens', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    const all = Array.from({ length: 100 }, (_, i) => rec(i));
    for (let i = 0; i < all.length; i += 10) await s.appendBatch(all.slice(i, i + 10));
    await s.close();

    const seen: number[] = [];
    const result = await compactFileStore(file, (r, i) => {
      seen.push(i);
      return i % 3 === 0;
    });
    expect(seen).toEqual(all.map((_, i) => i));
    expect(result.kept).toBe(34);
    expect(result.dropped).toBe(66);
    expect(result.bytesAfter).toBe(fs.statSync(file).size);
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['engine.db']);

    const again = await openFileStore(file);
    expect(plain(again.recovered)).toEqual(plain(all.filter((_, i) => i % 3 === 0)));
    await again.append(1, Buffer.from('after compaction'));
    await again.close();
  });

  it('refuses a file that is open in a store', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    await expect(compactFileStore(file, () => true)).rejects.toThrow(/open in a LogStore/);
    await s.close();
    await expect(compactFileStore(file, () => true)).resolves.toMatchObject({ kept: 0 });
  });

  it('refuses a foreign file and leaves it unchanged', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    fs.writeFileSync(file, 'SQLite format 3\0 and more bytes here');
    await expect(compactFileStore(file, () => true)).rejects.toBeInstanceOf(StoreFileError);
    expect(fs.readFileSync(file, 'latin1')).toBe('SQLite format 3\0 and more bytes here');
  });

  it('leaves the original untouched when the callback throws', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const s = await openFileStore(file);
    await s.append(1, Buffer.from('keep me'));
    await s.close();
    const before = fs.readFileSync(file);
    await expect(
      compactFileStore(file, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['engine.db']);
  });
});
