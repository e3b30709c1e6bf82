/**
 * The erasure log: one JSON line per erased participant, flushed to disk
 * before the erasure counts. It says what was erased, when and why (the data
 * key's id, the trajectories withdrawn or already closed), never the erased
 * data itself.
 */
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const erasureRecordSchema = z.strictObject({
  v: z.literal(1),
  erasedAt: z.string(),
  reason: z.enum(['request', 'retention']),
  /** The id of the data key that is deleted (`<participantRef>.<random>`). */
  keyId: z.string(),
  trajectories: z.array(z.strictObject({ workflowId: z.string(), action: z.enum(['withdrawn', 'terminated', 'was-closed']) })),
  /** The capacity workflows whose waiting list the participant was taken off. */
  leftWaitingLists: z.array(z.string()).optional(),
});
export type ErasureRecord = z.infer<typeof erasureRecordSchema>;

export const DEFAULT_ERASURE_LOG = path.join('.data', 'erasures.jsonl');

/** Appends one record and fsyncs it. */
export async function recordErasure(file: string, record: Omit<ErasureRecord, 'v'>): Promise<ErasureRecord> {
  const line: ErasureRecord = erasureRecordSchema.parse({ v: 1, ...record });
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await appendFile(file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return line;
}

/** Every readable record; a line torn by a crash is skipped. */
export async function readErasures(file: string): Promise<ErasureRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        const parsed = erasureRecordSchema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
}
