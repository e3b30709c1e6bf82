/**
 * Shared plumbing of the conformance suite: one workflow bundle per test file, workers bound to
 * a test's own task queue, history and gRPC error helpers. Everything goes through the official
 * SDK; raw gRPC only through the SDK's own service stubs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DefaultLogger, Worker, WorkerOptions, bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { google, temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import { WORKFLOWS } from '../../helpers/engine';

export const EventType = temporal.api.enums.v1.EventType;
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const quiet = new DefaultLogger('WARN');
const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/** The workflow code of `workflowsPath` (the suite's index by default), bundled once per test file. */
export function workflowBundle(workflowsPath: string = WORKFLOWS): Promise<WorkflowBundleWithSourceMap> {
  let b = bundles.get(workflowsPath);
  if (!b) {
    b = bundleWorkflowCode({ workflowsPath, logger: quiet });
    bundles.set(workflowsPath, b);
  }
  return b;
}

/** A fresh id for a task queue or workflow: no two tests share one. */
export function uid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export type TestWorkerOptions = Omit<WorkerOptions, 'connection' | 'workflowBundle' | 'workflowsPath'> & { workflowsPath?: string };

export async function createWorker(env: TestWorkflowEnvironment, opts: TestWorkerOptions): Promise<Worker> {
  const { workflowsPath, ...rest } = opts;
  return Worker.create({
    connection: env.nativeConnection,
    workflowBundle: await workflowBundle(workflowsPath),
    ...rest,
  });
}

/** Runs `fn` while a worker polls `opts.taskQueue`; the worker shuts down afterwards. */
export async function withWorker<T>(env: TestWorkflowEnvironment, opts: TestWorkerOptions, fn: () => Promise<T>): Promise<T> {
  const worker = await createWorker(env, opts);
  return worker.runUntil(fn);
}

/**
 * Liveness guard: rejects with a clear message when `p` does not settle in `ms` (an engine that
 * hangs fails the test instead of the whole file). Never used to assert how long something took.
 */
export function settlesWithin<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  p.catch(() => undefined);
  let timer: NodeJS.Timeout;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: did not settle within ${ms} ms (engine hang?)`)), ms);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

/** Polls `probe` until `ok` holds for its value; fails with the last value seen. */
export async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown;
  for (;;) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: condition not reached; last value ${safeJson(last)}${lastErr ? `, last error ${String(lastErr)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  } catch {
    return String(v);
  }
}

export async function historyOf(env: TestWorkflowEnvironment, workflowId: string, runId?: string): Promise<HistoryEvent[]> {
  const h = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  return h.events ?? [];
}

export function typeName(e: HistoryEvent): string {
  return String(EventType[e.eventType ?? 0]).replace(/^EVENT_TYPE_/, '');
}

export function typeNames(events: HistoryEvent[]): string[] {
  return events.map(typeName);
}

export function eventsOf(events: HistoryEvent[], type: temporal.api.enums.v1.EventType): HistoryEvent[] {
  return events.filter((e) => e.eventType === type);
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Decodes a JSON payload as the SDK's default converter would. */
export function fromPayload(p: temporal.api.common.v1.IPayload | null | undefined): unknown {
  return p ? defaultPayloadConverter.fromPayload(p) : undefined;
}

export function fromPayloads(p: temporal.api.common.v1.IPayloads | null | undefined): unknown[] {
  return (p?.payloads ?? []).map((x) => defaultPayloadConverter.fromPayload(x));
}

export interface GrpcFailure {
  code: number;
  details: string;
  /** google.rpc.Status details: fully qualified type name and encoded value. */
  statusDetails: Array<{ type: string; value: Uint8Array }>;
}

/** 'ok' when a raw gRPC call succeeds, else its status code. */
export async function outcome(call: Promise<unknown>): Promise<'ok' | number> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (typeof code !== 'number') throw err;
    return code;
  }
}

/** Awaits a raw gRPC call that must fail and returns its status. */
export async function grpcFailure(call: Promise<unknown>): Promise<GrpcFailure> {
  try {
    await call;
  } catch (err) {
    const e = err as { code?: number; details?: string; message?: string; metadata?: { get(k: string): unknown[] } };
    if (typeof e.code !== 'number') throw err;
    const raw = e.metadata?.get('grpc-status-details-bin')?.[0];
    const statusDetails =
      raw && typeof raw !== 'string'
        ? (google.rpc.Status.decode(raw as Uint8Array).details ?? []).map((d) => ({
            type: String(d.type_url ?? '').replace(/^type\.googleapis\.com\//, ''),
            value: d.value ?? new Uint8Array(),
          }))
        : [];
    return { code: e.code, details: e.details ?? e.message ?? '', statusDetails };
  }
  throw new Error('expected the gRPC call to fail, but it succeeded');
}

export const NAMESPACE = 'default';

/** Resolves once the engine holds the update (a raw PollWorkflowExecutionUpdate for the ADMITTED stage). */
export function updateAdmitted(env: TestWorkflowEnvironment, workflowId: string, updateId: string) {
  const waitPolicy = { lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED };
  return waitFor(
    () => env.client.workflowService.pollWorkflowExecutionUpdate({ namespace: NAMESPACE, updateRef: { workflowExecution: { workflowId }, updateId }, waitPolicy }),
    () => true,
    'the update to be admitted',
  );
}

/**
 * The engine a test file runs against: started (and `bundles` built) before the file's tests,
 * torn down after them. Returns a stand-in that reaches the environment once it is up.
 */
export function suiteEnv(start: () => Promise<TestWorkflowEnvironment>, bundles: string[] = [WORKFLOWS]): TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    env = await start();
    await Promise.all(bundles.map((b) => workflowBundle(b)));
  }, 60_000);
  afterAll(async () => {
    await env?.teardown();
  });
  return new Proxy({} as TestWorkflowEnvironment, {
    get(_target, key) {
      if (!env) throw new Error('the test environment is used before beforeAll started it');
      const value = Reflect.get(env, key, env);
      return typeof value === 'function' ? value.bind(env) : value;
    },
  });
}

/** A scratch directory for a test file (engine log files), removed after its tests. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
