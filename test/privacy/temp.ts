/** Temporary folders and keyrings for the privacy tests. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Keyring, type MasterKey } from '../../privacy';

const made: string[] = [];

export function tempDir(prefix = 'privacy-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function masterKey(id: string, createdAt = '2026-01-01T00:00:00.000Z'): MasterKey {
  return { id, key: randomBytes(32), createdAt };
}

export function keyring(...keys: MasterKey[]): Keyring {
  return new Keyring(keys.length > 0 ? keys : [masterKey('k-test')]);
}
