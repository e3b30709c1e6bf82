/**
 * Reading a log back at open: validates every block and record, tells a torn
 * (unacknowledged) tail apart from damage in the middle, and returns the
 * records as views into a few large read buffers (no per-record copies).
 */
import type { FileHandle } from 'fs/promises';
import { crc32 } from './crc32';
import { StoreFileError } from './errors';
import {
  BLOCK_HEADER_SIZE,
  BLOCK_MAGIC,
  RECORD_HEADER_SIZE,
  FILE_HEADER_SIZE,
  blockHeaderChecksum,
} from './format';
import type { StoredRecord } from './types';

const READ_CHUNK = 32 * 1024 * 1024;

export type ParseOutcome =
  | { status: 'end' }
  | { status: 'more'; at: number; need: number }
  | { status: 'bad-header'; at: number }
  | { status: 'bad-payload'; at: number; blockEnd: number; recordAt: number; reason: string };

/**
 * Parses whole blocks from `buf`, which holds file bytes starting at file
 * offset `base`, appending their records to `out`. Stops at the first block
 * that is incomplete in `buf` or invalid; records of an invalid block are
 * never left in `out`.
 */
export function parseBlocks(buf: Buffer, base: number, out: StoredRecord[]): ParseOutcome {
  let p = 0;
  while (p < buf.length) {
    const at = base + p;
    if (buf.length - p < BLOCK_HEADER_SIZE) return { status: 'more', at, need: BLOCK_HEADER_SIZE };
    if (buf.readUInt32LE(p) !== BLOCK_MAGIC || buf.readUInt32LE(p + 12) !== blockHeaderChecksum(buf, p)) {
      return { status: 'bad-header', at };
    }
    const payloadLen = buf.readUInt32LE(p + 4);
    const count = buf.readUInt32LE(p + 8);
    const total = BLOCK_HEADER_SIZE + payloadLen;
    if (buf.length - p < total) return { status: 'more', at, need: total };

    const mark = out.length;
    const end = p + total;
    let q = p + BLOCK_HEADER_SIZE;
    let reason: string | undefined;
    for (let i = 0; i < count; i++) {
      if (end - q < RECORD_HEADER_SIZE) {
        reason = 'record header runs past the end of its block';
        break;
      }
      const len = buf.readUInt32LE(q);
      if (len > end - q - RECORD_HEADER_SIZE) {
        reason = `record length ${len} runs past the end of its block`;
        break;
      }
      const dataEnd = q + RECORD_HEADER_SIZE + len;
      if (crc32(buf.subarray(q + 8, dataEnd)) !== buf.readUInt32LE(q + 4)) {
        reason = 'CRC mismatch';
        break;
      }
      out.push({ kind: buf[q + 8], data: buf.subarray(q + RECORD_HEADER_SIZE, dataEnd) });
      q = dataEnd;
    }
    if (reason === undefined && q !== end) reason = `${end - q} unexpected bytes after the last record`;
    if (reason !== undefined) {
      out.length = mark;
      return { status: 'bad-payload', at, blockEnd: base + end, recordAt: base + q, reason };
    }
    p = end;
  }
  return { status: 'end' };
}

export interface ScanResult {
  records: StoredRecord[];
  /** Offset just past the last valid block; the file should end here. */
  validEnd: number;
  /** Set when a torn tail was found (bytes from validEnd to EOF are garbage). */
  tornTail?: string;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw new Error(`unexpected end of file at offset ${position + got}`);
    got += bytesRead;
  }
  return buf;
}

async function isZeroRange(fh: FileHandle, from: number, to: number): Promise<boolean> {
  for (let pos = from; pos < to; ) {
    const buf = await readAt(fh, pos, Math.min(to - pos, 4 * 1024 * 1024));
    for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false;
    pos += buf.length;
  }
  return true;
}

/** Could these final bytes (shorter than a block header) be the start of an interrupted write? */
function plausiblePartialHeader(bytes: Buffer): boolean {
  if (bytes.every((b) => b === 0)) return true;
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(BLOCK_MAGIC, 0);
  const n = Math.min(4, bytes.length);
  return bytes.subarray(0, n).equals(magic.subarray(0, n));
}

function damaged(path: string, offset: number, detail: string): StoreFileError {
  return new StoreFileError(
    `${path}: engine log is damaged at byte offset ${offset}: ${detail}. ` +
      'Refusing to open it (acknowledged data would be lost); the file was not modified.',
    path,
    offset,
  );
}

/** Reads and validates every block after the file header. Never modifies the file. */
export async function scanLog(fh: FileHandle, path: string, fileSize: number): Promise<ScanResult> {
  const records: StoredRecord[] = [];
  let pos = FILE_HEADER_SIZE;
  let need = 0;
  const torn = (at: number, why: string): ScanResult => ({
    records,
    validEnd: at,
    tornTail: `${path}: discarded ${fileSize - at}-byte torn tail at offset ${at} (${why}; that write was never acknowledged)`,
  });

  while (pos < fileSize) {
    const length = Math.min(fileSize - pos, Math.max(READ_CHUNK, need));
    const buf = await readAt(fh, pos, length);
    const r = parseBlocks(buf, pos, records);
    switch (r.status) {
      case 'end':
        pos += length;
        need = 0;
        break;
      case 'more':
        if (r.at + r.need > fileSize) {
          if (r.need === BLOCK_HEADER_SIZE && !plausiblePartialHeader(buf.subarray(r.at - pos))) {
            throw damaged(path, r.at, `${fileSize - r.at} trailing bytes that are not a block header`);
          }
          return torn(r.at, 'incomplete final block');
        }
        pos = r.at;
        need = r.need;
        break;
      case 'bad-header':
        if (await isZeroRange(fh, r.at, fileSize)) return torn(r.at, 'zero-filled final block');
        throw damaged(path, r.at, 'invalid block header');
      case 'bad-payload':
        if (r.blockEnd === fileSize) return torn(r.at, `final block failed validation: ${r.reason}`);
        throw damaged(path, r.recordAt, `${r.reason} in block at offset ${r.at}`);
    }
  }
  return { records, validEnd: fileSize };
}
