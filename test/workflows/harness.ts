/** Shared set-up for trajectory tests: the engine with time skipping, the search attributes, a worker, a notification sink. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { MemoryNotificationSink } from '../../activities/notify';
import { amsterdamDate, amsterdamInstant, getBuiltInProgramme, parseIsoDate, type CalendarDate } from '../../domain';
import { bundleTrajectoryWorkflows, createTrajectoryWorker } from '../../worker/worker';
import { registerTrajectorySearchAttributes } from '../../worker/search-attributes';
import { trajectory } from '../../workflows';
import { phaseQuery, trajectoryStartOptions, type TrajectoryInput } from '../../workflows/api';
import { timeSkippingEnv } from '../helpers/engine';

export interface Harness {
  readonly env: TestWorkflowEnvironment;
  readonly sink: MemoryNotificationSink;
  readonly taskQueue: string;
  readonly workflowBundle: WorkflowBundle;
}

let bundle: Promise<WorkflowBundle> | undefined;

export async function startHarness(taskQueue: string): Promise<Harness> {
  bundle ??= bundleTrajectoryWorkflows();
  const env = await timeSkippingEnv();
  await registerTrajectorySearchAttributes(env.connection, 'default');
  return { env, sink: new MemoryNotificationSink(), taskQueue, workflowBundle: await bundle };
}

/** Runs `fn` with a trajectory worker polling (a worker runs once, so each call makes a new one). */
export async function withWorker<T>(h: Harness, fn: () => Promise<T>): Promise<T> {
  const worker: Worker = await createTrajectoryWorker({
    connection: h.env.nativeConnection,
    sink: h.sink,
    taskQueue: h.taskQueue,
    workflowBundle: h.workflowBundle,
  });
  return worker.runUntil(fn);
}

export type TrajectoryHandle = WorkflowHandle<typeof trajectory>;

export interface StartArgs extends Omit<TrajectoryInput, 'programme'> {
  readonly programme: string | TrajectoryInput['programme'];
}

export async function startTrajectory(h: Harness, args: StartArgs): Promise<TrajectoryHandle> {
  const programme = typeof args.programme === 'string' ? getBuiltInProgramme(args.programme) : args.programme;
  const options = trajectoryStartOptions({ ...args, programme }, h.taskQueue);
  return h.env.client.workflow.start(trajectory, { ...options, args: options.args });
}

/** Lets virtual time run until `instant` (the workflow's timers fire on the way). */
export async function skipTo(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

/** Lets virtual time run until a time of day (default noon) on a date in Amsterdam. */
export function skipToDate(env: TestWorkflowEnvironment, date: string | CalendarDate, hour = 12): Promise<void> {
  const day = typeof date === 'string' ? parseIsoDate(date) : date;
  return skipTo(env, amsterdamInstant(day, { hour }));
}

/** The year after the engine's current year, so trajectories start in the (virtual) future. */
export async function nextYear(env: TestWorkflowEnvironment): Promise<number> {
  return amsterdamDate(await env.currentTimeMs()).year + 1;
}

/** Which roles heard of which event, in event order: `["placement: case-manager,municipality", …]`. */
export function heard(h: Harness, workflowId: string): string[] {
  return h.sink.forWorkflow(workflowId).map((n) => `${n.event}: ${[...n.roles].sort().join(',')}`);
}

/** The trajectory's search attributes as the server holds them: `{ TrajectoryPhase: 'nazorg', … }`. */
export async function searchAttributes(handle: TrajectoryHandle): Promise<Record<string, unknown>> {
  // A query rides on the next workflow task, so signals sent before it have been applied.
  await handle.query(phaseQuery);
  const description = await handle.describe();
  const values: Record<string, unknown> = {};
  for (const pair of description.typedSearchAttributes.getAll()) values[pair.key.name] = pair.value;
  return values;
}

/** The Web UI's "current details" line, read as the UI reads it. */
export async function currentDetailsOf(handle: TrajectoryHandle): Promise<string> {
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

/** Summaries of the timers the workflow started, in order. */
export async function timerSummaries(handle: TrajectoryHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  const converter = (await import('@temporalio/common')).defaultPayloadConverter;
  return (history.events ?? [])
    .filter((e) => e.timerStartedEventAttributes)
    .map((e) => (e.userMetadata?.summary ? String(converter.fromPayload(e.userMetadata.summary)) : ''));
}

export async function historyLength(handle: TrajectoryHandle): Promise<number> {
  return (await handle.fetchHistory()).events?.length ?? 0;
}

/** Replays a finished trajectory's history against the current workflow code: it must be deterministic. */
export async function replay(h: Harness, handle: TrajectoryHandle): Promise<void> {
  const { Worker: ReplayWorker } = await import('@temporalio/worker');
  await ReplayWorker.runReplayHistory({ workflowBundle: h.workflowBundle }, await handle.fetchHistory(), handle.workflowId);
}
