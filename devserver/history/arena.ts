/**
 * Where encoded history events live. Small Buffers from Node's shared pool each pin an 8 KiB pool
 * slab that other short-lived allocations also land in, so long-lived events kept that way cost
 * kilobytes apiece. Events never change once written, so they are packed into large slabs of
 * their own and kept as views.
 */
const SLAB = 1 << 20;

export class HistoryArena {
  private slab = Buffer.allocUnsafeSlow(SLAB);
  private used = 0;

  store(bytes: Uint8Array): Buffer {
    const n = bytes.length;
    if (n > SLAB / 4) return Buffer.from(bytes); // rare large events get their own memory
    if (this.used + n > SLAB) {
      this.slab = Buffer.allocUnsafeSlow(SLAB);
      this.used = 0;
    }
    const start = this.used;
    this.slab.set(bytes, start);
    this.used += n;
    return this.slab.subarray(start, start + n);
  }
}
