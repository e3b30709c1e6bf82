/**
 * The fold: how each history event changes a run's mutable state. The live engine and recovery
 * from the durable log both go through here, so state is always what the history says.
 */
import { EventType as E, WftFailedCause, WorkflowStatus } from '../enums';
import { durationMs, num, Pb, timestampMs } from '../proto';
import { Run } from './run';
import { retryDefaults } from './retry';

const CLOSE_STATUS: Record<number, number> = {
  [E.WORKFLOW_EXECUTION_COMPLETED]: WorkflowStatus.COMPLETED,
  [E.WORKFLOW_EXECUTION_FAILED]: WorkflowStatus.FAILED,
  [E.WORKFLOW_EXECUTION_CANCELED]: WorkflowStatus.CANCELED,
  [E.WORKFLOW_EXECUTION_TERMINATED]: WorkflowStatus.TERMINATED,
  [E.WORKFLOW_EXECUTION_CONTINUED_AS_NEW]: WorkflowStatus.CONTINUED_AS_NEW,
  [E.WORKFLOW_EXECUTION_TIMED_OUT]: WorkflowStatus.TIMED_OUT,
};

export function isCloseEvent(eventType: number): boolean {
  return eventType in CLOSE_STATUS;
}

export function applyEvent(run: Run, ev: Pb): void {
  const t = timestampMs(ev.eventTime) ?? 0;
  const id = num(ev.eventId);
  switch (ev.eventType) {
    case E.WORKFLOW_EXECUTION_STARTED: {
      const a = ev.workflowExecutionStartedEventAttributes;
      run.workflowType = a.workflowType?.name ?? '';
      run.taskQueue = a.taskQueue?.name ?? '';
      run.startTime = run.originalStartTime = t;
      run.firstWftBackoffMs = durationMs(a.firstWorkflowTaskBackoff);
      run.executionTime = t + run.firstWftBackoffMs;
      run.workflowTaskTimeoutMs = durationMs(a.workflowTaskTimeout) || 10_000;
      run.runTimeoutMs = durationMs(a.workflowRunTimeout);
      run.executionExpiration = timestampMs(a.workflowExecutionExpirationTime) ?? 0;
      run.executionTimeoutMs = durationMs(a.workflowExecutionTimeout);
      run.firstExecutionRunId = a.firstExecutionRunId || run.runId;
      run.attempt = a.attempt || 1;
      run.retryPolicy = a.retryPolicy ?? null;
      run.cronSchedule = a.cronSchedule ?? '';
      if (a.parentWorkflowExecution?.workflowId) {
        run.parent = {
          namespace: a.parentWorkflowNamespace,
          workflowId: a.parentWorkflowExecution.workflowId,
          runId: a.parentWorkflowExecution.runId,
          initiatedEventId: num(a.parentInitiatedEventId),
        };
      }
      if (a.rootWorkflowExecution?.workflowId) {
        run.root = { workflowId: a.rootWorkflowExecution.workflowId, runId: a.rootWorkflowExecution.runId };
      }
      run.memo = { ...(a.memo?.fields ?? {}) };
      run.searchAttributes = { ...(a.searchAttributes?.indexedFields ?? {}) };
      run.userMetadata = ev.userMetadata ?? null;
      break;
    }
    case E.WORKFLOW_TASK_SCHEDULED: {
      const a = ev.workflowTaskScheduledEventAttributes;
      run.firstTaskScheduled = true;
      run.wft = {
        scheduledEventId: id,
        startedEventId: 0,
        attempt: a.attempt || 1,
        taskQueue: a.taskQueue?.name ?? run.taskQueue,
        sticky: a.taskQueue?.kind === 2,
        scheduledTime: t,
        startedTime: 0,
        dispatch: 0,
      };
      break;
    }
    case E.WORKFLOW_TASK_STARTED:
      if (run.wft) {
        run.wft.startedEventId = id;
        run.wft.startedTime = t;
      }
      break;
    case E.WORKFLOW_TASK_COMPLETED:
      run.previousStartedEventId = num(ev.workflowTaskCompletedEventAttributes.startedEventId);
      run.lastCompletedWftEventId = id;
      run.wft = null;
      run.nextWftAttempt = 1;
      break;
    case E.WORKFLOW_TASK_FAILED:
      // A reset fails the task at its point without counting an attempt; the new run starts then,
      // with its timeouts counted afresh and its pending activities scheduled anew
      // (workflow_task_state_machine.go, RefreshExpirationTimeoutTask, failInflightActivity).
      if (ev.workflowTaskFailedEventAttributes?.cause === WftFailedCause.RESET_WORKFLOW) {
        run.nextWftAttempt = 1;
        run.wft = null;
        run.resetTime = run.startTime = run.executionTime = t;
        run.resetBaseRunId = ev.workflowTaskFailedEventAttributes.baseRunId ?? '';
        run.firstWftBackoffMs = 0;
        if (run.executionTimeoutMs > 0) run.executionExpiration = t + run.executionTimeoutMs;
        for (const act of run.pendingActivities) act.scheduledTime = act.attemptScheduledTime = t;
        break;
      }
    // falls through
    case E.WORKFLOW_TASK_TIMED_OUT:
      run.nextWftAttempt = (run.wft?.attempt ?? 0) + 1;
      run.wft = null;
      break;
    case E.ACTIVITY_TASK_SCHEDULED: {
      const a = ev.activityTaskScheduledEventAttributes;
      run.activities.set(id, {
        scheduledEventId: id,
        activityId: a.activityId,
        activityType: a.activityType?.name ?? '',
        taskQueue: a.taskQueue?.name ?? run.taskQueue,
        input: a.input ?? null,
        header: a.header ?? null,
        scheduleToCloseMs: durationMs(a.scheduleToCloseTimeout),
        scheduleToStartMs: durationMs(a.scheduleToStartTimeout),
        startToCloseMs: durationMs(a.startToCloseTimeout),
        heartbeatMs: durationMs(a.heartbeatTimeout),
        retryPolicy: retryDefaults(a.retryPolicy),
        scheduledTime: t,
        attempt: 1,
        attemptScheduledTime: t,
        phase: 'scheduled',
        startedTime: 0,
        startedIdentity: '',
        startedRequestId: '',
        lastHeartbeatTime: 0,
        heartbeatDetails: null,
        lastFailure: null,
        lastWorkerIdentity: '',
        cancelRequested: false,
        timers: [],
      });
      break;
    }
    case E.ACTIVITY_TASK_CANCEL_REQUESTED: {
      const act = run.activities.get(num(ev.activityTaskCancelRequestedEventAttributes.scheduledEventId));
      if (act) {
        act.cancelRequested = true;
        act.cancelRequestedEventId = id;
      }
      break;
    }
    case E.ACTIVITY_TASK_COMPLETED:
      run.activities.delete(num(ev.activityTaskCompletedEventAttributes.scheduledEventId));
      break;
    case E.ACTIVITY_TASK_FAILED:
      run.activities.delete(num(ev.activityTaskFailedEventAttributes.scheduledEventId));
      break;
    case E.ACTIVITY_TASK_TIMED_OUT:
      run.activities.delete(num(ev.activityTaskTimedOutEventAttributes.scheduledEventId));
      break;
    case E.ACTIVITY_TASK_CANCELED:
      run.activities.delete(num(ev.activityTaskCanceledEventAttributes.scheduledEventId));
      break;
    case E.TIMER_STARTED: {
      const a = ev.timerStartedEventAttributes;
      run.timers.set(a.timerId, { timerId: a.timerId, startedEventId: id, fireTime: t + durationMs(a.startToFireTimeout) });
      break;
    }
    case E.TIMER_FIRED:
      run.timers.delete(ev.timerFiredEventAttributes.timerId);
      break;
    case E.TIMER_CANCELED:
      run.timers.delete(ev.timerCanceledEventAttributes.timerId);
      break;
    case E.WORKFLOW_EXECUTION_SIGNALED:
      break;
    case E.WORKFLOW_EXECUTION_CANCEL_REQUESTED:
      run.cancelRequested = true;
      break;
    case E.UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      mergeFields(run.searchAttributes, ev.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields);
      break;
    case E.WORKFLOW_PROPERTIES_MODIFIED:
      mergeFields(run.memo, ev.workflowPropertiesModifiedEventAttributes.upsertedMemo?.fields);
      break;
    case E.START_CHILD_WORKFLOW_EXECUTION_INITIATED: {
      const a = ev.startChildWorkflowExecutionInitiatedEventAttributes;
      run.children.set(id, {
        initiatedEventId: id,
        namespace: a.namespace || run.namespace,
        workflowId: a.workflowId,
        workflowType: a.workflowType?.name ?? '',
        runId: '',
        startedEventId: 0,
        parentClosePolicy: a.parentClosePolicy || 1,
      });
      break;
    }
    case E.CHILD_WORKFLOW_EXECUTION_STARTED: {
      const a = ev.childWorkflowExecutionStartedEventAttributes;
      const c = run.children.get(num(a.initiatedEventId));
      if (c) {
        c.runId = a.workflowExecution?.runId ?? '';
        c.startedEventId = id;
      }
      break;
    }
    case E.START_CHILD_WORKFLOW_EXECUTION_FAILED:
      run.children.delete(num(ev.startChildWorkflowExecutionFailedEventAttributes.initiatedEventId));
      break;
    case E.CHILD_WORKFLOW_EXECUTION_COMPLETED:
    case E.CHILD_WORKFLOW_EXECUTION_FAILED:
    case E.CHILD_WORKFLOW_EXECUTION_CANCELED:
    case E.CHILD_WORKFLOW_EXECUTION_TIMED_OUT:
    case E.CHILD_WORKFLOW_EXECUTION_TERMINATED: {
      const a = firstAttributes(ev);
      run.children.delete(num(a.initiatedEventId));
      break;
    }
    case E.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: {
      const a = ev.signalExternalWorkflowExecutionInitiatedEventAttributes;
      run.externals.set(id, {
        initiatedEventId: id,
        namespace: a.namespace || run.namespace,
        workflowId: a.workflowExecution?.workflowId ?? '',
        runId: a.workflowExecution?.runId ?? '',
        control: a.control ?? '',
        signalName: a.signalName,
        input: a.input,
        header: a.header,
        childWorkflowOnly: !!a.childWorkflowOnly,
      });
      break;
    }
    case E.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: {
      const a = ev.requestCancelExternalWorkflowExecutionInitiatedEventAttributes;
      run.externals.set(id, {
        initiatedEventId: id,
        namespace: a.namespace || run.namespace,
        workflowId: a.workflowExecution?.workflowId ?? '',
        runId: a.workflowExecution?.runId ?? '',
        control: a.control ?? '',
        reason: a.reason ?? '',
        childWorkflowOnly: !!a.childWorkflowOnly,
      });
      break;
    }
    case E.EXTERNAL_WORKFLOW_EXECUTION_SIGNALED:
    case E.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
    case E.EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
    case E.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
      run.externals.delete(num(firstAttributes(ev).initiatedEventId));
      break;
    case E.WORKFLOW_EXECUTION_UPDATE_ADMITTED: {
      // Durably admitted: the worker reads the request from this event, no message carries it.
      const updateId = ev.workflowExecutionUpdateAdmittedEventAttributes.request?.meta?.updateId ?? '';
      run.updates.set(updateId, { updateId, request: null, stage: 'sent', acceptedEventId: 0, admittedEventId: id, waiters: [] });
      break;
    }
    case E.WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
      const a = ev.workflowExecutionUpdateAcceptedEventAttributes;
      const updateId = a.protocolInstanceId;
      const u = run.updates.get(updateId);
      if (u) {
        u.stage = 'accepted';
        u.acceptedEventId = id;
      } else {
        run.updates.set(updateId, { updateId, request: a.acceptedRequest, stage: 'accepted', acceptedEventId: id, waiters: [] });
      }
      break;
    }
    case E.WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
      const a = ev.workflowExecutionUpdateCompletedEventAttributes;
      const updateId = a.meta?.updateId;
      let u = run.updates.get(updateId);
      if (!u) {
        u = { updateId, request: null, stage: 'completed', acceptedEventId: num(a.acceptedEventId), waiters: [] };
        run.updates.set(updateId, u);
      }
      u.stage = 'completed';
      u.outcome = a.outcome;
      break;
    }
    case E.WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
      run.newExecutionRunId = ev.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId;
      break;
    default:
      break;
  }
  const closeStatus = CLOSE_STATUS[ev.eventType];
  if (closeStatus) {
    run.status = closeStatus;
    run.closeTime = t;
    run.wft = null;
    abortAcceptedUpdates(run);
    // A retry or cron run follows (continue-as-new names its run above).
    if (ev.eventType === E.WORKFLOW_EXECUTION_FAILED || ev.eventType === E.WORKFLOW_EXECUTION_TIMED_OUT || ev.eventType === E.WORKFLOW_EXECUTION_COMPLETED) {
      const a = ev.workflowExecutionFailedEventAttributes ?? ev.workflowExecutionTimedOutEventAttributes ?? ev.workflowExecutionCompletedEventAttributes;
      run.newExecutionRunId = a?.newExecutionRunId ?? '';
    }
  }
}

