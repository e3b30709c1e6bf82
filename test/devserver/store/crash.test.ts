/**
 * Real crash test: a child process appends as fast as it can and prints the
 * sequence number of every acknowledged append; it is killed with SIGKILL
 * mid-stream, several times over the same file. Every acknowledged record
 * must be recovered, batches must be all-or-nothing, and order must hold.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { openFileStore } from '../../../devserver/store';
import { storeEntryForChild } from './childStore';
import { cleanupTmpDirs, tmpDir } from './helpers';

// Child: W concurrent writers; writer w appends seq numbers; every 4th
// append is a 3-record batch. Prints "<seq>\n" after each acknowledgement.
// Pipes to the parent are synchronous on Linux, so a printed line is never lost.
const CHILD = `
const [entry, file, base] = process.argv.slice(1);
const { openFileStore } = require(entry);
(async () => {
  const store = await openFileStore(file, { onWarning: (m) => process.stderr.write(m + '\\n') });
  process.stdout.write('recovered ' + store.recovered.length + '\\n');
  let seq = Number(base);
  const pad = 'p'.repeat(120);
  const writer = async (w) => {
    for (;;) {
      const s = seq++;
      const body = (part) => Buffer.from(JSON.stringify({ s, w, part, pad }));
      if (s % 4 === 0) await store.appendBatch([0, 1, 2].map((part) => ({ kind: 2, data: body(part) })));
      else await store.append(1, body(0));
      process.stdout.write(s + '\\n');
    }
  };
  for (let w = 0; w < 8; w++) writer(w);
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exit(3); });
`;

interface Round {
  acked: number[];
  recoveredAtStart: number;
  stderr: string;
}

function runUntilKilled(entry: string, file: string, base: number, killAfterAcks: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, entry, file, String(base)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let recoveredAtStart = -1;
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const lines = stdout.split('\n');
      stdout = lines.pop() ?? ''; // a partial last line is not (yet) an acknowledgement
      for (const line of lines) {
        if (line.startsWith('recovered ')) recoveredAtStart = Number(line.slice(10));
        else acked.push(Number(line));
      }
      if (!killed && acked.length >= killAfterAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}/${signal}: ${stderr}`));
      else resolve({ acked, recoveredAtStart, stderr });
    });
  });
}

describe('crash safety (kill -9 mid-stream)', () => {
  let child: ReturnType<typeof storeEntryForChild>;
  beforeAll(() => {
    child = storeEntryForChild();
  });
  afterAll(() => {
    child?.cleanup();
    cleanupTmpDirs();
  });

  it('recovers every acknowledged append, whole batches only, in order', async () => {
    const file = path.join(tmpDir(), 'crash', 'engine.db');
    const acked = new Set<number>();
    let base = 0;
    let lastRecovered = 0;
    for (let round = 0; round < 4; round++) {
      const r = await runUntilKilled(child.entry, file, base, 300 + round * 200);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.recoveredAtStart).toBe(lastRecovered);
      for (const s of r.acked) acked.add(s);
      base += 1_000_000; // fresh sequence range per round

      const store = await openFileStore(file, { onWarning: () => undefined });
      const parsed = store.recovered.map((rec) => ({
        kind: rec.kind,
        ...(JSON.parse(rec.data.toString()) as { s: number; w: number; part: number }),
      }));
      lastRecovered = parsed.length;
      await store.close();

      // Batches: parts 0,1,2 of a batch are adjacent and never partial.
      const seqs: number[] = [];
      for (let i = 0; i < parsed.length; i++) {
        const p = parsed[i];
        if (p.s % 4 === 0) {
          expect(p.kind).toBe(2);
          expect(parsed.slice(i, i + 3).map((x) => [x.s, x.part])).toEqual([[p.s, 0], [p.s, 1], [p.s, 2]]);
          i += 2;
        } else {
          expect(p.kind).toBe(1);
        }
        seqs.push(p.s);
      }
      // No duplicates, and each writer's appends appear in the order it made them.
      expect(new Set(seqs).size).toBe(seqs.length);
      const lastByWriter = new Map<string, number>();
      for (let i = 0, k = 0; i < parsed.length; i++) {
        const p = parsed[i];
        if (p.part !== 0) continue;
        expect(p.s).toBe(seqs[k++]);
        const writer = `${Math.floor(p.s / 1_000_000)}/${p.w}`;
        expect(p.s).toBeGreaterThan(lastByWriter.get(writer) ?? -1);
        lastByWriter.set(writer, p.s);
      }
      // The durability promise: everything acknowledged is there.
      const present = new Set(seqs);
      const missing = [...acked].filter((s) => !present.has(s));
      expect(missing).toEqual([]);
    }
    expect(acked.size).toBeGreaterThanOrEqual(300 + 500 + 700 + 900);
  });
});
