/**
 * One cohort run, shared by the cohort benchmark (cohort.ts) and the
 * encryption benchmark (encryption.ts): trajectories round-robin over the five
 * programmes with seeded partner reports, from intake to outcome under time
 * skipping on the embedded engine. This process plays the partners: it lets
 * virtual time run to each day with reports (noon, Amsterdam) and sends that
 * day's signals. With `encrypted`, payloads go through the AES-256-GCM codec
 * (client and worker) and every participant's details are sealed with their
 * own data key, which the notification sink opens, as production does.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createNotifyActivities, MemoryNotificationSink } from '../activities/notify';
import { amsterdamDate, amsterdamInstant, getBuiltInProgramme, parseIsoDate } from '../domain';
import { EncryptionCodec, loadKeyring, ParticipantKeyStore, seal, trajectoryDataConverter, unseal } from '../privacy';
import { bundleTrajectoryWorkflows } from '../worker/worker';
import { registerTrajectorySearchAttributes } from '../worker/search-attributes';
import { trajectory } from '../workflows';
import { trajectoryStartOptions, type PartnerNotification, type TrajectoryResult } from '../workflows/api';
import { planCohort, type CohortPlan } from './cohort-plans';
import { ENGINE } from './engine-process';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const TASK_QUEUE = 'cohort';
const CONCURRENCY = 100;

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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

export const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

export interface Measured {
  readonly plan: CohortPlan;
  readonly status: string;
  readonly outcome: string;
  readonly events: number;
  readonly workflowTasks: number;
  readonly extended: boolean;
}

export interface CohortRun {
  readonly measured: readonly Measured[];
  /** Wall seconds per phase of the drive (intake, report days, run-out, reading results). */
  readonly phases: Readonly<Record<string, number>>;
  readonly setupSeconds: number;
  readonly totalSeconds: number;
  /** This process's CPU seconds (worker and client) during the drive. */
  readonly cpuSeconds: number;
  readonly virtualDays: number;
  readonly lateReports: number;
}

interface Privacy {
  readonly dataConverter: DataConverter;
  readonly codec: EncryptionCodec;
  readonly keys: ParticipantKeyStore;
}

function privacyForBench(): Privacy {
  const keyring = loadKeyring({ TRAJECTORY_KEYS: `k-bench=${randomBytes(32).toString('base64')}` });
  const keys = ParticipantKeyStore.open(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-participant-keys-')), keyring);
  return { dataConverter: trajectoryDataConverter(keyring), codec: new EncryptionCodec(keyring), keys };
}

/** A sink that opens what a real delivery would open: the participant's sealed details. */
class OpeningSink extends MemoryNotificationSink {
  constructor(private readonly participantKeys: ParticipantKeyStore) {
    super();
  }
  override deliver(n: PartnerNotification): void {
    if (n.personal && !unseal(this.participantKeys, n.personal).ok) throw new Error(`sealed details of ${n.workflowId} do not open`);
    super.deliver(n);
  }
}

export async function runCohort(options: { readonly count: number; readonly seed: number; readonly encrypted?: boolean }): Promise<CohortRun> {
  const { count, seed } = options;
  const t0 = process.hrtime.bigint();
  const privacy = options.encrypted ? privacyForBench() : undefined;
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: ENGINE } } });
  await registerTrajectorySearchAttributes(env.connection, 'default');
  const client = new Client({ connection: env.connection, ...(privacy ? { dataConverter: privacy.dataConverter } : {}) });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await bundleTrajectoryWorkflows(),
    activities: createNotifyActivities(privacy ? new OpeningSink(privacy.keys) : new MemoryNotificationSink()),
    maxCachedWorkflows: count + 100,
    // Workflow tasks run on one thread: a small window keeps each task's latency low when many timers fire at once.
    maxConcurrentWorkflowTaskExecutions: 20,
    maxConcurrentActivityTaskExecutions: 200,
    ...(privacy ? { dataConverter: privacy.dataConverter } : {}),
  });
  const year = amsterdamDate(await env.currentTimeMs()).year + 1;
  const plans = planCohort(count, seed, year);
  const setupSeconds = seconds(t0);
  let lateReports = 0;
  const cpu0 = process.cpuUsage();

  const phases: Record<string, number> = {};
  const measured = await worker.runUntil(async () => {
    let t = process.hrtime.bigint();
    const handles = new Map<string, WorkflowHandle<typeof trajectory>>();
    await inBatches(plans, CONCURRENCY, async (plan) => {
      const { participantRef, startDate, region, municipality } = plan;
      const personal = privacy ? { personal: seal(privacy.keys, participantRef, { name: `Deelnemer ${participantRef}`, email: `${participantRef}@voorbeeld.nl`, bsn: '111222333' }) } : {};
      const options = trajectoryStartOptions({ participantRef, startDate, region, municipality, programme: getBuiltInProgramme(plan.programme), ...personal }, TASK_QUEUE);
      handles.set(plan.participantRef, await client.workflow.start(trajectory, options));
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
      const stored = events.at(-1)?.workflowExecutionCompletedEventAttributes?.result?.payloads ?? [];
      const [completed] = privacy ? await privacy.codec.decode(stored) : stored;
      const result = completed ? defaultPayloadConverter.fromPayload<TrajectoryResult>(completed) : undefined;
      const workflowTasks = events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
      return { plan, status, outcome: result?.outcome.id ?? status.toLowerCase(), events: events.length, workflowTasks, extended: (result?.extensionsGranted ?? 0) > 0 };
    });
    phases['read results and histories'] = seconds(t);
    return out;
  });
  const cpu = process.cpuUsage(cpu0);
  const virtualDays = Math.round((await env.currentTimeMs() - amsterdamInstant({ year, month: 1, day: 1 })) / 86_400_000);
  await env.teardown();
  return { measured, phases, setupSeconds, totalSeconds: seconds(t0), cpuSeconds: (cpu.user + cpu.system) / 1e6, virtualDays, lateReports };
}
