/**
 * The engine's core: namespaces and runs, and the one way history is written (append, with
 * buffering while a workflow task is started), made durable through the log store.
 */
import { Clock } from '../clock/clock';
import type { LogStore } from '../store';
import { num, Pb, timestamp } from '../proto';
import { namespaceNotFound, workflowNotFound } from '../errors';
import { Namespace, NamespaceRecord, SearchAttributeType } from './namespace';
import { Run } from './run';
import { applyEvent } from './apply';
import { json, RecordKind, runEventRecord, RunRecord } from './log-records';
import { HistoryArena } from '../history/arena';
import { encodeHistoryEvent } from '../history/encode-event';
import { DEFAULT_FEATURES, DEFAULT_LIMITS, Features, Limits } from '../limits';

export interface EngineOptions {
  clock: Clock;
  store: LogStore;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
  /** Payload size limits (default: Temporal's). */
  limits?: Partial<Limits>;
  /** Dynamic config switches (default: DEFAULT_FEATURES). */
  features?: Partial<Features>;
}

export class Engine {
  readonly clock: Clock;
  readonly store: LogStore;
  readonly namespaces = new Map<string, Namespace>();
  readonly log: NonNullable<EngineOptions['log']>;
  readonly limits: Limits;
  readonly features: Features;
  private taskId = 1;
  private lastRunLogId = 0;
  readonly runsByLogId = new Map<number, Run>();
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly arena = new HistoryArena();
  /** Hooks the state machines register so that a closing run can reach its parent, children... */
  readonly hooks: {
    onClose: Array<(run: Run, closeEvent: Pb) => void>;
  } = { onClose: [] };

  constructor(opts: EngineOptions) {
    this.clock = opts.clock;
    this.store = opts.store;
    this.log = opts.log ?? (() => undefined);
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.features = { ...DEFAULT_FEATURES, ...opts.features };
  }

  now(): number {
    return this.clock.now();
  }

  /** Resolves once everything written so far is durable. RPCs that change state await it. */
  sync(): Promise<void> {
    return this.lastWrite;
  }

  persist(kind: number, data: Buffer): void {
    const p = this.store.append(kind, data);
    if (p === this.lastWrite) return; // the same group commit as the previous record
    this.lastWrite = p;
    p.catch((err) => this.log('error', `durable write failed: ${String(err)}`));
  }

  ns(name: string): Namespace {
    const ns = this.namespaces.get(name);
    if (!ns) throw namespaceNotFound(name);
    return ns;
  }

  /** A namespace's id by its name ('' for one the engine does not have). */
  namespaceId(name: string): string {
    return this.namespaces.get(name)?.record.id ?? '';
  }

  addNamespace(record: NamespaceRecord, persist = true): Namespace {
    const ns = new Namespace(record, () => this.now());
    this.namespaces.set(record.name, ns);
    if (persist) this.persist(RecordKind.NAMESPACE, json(record));
    return ns;
  }

  addSearchAttribute(ns: Namespace, name: string, type: SearchAttributeType, persist = true): void {
    ns.searchAttributes.set(name, type);
    if (persist) this.persist(RecordKind.SEARCH_ATTRIBUTE, json({ n: ns.name, k: name, t: type }));
  }

  removeSearchAttribute(ns: Namespace, name: string): void {
    ns.searchAttributes.delete(name);
    this.persist(RecordKind.SEARCH_ATTRIBUTE, json({ n: ns.name, k: name, t: null }));
  }

  /** Finds a run: the given run id, or the workflow's latest run. */
  findRun(nsName: string, workflowId: string, runId?: string): Run {
    const ns = this.ns(nsName);
    const run = runId ? ns.runs.get(runId) : ns.current.get(workflowId);
    if (!run || run.workflowId !== workflowId) throw workflowNotFound(workflowId, runId);
    return run;
  }

  createRun(ns: Namespace, workflowId: string, runId: string, requestId: string, persist = true): Run {
    const run = new Run(ns.name, workflowId, runId);
    this.register(ns, run, requestId, persist);
    return run;
  }

  /** Registers a run whose history was built apart (a reset's copy): it and its events go to the log. */
  adoptRun(ns: Namespace, run: Run, requestId: string): void {
    this.register(ns, run, requestId, true);
    for (const bytes of run.history) this.persist(RecordKind.EVENT, runEventRecord(run.logId, bytes));
  }

