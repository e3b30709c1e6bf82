/** Rebuilding the engine from its durable log, then resuming what was pending. */
import { decode } from '../proto';
import { Engine } from './engine';
import { Namespace, NamespaceRecord } from './namespace';
import { RecordKind, RunRecord } from './log-records';
import { Run } from './run';
import { armTimers } from './timers';
import { resumeActivities } from './activities';
import { resumeRunTimers } from './start';
import { restoreBatchRecord } from './batch';
import { dispatchWorkflowTask, scheduleWorkflowTask, timeoutWorkflowTask } from './workflow-task';

const HISTORY_EVENT = 'temporal.api.history.v1.HistoryEvent';

export function recover(e: Engine): { runs: number; events: number } {
  let events = 0;
  for (const { kind, data } of e.store.recovered) {
    switch (kind) {
      case RecordKind.NAMESPACE: {
        const rec = JSON.parse(data.toString('utf8')) as NamespaceRecord;
        const existing = e.namespaces.get(rec.name);
        if (existing) Object.assign(existing.record, rec);
        else e.addNamespace(rec, false);
        break;
      }
      case RecordKind.SEARCH_ATTRIBUTE: {
        const { n, k, t } = JSON.parse(data.toString('utf8'));
        const ns = e.namespaces.get(n);
        if (!ns) break;
        if (t) e.addSearchAttribute(ns, k, t, false);
        else ns.searchAttributes.delete(k);
        break;
      }
      case RecordKind.RUN:
        e.restoreRun(JSON.parse(data.toString('utf8')) as RunRecord);
        break;
      case RecordKind.EVENT: {
        const run = e.runsByLogId.get(data.readUInt32LE(0));
        if (!run) break;
        const bytes = data.subarray(4); // a view into the read buffer the log keeps anyway
        e.restoreEvent(run, bytes, decode(HISTORY_EVENT, bytes));
        events++;
        break;
      }
      case RecordKind.BUFFERED_EVENT: {
        const run = e.runsByLogId.get(data.readUInt32LE(0));
        run?.buffered.push(decode(HISTORY_EVENT, data.subarray(4)));
        break;
      }
      case RecordKind.BUFFER_FLUSHED: {
        const run = e.runsByLogId.get(data.readUInt32LE(0));
        if (run) run.buffered = [];
        break;
      }
      case RecordKind.RUN_DELETED: {
        const run = e.runsByLogId.get(data.readUInt32LE(0));
        if (run) e.deleteRun(run, false);
        break;
      }
      case RecordKind.REQUEST_ID:
        e.runsByLogId.get(data.readUInt32LE(0))?.signalRequestIds.add(data.toString('utf8', 4));
        break;
      case RecordKind.BATCH_JOB:
      case RecordKind.BATCH_PROGRESS:
        restoreBatchRecord(e, kind, data);
        break;
      default:
        break;
    }
  }
  let runs = 0;
  for (const ns of e.namespaces.values()) {
    // In log order, so a base reset twice points at its latest reset run.
    for (const run of ns.runs.values()) {
      const base = run.resetBaseRunId ? ns.runs.get(run.resetBaseRunId) : undefined;
      if (base) base.resetRunId = run.runId;
    }
    for (const run of ns.runs.values()) {
      runs++;
      if (run.isOpen) resume(e, ns, run);
    }
  }
  return { runs, events };
}

function resume(e: Engine, ns: Namespace, run: Run): void {
  armTimers(e, run);
  resumeActivities(e, run);
  resumeRunTimers(e, run);
  const wft = run.wft;
  if (wft && wft.startedEventId) {
    timeoutWorkflowTask(e, run); // its worker's answer was lost with the old process
  } else if (wft) {
    dispatchWorkflowTask(e, run);
  } else if (run.buffered.length) {
    e.flushBuffered(run);
    scheduleWorkflowTask(e, run);
  } else if (!run.firstTaskScheduled) {
    const at = run.startTime + run.firstWftBackoffMs;
    run.backoffTimer = e.clock.schedule(at, () => scheduleWorkflowTask(e, run));
  }
  void ns;
}
