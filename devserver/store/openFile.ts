/**
 * Opening a log file: atomic creation of a new file, and recognition of the
 * file header. A file that is not ours is never written to.
 */
import { promises as fsp } from 'fs';
import type { FileHandle } from 'fs/promises';
import * as nodePath from 'path';
import { randomBytes } from 'crypto';
import { StoreFileError } from './errors';
import { FILE_HEADER_SIZE, FILE_MAGIC, FORMAT_VERSION, encodeFileHeader } from './format';

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** fsync a directory so a rename/link in it is durable (best effort where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  let dh: FileHandle | undefined;
  try {
    dh = await fsp.open(dir, 'r');
    await dh.sync();
  } catch (e) {
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF'].includes(errCode(e) ?? '')) throw e;
  } finally {
    await dh?.close();
  }
}

/** Creates `path` holding just a file header, atomically (never replaces an existing file). */
async function createFresh(path: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await fsp.open(tmp, 'wx');
  try {
    await fh.write(encodeFileHeader(), 0, FILE_HEADER_SIZE, 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fsp.link(tmp, path);
  } catch (e) {
    if (errCode(e) !== 'EEXIST') throw e; // lost a creation race: use the other file
  } finally {
    await fsp.unlink(tmp);
  }
  await syncDir(nodePath.dirname(path));
}

/** Opens (creating if missing) `path` for reading and writing; rejects non-regular files. */
export async function openOrCreate(path: string, mode: 'r' | 'r+' = 'r+'): Promise<FileHandle> {
  if (mode === 'r+') await fsp.mkdir(nodePath.dirname(path), { recursive: true });
  let fh: FileHandle;
  try {
    fh = await fsp.open(path, mode);
  } catch (e) {
    if (errCode(e) === 'EISDIR') throw notOurs(path, 'it is a directory');
    if (errCode(e) !== 'ENOENT' || mode === 'r') throw e;
    await createFresh(path);
    fh = await fsp.open(path, mode);
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw notOurs(path, 'it is not a regular file');
  }
  return fh;
}

function notOurs(path: string, why: string): StoreFileError {
  return new StoreFileError(
    `${path} is not a temporal-devserver engine database (${why}); ` +
      'refusing to open it. The file was left unchanged; move it aside or choose another path.',
    path,
  );
}

/**
 * Checks the file header and returns the file size. An empty file (or the
 * prefix of our own header left by an interrupted initialisation) is
 * initialised when `writable`; anything else unrecognised is refused.
 */
export async function checkHeader(fh: FileHandle, path: string, writable: boolean): Promise<number> {
  const size = (await fh.stat()).size;
  const expected = encodeFileHeader();
  const head = Buffer.alloc(Math.min(size, FILE_HEADER_SIZE));
  if (head.length > 0) await fh.read(head, 0, head.length, 0);

  if (size < FILE_HEADER_SIZE) {
    if (!head.equals(expected.subarray(0, head.length))) {
      throw notOurs(path, 'unrecognised file header');
    }
    if (!writable) return size;
    await fh.write(expected, 0, FILE_HEADER_SIZE, 0);
    await fh.sync();
    return FILE_HEADER_SIZE;
  }
  if (!head.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) {
    throw notOurs(path, 'unrecognised file header');
  }
  const version = head.readUInt16LE(FILE_MAGIC.length);
  if (version !== FORMAT_VERSION || head[FILE_HEADER_SIZE - 1] !== 0) {
    throw new StoreFileError(
      `${path} is a temporal-devserver engine database in format version ${version}, ` +
        `but this build only reads version ${FORMAT_VERSION}; refusing to open it (file left unchanged).`,
      path,
    );
  }
  return size;
}