  /** Makes `run` the workflow id's current run under a new log id. */
  private register(ns: Namespace, run: Run, requestId: string, persist: boolean): void {
    run.requestId = requestId;
    run.logId = ++this.lastRunLogId;
    ns.runs.set(run.runId, run);
    ns.current.set(run.workflowId, run);
    this.runsByLogId.set(run.logId, run);
    if (persist) {
      const rec: RunRecord = { l: run.logId, n: ns.name, w: run.workflowId, r: run.runId, q: requestId };
      this.persist(RecordKind.RUN, json(rec));
    }
  }

  /**
   * Deletes a closed run (DeleteWorkflowExecution): it leaves every lookup, and so visibility, at
   * once, and a tombstone in the log keeps it gone after a restart. Its workflow id is left without
   * a current run unless a later run of it holds that place.
   */
  deleteRun(run: Run, persist = true): void {
    const ns = this.ns(run.namespace);
    ns.runs.delete(run.runId);
    if (ns.current.get(run.workflowId) === run) ns.current.delete(run.workflowId);
    this.runsByLogId.delete(run.logId);
    if (persist) this.persist(RecordKind.RUN_DELETED, runEventRecord(run.logId, Buffer.alloc(0)));
  }

  /**
   * Remembers the request id of a signal written to `run`, in the log too (after the event, so
   * the id is never kept without its signal): a client that retries the call after a restart is
   * answered without a second signal.
   */
  rememberSignalRequestId(run: Run, requestId: string): void {
    run.signalRequestIds.add(requestId);
    this.persist(RecordKind.REQUEST_ID, runEventRecord(run.logId, Buffer.from(requestId)));
  }

  /** Restores a run found in the log (recovery), keeping its log id. */
  restoreRun(rec: RunRecord): Run {
    const ns = this.ns(rec.n);
    const run = new Run(rec.n, rec.w, rec.r);
    run.requestId = rec.q;
    run.logId = rec.l;
    this.lastRunLogId = Math.max(this.lastRunLogId, rec.l);
    ns.runs.set(rec.r, run);
    ns.current.set(rec.w, run);
    this.runsByLogId.set(rec.l, run);
    return run;
  }

  /** A new event object for `run` (not yet written). */
  event(type: number, attrsKey: string, attrs: Pb, extra?: Pb): Pb {
    return { eventTime: timestamp(this.now()), eventType: type, taskId: this.taskId++, [attrsKey]: attrs, ...extra };
  }

  /** Writes an event to the run's history now and applies it to the run's state. */
  append(run: Run, ev: Pb): Pb {
    ev.eventId = run.nextEventId;
    resolveStartedLink(ev);
    const bytes = this.arena.store(encodeHistoryEvent(ev));
    run.history.push(bytes);
    run.historyBytes += bytes.length;
    applyEvent(run, ev);
    this.persist(RecordKind.EVENT, runEventRecord(run.logId, bytes));
    run.notify();
    return ev;
  }

  /**
   * Writes an event that arrives from outside the workflow (signal, activity result, timer...):
   * while a workflow task is started it is held and written after that task completes.
   */
  appendOrBuffer(run: Run, ev: Pb): void {
    if (run.wft && run.wft.startedEventId > 0) {
      run.buffered.push(ev);
      this.persist(RecordKind.BUFFERED_EVENT, runEventRecord(run.logId, encodeHistoryEvent(ev)));
    } else {
      this.append(run, ev);
    }
  }

  /** Persists the buffer anew after an event was taken out of it (a canceled timer's TimerFired). */
  rewriteBuffer(run: Run): void {
    this.persist(RecordKind.BUFFER_FLUSHED, runEventRecord(run.logId, Buffer.alloc(0)));
    for (const ev of run.buffered) this.persist(RecordKind.BUFFERED_EVENT, runEventRecord(run.logId, encodeHistoryEvent(ev)));
  }

  flushBuffered(run: Run): void {
    if (!run.buffered.length) return;
    const evs = run.buffered;
    run.buffered = [];
    this.persist(RecordKind.BUFFER_FLUSHED, runEventRecord(run.logId, Buffer.alloc(0)));
    for (const ev of evs) {
      ev.eventTime = ev.eventTime ?? timestamp(this.now());
      this.append(run, ev);
    }
  }

  /** Restores an event read back from the log. */
  restoreEvent(run: Run, bytes: Buffer, ev: Pb): void {
    run.history.push(bytes);
    run.historyBytes += bytes.length;
    applyEvent(run, ev);
    this.taskId = Math.max(this.taskId, num(ev.taskId) + 1);
  }
}

/** A close event written as -1 names the Started event just before it (known only once written). */
function resolveStartedLink(ev: Pb): void {
  for (const k in ev) {
    if (k.endsWith('EventAttributes') && ev[k] && ev[k].startedEventId === -1) ev[k].startedEventId = ev.eventId - 1;
  }
}