function mergeFields(target: Record<string, Pb>, fields: Record<string, Pb> | undefined): void {
  if (!fields) return;
  for (const [k, v] of Object.entries(fields)) {
    const data = v?.data;
    // An empty payload (or JSON null) removes the attribute, as the server does.
    if (!data || data.length === 0 || (data.length === 4 && Buffer.from(data).toString() === 'null')) delete target[k];
    else target[k] = v;
  }
}

/** The attributes of an event, whatever its type. */
export function firstAttributes(ev: Pb): Pb {
  for (const k of Object.keys(ev)) {
    if (k.endsWith('EventAttributes') && ev[k]) return ev[k];
  }
  return {};
}

/**
 * An accepted update the run closes before completing gets the server's failure outcome
 * (update/abort_reason.go): a client that saw it accepted expects a result, not an error.
 */
function abortAcceptedUpdates(run: Run): void {
  for (const u of run.pendingUpdates) {
    if (u.stage !== 'accepted') continue;
    u.stage = 'completed';
    u.outcome = { failure: ACCEPTED_UPDATE_COMPLETED_WORKFLOW };
    u.closedOver = true;
  }
}

const ACCEPTED_UPDATE_COMPLETED_WORKFLOW = {
  message: 'Workflow Update failed because the Workflow completed before the Update completed.',
  source: 'Server',
  applicationFailureInfo: { type: 'AcceptedUpdateCompletedWorkflow', nonRetryable: true },
};
