/**
 * Cohort benchmark (figures, not a test): `npm run bench:cohort`.
 *
 * 1,000 trajectories (BENCH_TRAJECTORIES) round-robin over the five
 * programmes, with seeded random partner reports (BENCH_SEED; 40% extensions
 * in Kwalificatiebanen), from intake to outcome under time skipping on the
 * embedded engine. This process plays the partners: it lets virtual time run
 * to each day with reports (noon, Amsterdam) and sends that day's signals.
 * Prints wall time, workflow tasks and history events per trajectory, and the
 * outcome distribution.
 */
import { COHORT_PROGRAMMES } from './cohort-plans';
import { runCohort } from './cohort-run';

const COUNT = Number(process.env.BENCH_TRAJECTORIES ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 20270104);
/** Issue 3, part 8: a complete trajectory stays under 150 history events. */
const MAX_EVENTS = 150;

function stats(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return `mean ${mean.toFixed(1)} · p50 ${at(0.5)} · p95 ${at(0.95)} · max ${sorted.at(-1) ?? 0}`;
}

function table(title: string, rows: readonly (readonly [string, string])[]): void {
  const w = Math.max(...rows.map(([name]) => name.length), title.length);
  console.log(`\n${title.padEnd(w)} | value`);
  console.log(`${'-'.repeat(w)}-|-${'-'.repeat(40)}`);
  for (const [name, value] of rows) console.log(`${name.padEnd(w)} | ${value}`);
}

async function main(): Promise<void> {
  const run = await runCohort({ count: COUNT, seed: SEED });
  const { measured, phases } = run;
  const drive = Object.values(phases).reduce((a, b) => a + b, 0);
  table(`cohort of ${COUNT} trajectories (seed ${SEED}), embedded engine with time skipping`, [
    ['wall time, total (s)', run.totalSeconds.toFixed(1)],
    ['  engine + worker + bundle set-up (s)', run.setupSeconds.toFixed(1)],
    ...Object.entries(phases).map(([name, s]): [string, string] => [`  ${name} (s)`, s.toFixed(1)]),
    ['wall time per trajectory (intake to outcome, all at once, ÷ N) (ms)', ((drive * 1000) / COUNT).toFixed(1)],
    ['virtual time covered (days)', String(run.virtualDays)],
    ['history events per trajectory', stats(measured.map((m) => m.events))],
    ['workflow tasks per trajectory', stats(measured.map((m) => m.workflowTasks))],
    ['trajectories with 150 events or more', String(measured.filter((m) => m.events >= MAX_EVENTS).length)],
    ['trajectories not ended', String(measured.filter((m) => m.status !== 'COMPLETED').length)],
    ['reports refused (trajectory already ended)', String(run.lateReports)],
  ]);

  const rows: [string, string][] = [];
  for (const programme of COHORT_PROGRAMMES) {
    const mine = measured.filter((m) => m.plan.programme === programme);
    rows.push([`${programme} (${mine.length})`, `events ${stats(mine.map((m) => m.events))}; tasks ${stats(mine.map((m) => m.workflowTasks))}`]);
    const counts = new Map<string, number>();
    for (const m of mine) counts.set(m.outcome, (counts.get(m.outcome) ?? 0) + 1);
    for (const [outcome, n] of [...counts].sort((a, b) => b[1] - a[1])) {
      rows.push([`  ${outcome}`, `${n} (${((100 * n) / Math.max(1, mine.length)).toFixed(1)}%)`]);
    }
    if (programme === 'kwalificatiebanen') {
      const extended = mine.filter((m) => m.extended).length;
      rows.push(['  with an extension (expected 40%)', `${extended} (${((100 * extended) / Math.max(1, mine.length)).toFixed(1)}%)`]);
    }
  }
  table('outcomes per programme', rows);
  const paths = new Map<string, number>();
  for (const m of measured) {
    const key = `${m.plan.programme} (${m.plan.path})`;
    paths.set(key, Math.max(paths.get(key) ?? 0, m.events));
  }
  table('most history events per programme path', [...paths].sort((a, b) => b[1] - a[1]).map(([path, events]): [string, string] => [path, String(events)]));
  // The assertion: the run fails (exit 1) when any trajectory reached the budget.
  const maxEvents = Math.max(0, ...measured.map((m) => m.events));
  console.log(`\nmax history events per trajectory: ${maxEvents} (budget: under ${MAX_EVENTS})`);
  const overBudget = measured.filter((m) => m.events >= MAX_EVENTS).map((m) => `${m.plan.participantRef} ${m.plan.programme} (${m.plan.path}): ${m.events}`);
  if (overBudget.length > 0) console.log(`\n${MAX_EVENTS} events or more:\n  ${overBudget.slice(0, 20).join('\n  ')}${overBudget.length > 20 ? `\n  … ${overBudget.length - 20} more` : ''}`);
  if (maxEvents >= MAX_EVENTS) throw new Error(`a trajectory took ${maxEvents} history events; the budget is under ${MAX_EVENTS}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
