import * as fs from 'fs';
import * as path from 'path';
import { openFileStore, StoreFileError, type StoredRecord } from '../../../devserver/store';
import { cleanupTmpDirs, plain, rec, tmpDir, walkBlocks } from './helpers';

afterAll(cleanupTmpDirs);

/** Writes each entry as its own block (one append or one batch per write). */
async function makeLog(entries: Array<StoredRecord | StoredRecord[]>): Promise<string> {
  const file = path.join(tmpDir(), 'engine.db');
  const s = await openFileStore(file);
  for (const e of entries) await (Array.isArray(e) ? s.appendBatch(e) : s.append(e.kind, e.data));
  await s.close();
  return file;
}

async function openWithWarnings(file: string) {
  const warnings: string[] = [];
  const store = await openFileStore(file, { onWarning: (m) => warnings.push(m) });
  return { store, warnings };
}

async function expectRefused(file: string, pattern: RegExp): Promise<StoreFileError> {
  const before = fs.readFileSync(file);
  const err = await openFileStore(file).then(
    async (s) => {
      await s.close();
      throw new Error('expected openFileStore to refuse the file');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreFileError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).toContain(file);
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  return err as StoreFileError;
}

describe('torn tail (unacknowledged write interrupted by a crash)', () => {
  const good = [rec(1), rec(2), rec(3)];

  it('drops a partial block header and keeps working', async () => {
    const file = await makeLog(good);
    const validSize = fs.statSync(file).size;
    fs.appendFileSync(file, Buffer.from('TRJB\x10\x00', 'latin1'));
    const { store, warnings } = await openWithWarnings(file);
    expect(plain(store.recovered)).toEqual(plain(good));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/torn tail/);
    expect(warnings[0]).not.toMatch(/\n/);
    expect(fs.statSync(file).size).toBe(validSize);
    await store.append(9, Buffer.from('after repair'));
    await store.close();
    const again = await openWithWarnings(file);
    expect(again.warnings).toEqual([]);
    expect(again.store.recovered.map((r) => r.data.toString()).pop()).toBe('after repair');
    await again.store.close();
  });

  it('drops a partially written batch as a whole', async () => {
    const batch = Array.from({ length: 5 }, (_, i) => rec(100 + i));
    const file = await makeLog([...good, batch]);
    const last = walkBlocks(file).pop()!;
    expect(last.count).toBe(5);
    // Cut inside the 4th record of the batch: the first three are complete on disk.
    fs.truncateSync(file, last.end - batch[4].data.length - 9 - 3);
    const { store, warnings } = await openWithWarnings(file);
    expect(plain(store.recovered)).toEqual(plain(good));
    expect(warnings).toHaveLength(1);
    expect(fs.statSync(file).size).toBe(last.at);
    await store.close();
  });

  it('drops a zero-filled tail', async () => {
    const file = await makeLog(good);
    fs.appendFileSync(file, Buffer.alloc(8192));
    const { store, warnings } = await openWithWarnings(file);
    expect(plain(store.recovered)).toEqual(plain(good));
    expect(warnings).toHaveLength(1);
    await store.close();
  });

  it('drops a final block whose contents did not all reach the disk', async () => {
    const file = await makeLog([...good, [rec(10), rec(11)]]);
    const last = walkBlocks(file).pop()!;
    const bytes = fs.readFileSync(file);
    bytes.fill(0, last.end - 8, last.end); // lost page at the very end of the last write
    fs.writeFileSync(file, bytes);
    const { store, warnings } = await openWithWarnings(file);
    expect(plain(store.recovered)).toEqual(plain(good));
    expect(warnings).toHaveLength(1);
    await store.close();
  });
});

describe('damage before the tail is refused, never repaired', () => {
  it('refuses a CRC mismatch in an earlier block, naming the offset', async () => {
    const file = await makeLog([rec(1), rec(2), rec(3)]);
    const second = walkBlocks(file)[1];
    const bytes = fs.readFileSync(file);
    bytes[second.end - 1] ^= 0x01; // last data byte of the second block's only record
    fs.writeFileSync(file, bytes);
    const err = await expectRefused(file, /CRC mismatch/);
    const recordAt = second.at + 16;
    expect(err.offset).toBe(recordAt);
    expect(err.message).toContain(`offset ${recordAt}`);
  });

  it('refuses a damaged block header in the middle', async () => {
    const file = await makeLog([rec(1), rec(2), rec(3)]);
    const second = walkBlocks(file)[1];
    const bytes = fs.readFileSync(file);
    bytes[second.at + 5] ^= 0x40; // payload length
    fs.writeFileSync(file, bytes);
    const err = await expectRefused(file, /invalid block header/);
    expect(err.offset).toBe(second.at);
  });

  it('refuses non-zero garbage after the last block', async () => {
    const file = await makeLog([rec(1)]);
    fs.appendFileSync(file, 'this is not a log block, just text appended by someone\n');
    await expectRefused(file, /damaged at byte offset/);
  });

  it('refuses short trailing garbage that cannot be a torn header', async () => {
    const file = await makeLog([rec(1)]);
    fs.appendFileSync(file, 'oops');
    await expectRefused(file, /not a block header/);
  });
});

describe('foreign files are refused and left byte-for-byte unchanged', () => {
  it('refuses a text file', async () => {
    const file = path.join(tmpDir(), 'notes.txt');
    fs.writeFileSync(file, 'just some notes\nthat are not a database\n');
    await expectRefused(file, /not a temporal-devserver engine database/);
  });

  it('refuses a SQLite database', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    const header = Buffer.alloc(4096);
    header.write('SQLite format 3\0', 0, 'latin1');
    header.writeUInt16BE(4096, 16);
    fs.writeFileSync(file, header);
    await expectRefused(file, /not a temporal-devserver engine database/);
  });

  it('refuses a tiny foreign file', async () => {
    const file = path.join(tmpDir(), 'engine.db');
    fs.writeFileSync(file, 'hi');
    await expectRefused(file, /unrecognised file header/);
  });

  it('refuses a log written in another format version', async () => {
    const file = await makeLog([rec(1)]);
    const bytes = fs.readFileSync(file);
    bytes.writeUInt16LE(2, 13);
    fs.writeFileSync(file, bytes);
    await expectRefused(file, /format version 2/);
  });

  it('refuses a directory', async () => {
    const dir = path.join(tmpDir(), 'engine.db');
    fs.mkdirSync(dir);
    await expect(openFileStore(dir)).rejects.toBeInstanceOf(StoreFileError);
  });

  it('initialises an empty file or an interrupted header', async () => {
    for (const content of [Buffer.alloc(0), Buffer.from('TRJDEV', 'latin1')]) {
      const file = path.join(tmpDir(), 'engine.db');
      fs.writeFileSync(file, content);
      const s = await openFileStore(file);
      expect(s.recovered).toEqual([]);
      await s.append(1, Buffer.from('ok'));
      await s.close();
      const again = await openFileStore(file);
      expect(again.recovered.map((r) => r.data.toString())).toEqual(['ok']);
      await again.close();
    }
  });
});
