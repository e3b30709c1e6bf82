/** DescribeWorkflowExecution, and the execution info that visibility lists share with it. */
import { PendingActivityState, TaskQueueKind } from '../enums';
import { duration, Pb, timestamp } from '../proto';
import { Engine } from '../state/engine';
import { Run } from '../state/run';

export function executionInfo(e: Engine, run: Run): Pb {
  return {
    execution: { workflowId: run.workflowId, runId: run.runId },
    type: { name: run.workflowType },
    startTime: timestamp(run.startTime),
    closeTime: run.isOpen ? undefined : timestamp(run.closeTime),
    status: run.status,
    historyLength: run.history.length,
    historySizeBytes: run.historyBytes,
    parentExecution: run.parent ? { workflowId: run.parent.workflowId, runId: run.parent.runId } : undefined,
    parentNamespaceId: run.parent ? e.namespaceId(run.parent.namespace) : undefined,
    executionTime: timestamp(run.executionTime),
    memo: { fields: run.memo },
    searchAttributes: { indexedFields: run.searchAttributes },
    taskQueue: run.taskQueue,
    stateTransitionCount: run.history.length,
    executionDuration: run.isOpen ? undefined : duration(Math.max(0, run.closeTime - run.executionTime)),
    rootExecution: run.root ?? { workflowId: run.workflowId, runId: run.runId },
    firstRunId: run.firstExecutionRunId,
  };
}

export function describeRun(e: Engine, run: Run): Pb {
  const pendingActivities = [...run.pendingActivities].map((a) => ({
    activityId: a.activityId,
    activityType: { name: a.activityType },
    state: a.cancelRequested
      ? PendingActivityState.CANCEL_REQUESTED
      : a.phase === 'started'
        ? PendingActivityState.STARTED
        : PendingActivityState.SCHEDULED,
    heartbeatDetails: a.heartbeatDetails ?? undefined,
    lastHeartbeatTime: a.lastHeartbeatTime ? timestamp(a.lastHeartbeatTime) : undefined,
    lastStartedTime: a.startedTime ? timestamp(a.startedTime) : undefined,
    attempt: a.attempt,
    maximumAttempts: a.retryPolicy?.maximumAttempts ?? 0,
    scheduledTime: timestamp(a.attemptScheduledTime),
    expirationTime: a.scheduleToCloseMs ? timestamp(a.scheduledTime + a.scheduleToCloseMs) : undefined,
    lastFailure: a.lastFailure ?? undefined,
    lastWorkerIdentity: a.startedIdentity || a.lastWorkerIdentity,
    // Between attempts (GetPendingActivityInfo).
    ...(a.phase === 'backoff'
      ? { nextAttemptScheduleTime: timestamp(a.attemptScheduledTime), currentRetryInterval: duration(a.retryIntervalMs ?? 0) }
      : {}),
    lastAttemptCompleteTime: a.lastAttemptCompleteTime ? timestamp(a.lastAttemptCompleteTime) : undefined,
    activityOptions: {
      taskQueue: { name: a.taskQueue, kind: TaskQueueKind.NORMAL },
      scheduleToCloseTimeout: duration(a.scheduleToCloseMs),
      scheduleToStartTimeout: duration(a.scheduleToStartMs),
      startToCloseTimeout: duration(a.startToCloseMs),
      heartbeatTimeout: duration(a.heartbeatMs),
      retryPolicy: a.retryPolicy,
    },
  }));
  const pendingChildren = [...run.pendingChildren].map((c) => ({
    workflowId: c.workflowId,
    runId: c.runId,
    workflowTypeName: c.workflowType,
    initiatedId: c.initiatedEventId,
    parentClosePolicy: c.parentClosePolicy,
  }));
  const wft = run.wft;
  return {
    executionConfig: {
      taskQueue: { name: run.taskQueue, kind: TaskQueueKind.NORMAL },
      workflowRunTimeout: run.runTimeoutMs ? duration(run.runTimeoutMs) : undefined,
      defaultWorkflowTaskTimeout: duration(run.workflowTaskTimeoutMs),
      userMetadata: run.userMetadata ?? undefined,
    },
    workflowExecutionInfo: executionInfo(e, run),
    pendingActivities,
    pendingChildren,
    pendingWorkflowTask: wft
      ? {
          state: wft.startedEventId ? 2 : 1,
          scheduledTime: timestamp(wft.scheduledTime),
          originalScheduledTime: timestamp(wft.scheduledTime),
          startedTime: wft.startedTime ? timestamp(wft.startedTime) : undefined,
          attempt: wft.attempt,
        }
      : undefined,
    workflowExtendedInfo: {
      executionExpirationTime: run.executionExpiration ? timestamp(run.executionExpiration) : undefined,
      runExpirationTime: run.runTimeoutMs ? timestamp(run.startTime + run.runTimeoutMs) : undefined,
      cancelRequested: run.cancelRequested,
      originalStartTime: timestamp(run.originalStartTime),
      lastResetTime: run.resetTime ? timestamp(run.resetTime) : undefined,
      resetRunId: run.resetRunId,
    },
  };
}
