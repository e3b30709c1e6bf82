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
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createNotifyActivities, MemoryNotificationSink } from '../activities/notify';
import { amsterdamDate, amsterdamInstant, getBuiltInProgramme, parseIsoDate } from '../domain';
import { bundleTrajectoryWorkflows } from '../worker/worker';
import { registerTrajectorySearchAttributes } from '../worker/search-attributes';
import { trajectory } from '../workflows';
import { trajectoryStartOptions, type TrajectoryResult } from '../workflows/api';
import { COHORT_PROGRAMMES, planCohort, type CohortPlan } from './cohort-plans';
import { ENGINE } from './engine-process';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const COUNT = Number(process.env.BENCH_TRAJECTORIES ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 20270104);
const TASK_QUEUE = 'cohort';
const CONCURRENCY = 100;
/** Issue 3, part 8: a complete trajectory stays under 150 history events. */
const MAX_EVENTS = 150;
let lateReports = 0;

/** Runs `fn` over `items`, at most `limit` at a time. */
async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

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

interface Measured {
  readonly plan: CohortPlan;
  readonly status: string;
  readonly outcome: string;
  readonly events: number;
  readonly workflowTasks: number;
  readonly extended: boolean;
}

async function main(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: ENGINE } } });
  await registerTrajectorySearchAttributes(env.connection, 'default');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await bundleTrajectoryWorkflows(),
    activities: createNotifyActivities(new MemoryNotificationSink()),
    maxCachedWorkflows: COUNT + 100,
    // Workflow tasks run on one thread: a small window keeps each task's latency low when many timers fire at once.
    maxConcurrentWorkflowTaskExecutions: 20,
    maxConcurrentActivityTaskExecutions: 200,
  });
  const year = amsterdamDate(await env.currentTimeMs()).year + 1;
  const plans = planCohort(COUNT, SEED, year);
  const setup = seconds(t0);

  const phases: Record<string, number> = {};
  const measured = await worker.runUntil(async () => {
    let t = process.hrtime.bigint();
    const handles = new Map<string, WorkflowHandle<typeof trajectory>>();
    await inBatches(plans, CONCURRENCY, async (plan) => {
      const { participantRef, startDate, region, municipality } = plan;
      const options = trajectoryStartOptions({ participantRef, startDate, region, municipality, programme: getBuiltInProgramme(plan.programme) }, TASK_QUEUE);
      handles.set(plan.participantRef, await env.client.workflow.start(trajectory, options));
    });
    phases['start 1 trajectory each (intake)'] = seconds(t);

    // Every day with reports, in order; one participant's reports of one day in their order.
    t = process.hrtime.bigint();
    const days = new Map<string, { plan: CohortPlan; reports: CohortPlan['reports'][number][] }[]>();
    for (const plan of plans) {
      for (const report of plan.reports) {
        const day = days.get(report.date) ?? [];
        let mine = day.find((d) => d.plan === plan);
        if (!mine) day.push((mine = { plan, reports: [] }));
        mine.reports.push(report);
        days.set(report.date, day);
      }
    }
    let signals = 0;
    for (const date of [...days.keys()].sort()) {
      const target = amsterdamInstant(parseIsoDate(date), { hour: 12 });
      const now = await env.currentTimeMs();
      if (target > now) await env.sleep(target - now);
      await inBatches(days.get(date)!, CONCURRENCY, async ({ plan, reports }) => {
        const handle = handles.get(plan.participantRef)!;
        for (const report of reports) {
          // A report after the trajectory ended is refused by the server (the plans avoid it; counted, not fatal).
          const sent = await handle.signal(report.signal, report.payload).then(() => true, (error: unknown) => {
            if (error instanceof WorkflowNotFoundError) return false;
            throw error;
          });
          if (sent) signals += 1;
          else lateReports += 1;
        }
      });
    }
    phases[`drive ${days.size} report days, ${signals} signals`] = seconds(t);

    // Automatic endings (aftercare, a contract year running out) need no report: let time run past them.
    t = process.hrtime.bigint();
    const last = plans.map((p) => p.endsBy).sort().at(-1)!;
    const end = amsterdamInstant(parseIsoDate(last), { hour: 12 });
    const now = await env.currentTimeMs();
    if (end > now) await env.sleep(end - now);
    phases['run on to the last automatic ending'] = seconds(t);

    t = process.hrtime.bigint();
    const out = await inBatches(plans, 50, async (plan): Promise<Measured> => {
      const handle = handles.get(plan.participantRef)!;
      const status = (await handle.describe()).status.name;
      const events = (await handle.fetchHistory()).events ?? [];
      // The result from the history: the time-skipping client's result() unlocks the clock, one call at a time.
      const completed = events.at(-1)?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
      const result = completed ? defaultPayloadConverter.fromPayload<TrajectoryResult>(completed) : undefined;
      const workflowTasks = events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
      return { plan, status, outcome: result?.outcome.id ?? status.toLowerCase(), events: events.length, workflowTasks, extended: (result?.extensionsGranted ?? 0) > 0 };
    });
    phases['read results and histories'] = seconds(t);
    return out;
  });
  const total = seconds(t0);
  const virtualDays = Math.round((await env.currentTimeMs() - amsterdamInstant({ year, month: 1, day: 1 })) / 86_400_000);
  await env.teardown();

  const drive = Object.values(phases).reduce((a, b) => a + b, 0);
  table(`cohort of ${COUNT} trajectories (seed ${SEED}), embedded engine with time skipping`, [
    ['wall time, total (s)', total.toFixed(1)],
    ['  engine + worker + bundle set-up (s)', setup.toFixed(1)],
    ...Object.entries(phases).map(([name, s]): [string, string] => [`  ${name} (s)`, s.toFixed(1)]),
    ['wall time per trajectory (intake to outcome, all at once, ÷ N) (ms)', ((drive * 1000) / COUNT).toFixed(1)],
    ['virtual time covered (days)', String(virtualDays)],
    ['history events per trajectory', stats(measured.map((m) => m.events))],
    ['workflow tasks per trajectory', stats(measured.map((m) => m.workflowTasks))],
    ['trajectories with 150 events or more', String(measured.filter((m) => m.events >= MAX_EVENTS).length)],
    ['trajectories not ended', String(measured.filter((m) => m.status !== 'COMPLETED').length)],
    ['reports refused (trajectory already ended)', String(lateReports)],
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
