/** Child workflows and the external signal / cancel requests a workflow makes. */
import { CancelExternalFailedCause, EventType as E, SignalExternalFailedCause, StartChildFailedCause, ReusePolicy, ConflictPolicy } from '../enums';
import { durationMs, Pb } from '../proto';
import { Engine } from './engine';
import { randomUUID } from 'node:crypto';
import { ExternalState, Run } from './run';
import { startRun } from './start';
import { scheduleWorkflowTask } from './workflow-task';
import { HISTORY_SERVICE, requestCancelRun, terminateForNewRun } from './close';
import { checkReuse } from './reuse';
import { signalRun } from './signals';

export function startChild(e: Engine, parent: Run, initiatedEventId: number, a: Pb, userMetadata: Pb): void {
  if (!parent.isOpen) return;
  const nsName = a.namespace || parent.namespace;
  const ns = e.namespaces.get(nsName);
  const fail = (cause: number) => {
    e.appendOrBuffer(parent, e.event(E.START_CHILD_WORKFLOW_EXECUTION_FAILED, 'startChildWorkflowExecutionFailedEventAttributes', {
      namespace: nsName,
      namespaceId: e.namespaceId(nsName),
      workflowId: a.workflowId,
      workflowType: a.workflowType,
      cause,
      control: a.control,
      initiatedEventId,
    }));
    scheduleWorkflowTask(e, parent);
  };
  if (!ns) return fail(StartChildFailedCause.NAMESPACE_NOT_FOUND);
  const existing = ns.current.get(a.workflowId);
  // A child starts under the reuse policy alone (TERMINATE_IF_RUNNING becomes the conflict policy
  // TERMINATE_EXISTING on the server); any other running workflow of its id fails it.
  const decision = existing ? checkReuse(existing, a.workflowIdReusePolicy || ReusePolicy.ALLOW_DUPLICATE, ConflictPolicy.FAIL) : 'start';
  if (decision !== 'start' && decision !== 'terminate-existing') return fail(StartChildFailedCause.WORKFLOW_ALREADY_EXISTS);
  const runId = randomUUID();
  if (decision === 'terminate-existing') terminateForNewRun(e, existing!, runId);
  const child = startRun(e, ns, {
    workflowId: a.workflowId,
    runId,
    requestId: `${parent.runId}:${initiatedEventId}`,
    workflowType: a.workflowType?.name ?? '',
    taskQueue: a.taskQueue?.name || parent.taskQueue,
    input: a.input,
    header: a.header,
    executionTimeoutMs: durationMs(a.workflowExecutionTimeout),
    runTimeoutMs: durationMs(a.workflowRunTimeout),
    taskTimeoutMs: durationMs(a.workflowTaskTimeout),
    retryPolicy: a.retryPolicy ?? undefined,
    cronSchedule: a.cronSchedule,
    memo: a.memo,
    searchAttributes: a.searchAttributes,
    identity: '',
    userMetadata,
    parent: { namespace: parent.namespace, workflowId: parent.workflowId, runId: parent.runId, initiatedEventId },
    root: parent.root ?? { workflowId: parent.workflowId, runId: parent.runId },
    priority: a.priority,
  });
  // The workflow the child replaced may have been the parent itself, or a run whose close
  // policy closed the parent: the child runs, and a closed parent hears nothing more
  // (recordChildExecutionStarted drops it).
  if (!parent.isOpen) return;
  e.appendOrBuffer(parent, e.event(E.CHILD_WORKFLOW_EXECUTION_STARTED, 'childWorkflowExecutionStartedEventAttributes', {
    namespace: nsName,
    namespaceId: ns.record.id,
    initiatedEventId,
    workflowExecution: { workflowId: child.workflowId, runId: child.runId },
    workflowType: a.workflowType,
    header: a.header,
  }));
  const c = parent.children.get(initiatedEventId);
  if (c) c.runId = child.runId; // known now, even while the Started event waits in the buffer
  scheduleWorkflowTask(e, parent);
}

const CHILD_CLOSE: Record<number, [number, string, (a: Pb) => Pb]> = {
  [E.WORKFLOW_EXECUTION_COMPLETED]: [E.CHILD_WORKFLOW_EXECUTION_COMPLETED, 'childWorkflowExecutionCompletedEventAttributes', (a) => ({ result: a.result })],
  [E.WORKFLOW_EXECUTION_FAILED]: [E.CHILD_WORKFLOW_EXECUTION_FAILED, 'childWorkflowExecutionFailedEventAttributes', (a) => ({ failure: a.failure, retryState: a.retryState })],
  [E.WORKFLOW_EXECUTION_CANCELED]: [E.CHILD_WORKFLOW_EXECUTION_CANCELED, 'childWorkflowExecutionCanceledEventAttributes', (a) => ({ details: a.details })],
  [E.WORKFLOW_EXECUTION_TIMED_OUT]: [E.CHILD_WORKFLOW_EXECUTION_TIMED_OUT, 'childWorkflowExecutionTimedOutEventAttributes', (a) => ({ retryState: a.retryState })],
  [E.WORKFLOW_EXECUTION_TERMINATED]: [E.CHILD_WORKFLOW_EXECUTION_TERMINATED, 'childWorkflowExecutionTerminatedEventAttributes', () => ({})],
};

