/** Shared helpers for the store tests (not a test file itself). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BLOCK_HEADER_SIZE, FILE_HEADER_SIZE } from '../../../devserver/store/format';
import type { StoredRecord } from '../../../devserver/store';

const dirs: string[] = [];

/** A fresh temporary directory, removed by cleanupTmpDirs(). */
export function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
  dirs.push(d);
  return d;
}

export function cleanupTmpDirs(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export function rec(i: number, kind = i % 256): StoredRecord {
  return { kind, data: Buffer.from(`record-${i}-${'x'.repeat(i % 37)}`) };
}

export interface BlockInfo {
  at: number;
  payloadLen: number;
  count: number;
  end: number;
}

/** Block layout of a log file, read straight from the bytes. */
export function walkBlocks(file: string): BlockInfo[] {
  const buf = fs.readFileSync(file);
  const out: BlockInfo[] = [];
  for (let at = FILE_HEADER_SIZE; at + BLOCK_HEADER_SIZE <= buf.length; ) {
    const payloadLen = buf.readUInt32LE(at + 4);
    const end = at + BLOCK_HEADER_SIZE + payloadLen;
    out.push({ at, payloadLen, count: buf.readUInt32LE(at + 8), end });
    at = end;
  }
  return out;
}

export function plain(records: ReadonlyArray<StoredRecord>): Array<{ kind: number; data: string }> {
  return records.map((r) => ({ kind: r.kind, data: r.data.toString('hex') }));
}
