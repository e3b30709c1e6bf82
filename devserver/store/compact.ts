/**
 * Offline compaction: rewrites a log keeping only the records a callback
 * selects, into a temporary file that atomically replaces the original.
 */
import { promises as fsp } from 'fs';
import type { FileHandle } from 'fs/promises';
import * as nodePath from 'path';
import { randomBytes } from 'crypto';
import { BlockBuilder, DEFAULT_GROUP_COMMIT_BYTES, FILE_HEADER_SIZE, encodeFileHeader, encodedRecordSize } from './format';
import { isOpenInProcess } from './fileStore';
import { checkHeader, openOrCreate, syncDir } from './openFile';
import { scanLog } from './recover';
import type { StoredRecord } from './types';

export interface CompactResult {
  kept: number;
  dropped: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface CompactOptions {
  onWarning?: (message: string) => void;
}

async function writeAll(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  for (let off = 0; off < buf.length; ) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off, position + off);
    if (bytesWritten <= 0) throw new Error(`write made no progress at offset ${position + off}`);
    off += bytesWritten;
  }
}

/**
 * Rewrites the log at `path` with only the records for which `keep` returns
 * true, preserving their order. The original is replaced by an atomic rename
 * only after the new file is fully written and fsynced, so a crash at any
 * point leaves either the old or the new log. The file must not be open in
 * a LogStore (checked within this process; the caller must ensure it for
 * other processes). A damaged or foreign file is refused with StoreFileError.
 */
export async function compactFileStore(
  path: string,
  keep: (record: StoredRecord, index: number) => boolean,
  options: CompactOptions = {},
): Promise<CompactResult> {
  const abs = nodePath.resolve(path);
  if (isOpenInProcess(abs)) throw new Error(`cannot compact ${abs}: it is open in a LogStore`);

  const src = await openOrCreate(abs, 'r');
  let records: StoredRecord[];
  let bytesBefore: number;
  try {
    bytesBefore = await checkHeader(src, abs, false);
    const scan = await scanLog(src, abs, bytesBefore);
    if (scan.tornTail !== undefined) options.onWarning?.(scan.tornTail);
    records = scan.records;
  } finally {
    await src.close();
  }

  const tmp = `${abs}.compact-${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  const out = await fsp.open(tmp, 'wx');
  let kept = 0;
  let pos = 0;
  try {
    await writeAll(out, encodeFileHeader(), 0);
    pos = FILE_HEADER_SIZE;
    let builder = new BlockBuilder();
    const flush = async (): Promise<void> => {
      if (builder.count === 0) return;
      const block = builder.seal();
      await writeAll(out, block, pos);
      pos += block.length;
      builder = new BlockBuilder(builder.release());
    };
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (!keep(r, i)) continue;
      kept++;
      if (builder.count > 0 && builder.payloadBytes + encodedRecordSize(r.data) > DEFAULT_GROUP_COMMIT_BYTES) {
        await flush();
      }
      builder.add(r.kind, r.data);
    }
    await flush();
    await out.sync();
    await out.close();
  } catch (e) {
    await out.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsp.rename(tmp, abs);
  await syncDir(nodePath.dirname(abs));
  return { kept, dropped: records.length - kept, bytesBefore, bytesAfter: pos };
}