/** Tells the parent that its child's last run closed. */
export function notifyParentOfClose(e: Engine, run: Run, closeEvent: Pb): void {
  if (!run.parent) return;
  const parent = openParent(e, run.parent.namespace, run.parent.runId);
  if (!parent) return;
  const child = parent.children.get(run.parent.initiatedEventId);
  // After a reset the new run may have started another child from that event id.
  if (!child || child.workflowId !== run.workflowId || child.runId !== run.firstExecutionRunId) return;
  const mapping = CHILD_CLOSE[closeEvent.eventType];
  if (!mapping) return;
  const [type, key, attrsOf] = mapping;
  const closeAttrs = closeEvent[Object.keys(closeEvent).find((k) => k.endsWith('EventAttributes'))!] ?? {};
  parent.children.delete(child.initiatedEventId);
  e.appendOrBuffer(parent, e.event(type, key, {
    namespace: run.namespace,
    namespaceId: e.namespaceId(run.namespace),
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    // The type the parent started, whatever type the child continued as (AddChildWorkflowExecution*Event).
    workflowType: { name: child.workflowType },
    initiatedEventId: child.initiatedEventId,
    startedEventId: child.startedEventId,
    ...attrsOf(closeAttrs),
  }));
  scheduleWorkflowTask(e, parent);
}

/** As many reset hops as the history service follows from a closed parent (recordchildworkflowcompleted). */
const MAX_RESET_REDIRECTS = 100;

/** The parent run, or the run a reset made of it once it is closed; undefined when none is open. */
function openParent(e: Engine, namespace: string, runId: string): Run | undefined {
  const runs = e.namespaces.get(namespace)?.runs;
  let parent = runs?.get(runId);
  for (let hops = 0; parent && !parent.isOpen && parent.resetRunId && hops < MAX_RESET_REDIRECTS; hops++) {
    parent = runs!.get(parent.resetRunId);
  }
  return parent?.isOpen ? parent : undefined;
}

/**
 * The run an external signal or cancel request names, as the history service finds it: never the
 * sender's own workflow, whatever run id it gives (transfer_queue_active_task_executor.go).
 */
function externalTarget(e: Engine, run: Run, ext: ExternalState): Run | undefined {
  if (ext.namespace === run.namespace && ext.workflowId === run.workflowId) return undefined;
  const target = e.namespaces.get(ext.namespace)?.[ext.runId ? 'runs' : 'current'].get(ext.runId || ext.workflowId);
  if (!target || target.workflowId !== ext.workflowId) return undefined;
  return target;
}

/** Whether a `childWorkflowOnly` request may reach `target` (only a child of the sender). */
function childCheck(ext: ExternalState, run: Run, target: Run): boolean {
  return !ext.childWorkflowOnly || target.parent?.runId === run.runId;
}

/**
 * Delivers a signal or cancel request the workflow initiated, then records the outcome. The
 * outcome events name the target as the command did; the target records the request in the
 * history service's name.
 */
export function initiateExternal(e: Engine, run: Run, initiatedEventId: number): void {
  const ext = run.externals.get(initiatedEventId);
  if (!ext || !run.isOpen) return;
  run.externals.delete(initiatedEventId);
  const target = externalTarget(e, run, ext);
  const named = { namespace: ext.namespace, namespaceId: e.namespaceId(ext.namespace), workflowExecution: { workflowId: ext.workflowId, runId: ext.runId }, initiatedEventId };
  const sender = { workflowId: run.workflowId, runId: run.runId };
  if (ext.signalName !== undefined) {
    if (target?.isOpen && childCheck(ext, run, target)) {
      const requestId = `${run.runId}:${initiatedEventId}`;
      signalRun(e, target, { signalName: ext.signalName, input: ext.input, header: ext.header, identity: HISTORY_SERVICE, externalWorkflowExecution: sender, requestId }, requestId);
      e.appendOrBuffer(run, e.event(E.EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, 'externalWorkflowExecutionSignaledEventAttributes', { ...named, control: ext.control }));
    } else {
      e.appendOrBuffer(run, e.event(E.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, 'signalExternalWorkflowExecutionFailedEventAttributes', {
        ...named, cause: SignalExternalFailedCause.EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND, control: ext.control,
      }));
    }
  } else if (target && (!target.isOpen || childCheck(ext, run, target))) {
    // A closed target, or one already asked, counts as cancelled (requestcancelworkflow/api.go).
    if (target.isOpen) requestCancelRun(e, target, { cause: ext.reason ?? '', identity: HISTORY_SERVICE, externalInitiatedEventId: initiatedEventId, externalWorkflowExecution: sender });
    e.appendOrBuffer(run, e.event(E.EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED, 'externalWorkflowExecutionCancelRequestedEventAttributes', named));
  } else {
    e.appendOrBuffer(run, e.event(E.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, 'requestCancelExternalWorkflowExecutionFailedEventAttributes', {
      ...named, cause: CancelExternalFailedCause.EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
    }));
  }
  scheduleWorkflowTask(e, run);
}
