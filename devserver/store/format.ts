/**
 * On-disk layout of the engine log (all integers little-endian).
 *
 *   file   := fileHeader block*
 *   fileHeader (16 bytes) := "TRJDEVSERVER\n" (13 bytes) | version u16 | reserved u8 = 0
 *   block  := blockHeader payload          -- exactly one block per write + fsync
 *   blockHeader (16 bytes) := "TRJB" | payloadLength u32 | recordCount u32
 *                             | crc32(first 12 header bytes) u32
 *   payload := record{recordCount}          -- exactly payloadLength bytes
 *   record := dataLength u32 | crc32(kind, data) u32 | kind u8 | data
 *
 * A block is the unit of atomicity: an append or a whole batch never spans
 * two blocks, and recovery accepts a block entirely or not at all. Because
 * each write + fsync is one block and the next write only starts after the
 * fsync, only the LAST block in the file can be unacknowledged, so damage
 * there is a torn tail while damage in any earlier block is real corruption.
 */
import { crc32 } from './crc32';

export const FILE_MAGIC = Buffer.from('TRJDEVSERVER\n', 'latin1');
export const FORMAT_VERSION = 1;
export const FILE_HEADER_SIZE = 16;

export const BLOCK_MAGIC = 0x424a5254; // bytes "TRJB"
export const BLOCK_HEADER_SIZE = 16;
export const RECORD_HEADER_SIZE = 9;

/** Largest block payload this build writes (a single write must stay < 2 GiB). */
export const MAX_BLOCK_PAYLOAD = 1024 * 1024 * 1024;
export const DEFAULT_GROUP_COMMIT_BYTES = 16 * 1024 * 1024;

export function encodeFileHeader(version = FORMAT_VERSION): Buffer {
  const h = Buffer.alloc(FILE_HEADER_SIZE);
  FILE_MAGIC.copy(h, 0);
  h.writeUInt16LE(version, FILE_MAGIC.length);
  return h;
}

export function blockHeaderChecksum(buf: Buffer, offset: number): number {
  return crc32(buf.subarray(offset, offset + 12));
}

/** Bytes one record occupies inside a block payload. */
export function encodedRecordSize(data: Uint8Array): number {
  return RECORD_HEADER_SIZE + data.length;
}

export function validateRecord(kind: unknown, data: unknown): void {
  if (typeof kind !== 'number' || !Number.isInteger(kind) || kind < 0 || kind > 255) {
    throw new RangeError(`record kind must be an integer 0..255, got ${String(kind)}`);
  }
  if (!(data instanceof Uint8Array)) {
    throw new TypeError('record data must be a Buffer');
  }
}

/**
 * Accumulates records for one block in a growable buffer. Each record is
 * copied and checksummed when added, so callers may reuse their buffers.
 */
export class BlockBuilder {
  private buf: Buffer;
  private end = BLOCK_HEADER_SIZE;
  private records = 0;

  constructor(buffer?: Buffer) {
    this.buf = buffer && buffer.length >= 4096 ? buffer : Buffer.allocUnsafe(64 * 1024);
  }

  get count(): number {
    return this.records;
  }

  get payloadBytes(): number {
    return this.end - BLOCK_HEADER_SIZE;
  }

  add(kind: number, data: Uint8Array): void {
    const len = data.length;
    const at = this.end;
    const next = at + RECORD_HEADER_SIZE + len;
    if (next > this.buf.length) this.grow(next);
    const buf = this.buf;
    buf.writeUInt32LE(len, at);
    buf[at + 8] = kind;
    buf.set(data, at + 9);
    buf.writeUInt32LE(crc32(buf.subarray(at + 8, next)), at + 4);
    this.end = next;
    this.records++;
  }

  /** Writes the block header and returns the finished block (a view of the internal buffer). */
  seal(): Buffer {
    const buf = this.buf;
    buf.writeUInt32LE(BLOCK_MAGIC, 0);
    buf.writeUInt32LE(this.end - BLOCK_HEADER_SIZE, 4);
    buf.writeUInt32LE(this.records, 8);
    buf.writeUInt32LE(blockHeaderChecksum(buf, 0), 12);
    return buf.subarray(0, this.end);
  }

  /** The underlying buffer, for reuse by a later builder once the block is written. */
  release(): Buffer {
    return this.buf;
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.end);
    this.buf = bigger;
  }
}
