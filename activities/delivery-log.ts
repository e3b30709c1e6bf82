/**
 * The delivery log: an append-only local file of final delivery outcomes, one
 * JSON line per (event key, partner, channel), each flushed to disk (fsync)
 * before the send counts as done. A retried activity reads it and skips what
 * was already confirmed (or refused for good), so it sends only what is still
 * open. It holds the opaque event key, partner id and channel: no personal data.
 *
 * Several worker processes on one machine may share the file: appends are
 * single writes to a file opened for appending, and every look-up first reads
 * what other processes appended since. A line torn by a crash is skipped: it
 * was never flushed, so its send never counted as confirmed.
 */
import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export type DeliveryChannel = 'webhook' | 'email';

const recordSchema = z.object({
  v: z.literal(1),
  key: z.string().min(1),
  partner: z.string().min(1),
  channel: z.enum(['webhook', 'email']),
  outcome: z.enum(['confirmed', 'rejected']),
  detail: z.string(),
  at: z.string(),
});

export type DeliveryRecord = z.infer<typeof recordSchema>;

function slot(key: string, partner: string, channel: DeliveryChannel): string {
  return `${key}\u0000${partner}\u0000${channel}`;
}

export class DeliveryLog {
  private readonly records = new Map<string, DeliveryRecord>();
  /** Bytes of the file read so far (up to the last complete line). */
  private offset = 0;
  private skipped = 0;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(readonly file: string) {}

  /** Opens (creating it and its folder when needed) and reads the log. */
  static async open(file: string): Promise<DeliveryLog> {
    const log = new DeliveryLog(path.resolve(file));
    mkdirSync(path.dirname(log.file), { recursive: true });
    const fd = openSync(log.file, 'a');
    fsyncSync(fd);
    closeSync(fd);
    syncDirectory(path.dirname(log.file));
    await log.refresh();
    return log;
  }

  /** Lines that could not be read (torn by a crash); they were never confirmed. */
  get unreadableLines(): number {
    return this.skipped;
  }

  get size(): number {
    return this.records.size;
  }

  /** The final outcome recorded for this delivery, if any (after reading what others appended). */
  async find(key: string, partner: string, channel: DeliveryChannel): Promise<DeliveryRecord | undefined> {
    await this.refresh();
    return this.records.get(slot(key, partner, channel));
  }

  /** Appends and flushes one outcome; resolves once it is on disk. */
  record(entry: Omit<DeliveryRecord, 'v' | 'at'>, at: Date = new Date()): Promise<void> {
    const record: DeliveryRecord = { v: 1, ...entry, at: at.toISOString() };
    const write = this.tail.then(async () => {
      const handle = await open(this.file, 'a');
      try {
        // A leading newline closes a line another process may have left torn.
        await handle.write(`\n${JSON.stringify(record)}\n`);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      this.records.set(slot(record.key, record.partner, record.channel), record);
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  private async refresh(): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      const end = text.lastIndexOf('\n');
      if (end < 0) return;
      this.offset += Buffer.byteLength(text.slice(0, end + 1));
      for (const line of text.slice(0, end).split('\n')) this.ingest(line);
    } finally {
      await handle.close();
    }
  }

  private ingest(line: string): void {
    if (line.trim() === '') return;
    let parsed: ReturnType<typeof recordSchema.safeParse>;
    try {
      parsed = recordSchema.safeParse(JSON.parse(line));
    } catch {
      this.skipped += 1;
      return;
    }
    if (!parsed.success) {
      this.skipped += 1;
      return;
    }
    this.records.set(slot(parsed.data.key, parsed.data.partner, parsed.data.channel), parsed.data);
  }
}

/** Makes a new file's directory entry durable (not possible on every platform; best effort there). */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a directory for fsync.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
