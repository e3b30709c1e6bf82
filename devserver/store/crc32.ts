/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial). Uses `zlib.crc32` when the
 * running Node has it (20.15+ / 22.2+) and a table-driven fallback otherwise;
 * both give identical results, so files are portable between Node versions.
 */
import * as zlib from 'zlib';

export type Crc32 = (data: Uint8Array, previous?: number) => number;

let table: Uint32Array | undefined;

function buildTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** Pure-JS CRC-32; `previous` continues a running checksum like zlib's. */
export function crc32Js(data: Uint8Array, previous = 0): number {
  const t = (table ??= buildTable());
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

export const crc32: Crc32 = typeof native === 'function' ? native : crc32Js;
export const crc32IsNative = typeof native === 'function';
