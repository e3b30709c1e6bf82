/**
 * Durable small-file writes: write a temporary file, fsync it, move it into
 * place, fsync the folder. A crash leaves either the old file or the new one,
 * never half of one.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Creates the folder (and its parents) with mode 0700 where missing. */
export function ensureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Makes a folder's entries (created, renamed, removed files) durable. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a folder; the rename is still atomic there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function tempPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function writeTemp(file: string, content: string, mode: number): string {
  const temp = tempPath(file);
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    fs.fchmodSync(fd, mode); // the umask may have narrowed it; never widened
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return temp;
}

/** Replaces (or creates) `file` with `content`, atomically and durably. */
export function writeFileAtomic(file: string, content: string, mode = 0o600): void {
  const temp = writeTemp(file, content, mode);
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(path.dirname(file));
}

/**
 * Creates `file` with `content` only when it does not exist yet, atomically and
 * durably (a hard link refuses an existing name). False when it already existed:
 * another process got there first.
 */
export function createFileExclusive(file: string, content: string, mode = 0o600): boolean {
  const temp = writeTemp(file, content, mode);
  try {
    fs.linkSync(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      fs.rmSync(temp, { force: true });
      return false;
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') {
      fs.rmSync(temp, { force: true });
      throw error;
    }
    // A file system without hard links: check, then rename (a narrow race remains).
    if (fs.existsSync(file)) {
      fs.rmSync(temp, { force: true });
      return false;
    }
    fs.renameSync(temp, file);
    fsyncDir(path.dirname(file));
    return true;
  }
  fs.rmSync(temp, { force: true });
  fsyncDir(path.dirname(file));
  return true;
}

/** Removes `file` durably; false when it was already gone. */
export function removeFileDurable(file: string): boolean {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  fsyncDir(path.dirname(file));
  return true;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `action` holding an exclusive lock file next to `file`, so that two
 * processes appending to the same file do not lose each other's change. A lock
 * older than `staleMs` is taken to be left by a crashed process.
 */
export function withFileLock<T>(file: string, action: () => T, { timeoutMs = 10_000, staleMs = 30_000 } = {}): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = lockAge(lock);
      if (age !== undefined && age > staleMs) fs.rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${file} is locked by another process (remove ${lock} if none is running)`);
      else Atomics.wait(sleeper, 0, 0, 25);
    }
  }
  try {
    return action();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function lockAge(lock: string): number | undefined {
  try {
    return Date.now() - fs.statSync(lock).mtimeMs;
  } catch {
    return undefined;
  }
}
