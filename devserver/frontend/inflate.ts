/**
 * A small gzip decoder (RFC 1952 around RFC 1951 deflate) for the small messages workers send.
 *
 * Each zlib call, even synchronous, builds a native inflate stream (a 32 KiB window and its state)
 * and a JavaScript wrapper around it; for a request of a few hundred bytes that set-up is most of
 * the cost. Decoding such a message here takes a few microseconds. It is an optimisation only:
 * anything it does not handle exactly (several gzip members, reserved flags, a damaged stream,
 * a checksum or length that does not match) returns undefined and the caller uses zlib, which
 * then gives its own answer or error.
 */
import { crc32 } from '../store/crc32';

const MAXBITS = 15;
const FAST_BITS = 9;

const LEN_BASE = new Uint16Array([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LEN_EXTRA = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DIST_BASE = new Uint16Array([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]);
const DIST_EXTRA = new Uint8Array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Thrown inside the decoder for anything it will not decode; the caller falls back to zlib. */
class Unsupported extends Error {}
const fail = (): never => {
  throw new Unsupported();
};

/** REVERSED[x]: the FAST_BITS bits of x in reverse order (codes arrive most significant bit first). */
const REVERSED = new Uint16Array(1 << FAST_BITS);
for (let x = 0; x < 1 << FAST_BITS; x++) {
  let r = 0;
  for (let b = 0; b < FAST_BITS; b++) r |= ((x >>> b) & 1) << (FAST_BITS - 1 - b);
  REVERSED[x] = r;
}

/** A canonical Huffman code: counts per length, symbols in code order, and a table of short codes. */
class Huffman {
  readonly counts = new Uint16Array(MAXBITS + 1);
  readonly symbols: Uint16Array;
  /** By the next `fastBits` input bits: (symbol << 4) | length, or -1 when the code is longer. */
  readonly fast: Int32Array;
  readonly fastMask: number;
  private readonly offsets = new Uint16Array(MAXBITS + 2);

  constructor(size: number, private readonly fastBits: number) {
    this.symbols = new Uint16Array(size);
    this.fast = new Int32Array(1 << fastBits);
    this.fastMask = (1 << fastBits) - 1;
  }

  build(lengths: Uint8Array, n: number): void {
    const { counts, symbols, offsets, fast } = this;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[lengths[i]]++;
    counts[0] = 0;
    let left = 1;
    for (let len = 1; len <= MAXBITS; len++) {
      left = (left << 1) - counts[len];
      if (left < 0) fail(); // over-subscribed
    }
    offsets[1] = 0;
    for (let len = 1; len < MAXBITS; len++) offsets[len + 1] = offsets[len] + counts[len];
    for (let sym = 0; sym < n; sym++) if (lengths[sym]) symbols[offsets[lengths[sym]]++] = sym;
    fast.fill(-1);
    // Canonical codes in order of length then symbol; the stream holds them most significant bit first.
    const bits = this.fastBits;
    const mask = this.fastMask;
    let code = 0;
    let index = 0;
    for (let len = 1; len <= bits; len++) {
      const step = 1 << len;
      for (let k = counts[len]; k > 0; k--) {
        const entry = (symbols[index++] << 4) | len;
        for (let j = REVERSED[code << (FAST_BITS - len)]; j <= mask; j += step) fast[j] = entry;
        code++;
      }
      code <<= 1;
    }
  }
}

/** Tables reused by every call (decoding is synchronous, so one set serves the process). */
const lengths = new Uint8Array(288 + 32);
const litCode = new Huffman(288, FAST_BITS);
const distCode = new Huffman(32, 7);
const lengthCode = new Huffman(19, 7);

class Decoder {
  private pos: number;
  private bitbuf = 0;
  private bitcnt = 0;
  readonly out: Buffer;
  outLen = 0;
  private readonly lit = litCode;
  private readonly dist = distCode;
  private readonly codeLen = lengthCode;

  constructor(
    private readonly input: Uint8Array,
    start: number,
    private readonly end: number,
    expectedSize: number,
  ) {
    this.pos = start;
    this.out = Buffer.allocUnsafe(expectedSize);
  }

  /** Ensures at least `need` (≤ 24) bits are buffered; past the end of input counts as damage. */
  private need(need: number): void {
    while (this.bitcnt < need) {
      if (this.pos >= this.end) fail();
      this.bitbuf |= this.input[this.pos++] << this.bitcnt;
      this.bitcnt += 8;
    }
  }

  private bits(n: number): number {
    if (n === 0) return 0;
    this.need(n);
    const v = this.bitbuf & ((1 << n) - 1);
    this.bitbuf >>>= n;
    this.bitcnt -= n;
    return v;
  }

  private decodeSymbol(h: Huffman): number {
    // Fill up to 24 bits where the input allows (the last codes of a stream may be short).
    while (this.bitcnt <= 16 && this.pos < this.end) {
      this.bitbuf |= this.input[this.pos++] << this.bitcnt;
      this.bitcnt += 8;
    }
    const e = h.fast[this.bitbuf & h.fastMask];
    if (e >= 0) {
      const len = e & 15;
      if (len > this.bitcnt) fail();
      this.bitbuf >>>= len;
      this.bitcnt -= len;
      return e >>> 4;
    }
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAXBITS && len <= this.bitcnt; len++) {
      code |= (this.bitbuf >>> (len - 1)) & 1;
      const count = h.counts[len];
      if (code - count < first) {
        this.bitbuf >>>= len;
        this.bitcnt -= len;
        return h.symbols[index + (code - first)];
      }
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return fail();
  }

  private put(byte: number): void {
    if (this.outLen >= this.out.length) fail(); // more than the trailer announced
    this.out[this.outLen++] = byte;
  }

  run(): number {
    let last = 0;
    while (!last) {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.fixed();
      else if (type === 2) this.dynamic();
      else fail();
    }
    // Whole bytes still buffered belong to the gzip trailer.
    return this.pos - (this.bitcnt >>> 3);
  }

  private stored(): void {
    this.bitbuf = 0;
    this.pos -= this.bitcnt >>> 3;
    this.bitcnt = 0;
    if (this.pos + 4 > this.end) fail();
    const i = this.input;
    const len = i[this.pos] | (i[this.pos + 1] << 8);
    const nlen = i[this.pos + 2] | (i[this.pos + 3] << 8);
    if (len !== (~nlen & 0xffff)) fail();
    this.pos += 4;
    if (this.pos + len > this.end || this.outLen + len > this.out.length) fail();
    this.out.set(i.subarray(this.pos, this.pos + len), this.outLen);
    this.pos += len;
    this.outLen += len;
  }

  private fixed(): void {
    const l = lengths;
    let s = 0;
    for (; s < 144; s++) l[s] = 8;
    for (; s < 256; s++) l[s] = 9;
    for (; s < 280; s++) l[s] = 7;
    for (; s < 288; s++) l[s] = 8;
    this.lit.build(l, 288);
    for (s = 0; s < 30; s++) l[s] = 5;
    this.dist.build(l, 30);
    this.codes();
  }

  private dynamic(): void {
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) fail();
    const l = lengths;
    l.fill(0, 0, 19);
    for (let i = 0; i < ncode; i++) l[CODE_LENGTH_ORDER[i]] = this.bits(3);
    this.codeLen.build(l, 19);
    const total = nlen + ndist;
    const all = lengths; // the code length code is built: its lengths are no longer needed
    for (let i = 0; i < total; ) {
      const sym = this.decodeSymbol(this.codeLen);
      if (sym < 16) {
        all[i++] = sym;
        continue;
      }
      let len = 0;
      let rep: number;
      if (sym === 16) {
        if (i === 0) fail();
        len = all[i - 1];
        rep = 3 + this.bits(2);
      } else if (sym === 17) {
        rep = 3 + this.bits(3);
      } else {
        rep = 11 + this.bits(7);
      }
      if (i + rep > total) fail();
      while (rep--) all[i++] = len;
    }
    if (all[256] === 0) fail(); // no end-of-block code
    this.lit.build(all, nlen);
    this.dist.build(all.subarray(nlen), ndist);
    this.codes();
  }

  private codes(): void {
    for (;;) {
      let sym = this.decodeSymbol(this.lit);
      if (sym < 256) {
        this.put(sym);
        continue;
      }
      if (sym === 256) return;
      sym -= 257;
      if (sym >= 29) fail();
      const len = LEN_BASE[sym] + this.bits(LEN_EXTRA[sym]);
      const dsym = this.decodeSymbol(this.dist);
      if (dsym >= 30) fail();
      const dist = DIST_BASE[dsym] + this.bits(DIST_EXTRA[dsym]);
      if (dist > this.outLen || this.outLen + len > this.out.length) fail();
      const out = this.out;
      let from = this.outLen - dist;
      for (let k = 0; k < len; k++) out[this.outLen++] = out[from++];
    }
  }
}

/** Messages this size or smaller are decoded here; larger ones go to zlib, which is faster for them. */
export const JS_GUNZIP_MAX_INPUT = 64 * 1024;

/**
 * Decodes a single-member gzip stream whose announced size is at most `maxOutput` bytes. Returns
 * undefined when zlib should decide instead (anything unusual, damaged or too large).
 */
export function gunzipSmall(data: Uint8Array, maxOutput: number): Buffer | undefined {
  const n = data.length;
  if (n < 18 || n > JS_GUNZIP_MAX_INPUT || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) return undefined;
  const flags = data[3];
  // Reserved bits, and a header CRC (zlib checks it; no client of ours sends one): zlib decides.
  if (flags & 0xe2) return undefined;
  let p = 10;
  if (flags & 4) {
    if (p + 2 > n) return undefined;
    p += 2 + (data[p] | (data[p + 1] << 8));
  }
  if (flags & 8) {
    while (p < n && data[p] !== 0) p++;
    p++;
  }
  if (flags & 16) {
    while (p < n && data[p] !== 0) p++;
    p++;
  }
  if (p + 8 > n) return undefined;
  const size = (data[n - 4] | (data[n - 3] << 8) | (data[n - 2] << 16) | (data[n - 1] << 24)) >>> 0;
  if (size > maxOutput) return undefined;
  const d = new Decoder(data, p, n - 8, size);
  let end: number;
  try {
    end = d.run();
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  if (end !== n - 8 || d.outLen !== size) return undefined; // trailing members or a length mismatch
  const want = (data[n - 8] | (data[n - 7] << 8) | (data[n - 6] << 16) | (data[n - 5] << 24)) >>> 0;
  if (crc32(d.out) >>> 0 !== want) return undefined;
  return d.out;
}
