/** Protobuf base-128 varints of non-negative safe integers, for the hand-written encoders. */

/** Bytes a varint of `n` takes. */
export function varintLength(n: number): number {
  let len = 1;
  for (; n > 127; n = Math.floor(n / 128)) len++;
  return len;
}

/** Writes the varint of `n` into `buf` at `at`; returns the offset after it. */
export function putVarint(buf: Buffer, at: number, n: number): number {
  for (; n > 127; n = Math.floor(n / 128)) buf[at++] = (n & 0x7f) | 0x80;
  buf[at++] = n;
  return at;
}

/** The varint of `n` as bytes. */
export function varintBytes(n: number): number[] {
  const out = Buffer.allocUnsafe(varintLength(n));
  putVarint(out, 0, n);
  return [...out];
}
