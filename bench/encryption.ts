/**
 * Encryption benchmark (figures, not a test): `npm run bench:encryption`.
 *
 * The same seeded cohort (BENCH_ENCRYPTION_TRAJECTORIES, default 300) from
 * intake to outcome under time skipping, plain and encrypted (every payload
 * through the AES-256-GCM codec, each participant's details sealed with their
 * own key and opened by the notification sink), in alternating order over
 * BENCH_ROUNDS rounds (default 2) so that a busy machine weighs on both alike.
 * Prints throughput (trajectories per second of drive time) and this
 * process's CPU per trajectory for each, and their ratios. Target: encryption
 * costs at most 10% of throughput.
 */
import { runCohort, type CohortRun } from './cohort-run';

const COUNT = Number(process.env.BENCH_ENCRYPTION_TRAJECTORIES ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SEED = Number(process.env.BENCH_SEED ?? 20270104);

const driveSeconds = (run: CohortRun): number => Object.values(run.phases).reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const plain: CohortRun[] = [];
  const encrypted: CohortRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so warm-up and load fall on both.
    const order = round % 2 === 0 ? [false, true] : [true, false];
    for (const enc of order) {
      const run = await runCohort({ count: COUNT, seed: SEED, encrypted: enc });
      const ended = run.measured.filter((m) => m.status === 'COMPLETED').length;
      if (ended !== COUNT) throw new Error(`${enc ? 'encrypted' : 'plain'} run: ${COUNT - ended} trajectories did not end`);
      (enc ? encrypted : plain).push(run);
      console.error(`round ${round + 1}: ${enc ? 'encrypted' : 'plain'} ${(COUNT / driveSeconds(run)).toFixed(1)} trajectories/s`);
    }
  }
  const throughput = (runs: CohortRun[]) => (COUNT * runs.length) / runs.reduce((a, r) => a + driveSeconds(r), 0);
  const cpuMs = (runs: CohortRun[]) => (1000 * runs.reduce((a, r) => a + r.cpuSeconds, 0)) / (COUNT * runs.length);
  const events = (runs: CohortRun[]) => runs[0].measured.reduce((a, m) => a + m.events, 0) / COUNT;
  const ratio = throughput(encrypted) / throughput(plain);
  const rows: [string, string, string][] = [
    ['trajectories per second of drive time', throughput(plain).toFixed(1), throughput(encrypted).toFixed(1)],
    ['worker + client CPU per trajectory (ms)', cpuMs(plain).toFixed(1), cpuMs(encrypted).toFixed(1)],
    ['history events per trajectory (mean)', events(plain).toFixed(1), events(encrypted).toFixed(1)],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nencryption: cohort of ${COUNT} trajectories (seed ${SEED}), ${ROUNDS} rounds each, time skipping`);
  console.log(`${'figure'.padEnd(w)} | plain    | encrypted`);
  console.log(`${'-'.repeat(w)}-|----------|----------`);
  for (const [name, a, b] of rows) console.log(`${name.padEnd(w)} | ${a.padEnd(8)} | ${b}`);
  console.log(`\nthroughput encrypted / plain: ${ratio.toFixed(3)} (target at least 0.90: encryption costs at most 10%) ${ratio >= 0.9 ? 'ok' : 'MISSED'}`);
  console.log(`CPU per trajectory encrypted / plain: ${(cpuMs(encrypted) / cpuMs(plain)).toFixed(3)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
