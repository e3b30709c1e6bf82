/** The commands a workflow task completion carries, each turned into its history events. */
import { CommandType as C, EventType as E, ParentClosePolicy, ReusePolicy, TaskQueueKind, WftFailedCause } from '../enums';
import { duration, durationMs, num, Pb } from '../proto';
import { MAX_ID_LENGTH } from '../limits';
import { Engine } from './engine';
import { ActivityState, Run } from './run';
import { retryDefaults, TIMEOUT_TYPE_NAMES, TIMEOUT_TYPE_PREFIX } from './retry';
import { firstAttributes } from './apply';
import { cronScheduleProblem } from './cron';
import { dispatchActivity, requestCancelActivity } from './activities';
import { closeRun, completeWorkflow, continueAsNew, failOrRetryWorkflow } from './close';
import { initiateExternal, startChild } from './children';
import { normalizeTaskTimeout } from './start';
import { validateSearchAttributes } from './search-attributes';
import { fireTimer } from './timers';
import { applyProtocolMessageCommand } from './updates';

export interface CommandContext {
  completedEventId: number;
  identity: string;
  messages: Pb[];
  /** An activity not yet started was cancelled: the completion leads to a new task (as on the server). */
  activityCancelledBeforeStart?: boolean;
  /** The messages PROTOCOL_MESSAGE commands placed (the rest are taken after all commands). */
  takenMessages?: Set<Pb>;
  /** Work done once every command of the completion is written (starting children, signalling...). */
  after: Array<() => void>;
  /** Activities whose first attempt is to be started for the completing worker (eager execution). */
  eager?: ActivityState[];
}

export const closingCommandTypes = new Set<number>([
  C.COMPLETE_WORKFLOW_EXECUTION,
  C.FAIL_WORKFLOW_EXECUTION,
  C.CANCEL_WORKFLOW_EXECUTION,
  C.CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
]);

const ms = (v: number) => duration(Math.max(0, v));

/** What validation remembers across the commands of one completion. */
export interface CommandBatch {
  /** Workflow ids of the children started so far (a cancel of one in the same task is refused). */
  childIds: Set<string>;
  /** Activity ids scheduled so far. */
  activityIds: Set<string>;
  /** Scheduled event ids of the activities asked to cancel so far. */
  cancelledActivities: Set<number>;
}

/** An empty batch, before the first command of a completion. */
export function newCommandBatch(): CommandBatch {
  return { childIds: new Set(), activityIds: new Set(), cancelledActivities: new Set() };
}

const TIMEOUT_FIELDS = [
  ['scheduleToCloseTimeout', 'ScheduleToCloseTimeout'],
  ['scheduleToStartTimeout', 'ScheduleToStartTimeout'],
  ['startToCloseTimeout', 'StartToCloseTimeout'],
  ['heartbeatTimeout', 'HeartbeatTimeout'],
] as const;

const negative = (d: Pb | undefined) => !!d && (num(d.seconds) < 0 || (d.nanos ?? 0) < 0);

const ACTIVITY_CLOSE_EVENTS = new Set<number>([E.ACTIVITY_TASK_COMPLETED, E.ACTIVITY_TASK_FAILED, E.ACTIVITY_TASK_TIMED_OUT, E.ACTIVITY_TASK_CANCELED]);

/** What is wrong with a retry policy once its defaults are in (common/retrypolicy Validate), if anything. */
export function retryPolicyProblem(p: Pb | undefined): string | undefined {
  if (!p || p.maximumAttempts === 1) return undefined;
  if (negative(p.initialInterval)) return 'invalid InitialInterval set on retry policy: negative duration';
  if ((p.backoffCoefficient || 2) < 1) return 'BackoffCoefficient cannot be less than 1 on retry policy.';
  if (negative(p.maximumInterval)) return 'invalid MaximumInterval set on retry policy: negative duration';
  const max = durationMs(p.maximumInterval);
  if (max > 0 && max < (durationMs(p.initialInterval) || 1000)) return 'MaximumInterval cannot be less than InitialInterval on retry policy.';
  if ((p.maximumAttempts ?? 0) < 0) return 'MaximumAttempts cannot be negative on retry policy.';
  for (const type of p.nonRetryableErrorTypes ?? []) {
    if (!String(type).startsWith(TIMEOUT_TYPE_PREFIX)) continue;
    const name = String(type).slice(TIMEOUT_TYPE_PREFIX.length);
    if (!TIMEOUT_TYPE_NAMES.has(name)) return `Invalid timeout type value: ${name}.`;
  }
  return undefined;
}

export function validateCommand(e: Engine, run: Run, cmd: Pb, batch: CommandBatch): { cause: number; message: string } | undefined {
  switch (cmd.commandType) {
    case C.SCHEDULE_ACTIVITY_TASK: {
      const a = cmd.scheduleActivityTaskCommandAttributes ?? {};
      const bad = (message: string) => ({ cause: WftFailedCause.BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, message });
      if (!a.activityId) return bad('ActivityId is not set on ScheduleActivityTaskCommand.');
      if (!a.activityType?.name) return bad('ActivityType is not set on ScheduleActivityTaskCommand.');
      for (const [field, name] of TIMEOUT_FIELDS) if (negative(a[field])) return bad(`invalid ${name}: negative duration`);
      if (durationMs(a.startToCloseTimeout) <= 0 && durationMs(a.scheduleToCloseTimeout) <= 0) {
        return bad('A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand.');
      }
      const policyProblem = retryPolicyProblem(a.retryPolicy);
      if (policyProblem) return bad(policyProblem);
      // One pending activity per id (AddActivityTaskScheduledEvent).
      if (batch.activityIds.has(a.activityId) || hasPendingActivity(run, a.activityId)) {
        return { cause: WftFailedCause.SCHEDULE_ACTIVITY_DUPLICATE_ID, message: `invalid history builder state for action: add-activitytask-scheduled-event, ActivityID: ${a.activityId}` };
      }
      batch.activityIds.add(a.activityId);
      return undefined;
    }
    case C.REQUEST_CANCEL_ACTIVITY_TASK: {
      // An activity pending and not yet asked, or one whose close waits in the buffer
      // (AddActivityTaskCancelRequestedEvent); anything else is the caller's error.
      const id = num(cmd.requestCancelActivityTaskCommandAttributes?.scheduledEventId);
      const act = run.activities.get(id);
      const closing = !act && run.buffered.some((ev) => ACTIVITY_CLOSE_EVENTS.has(ev.eventType) && num(firstAttributes(ev).scheduledEventId) === id);
      if ((act && !act.cancelRequested && !batch.cancelledActivities.has(id)) || (closing && !batch.cancelledActivities.has(id))) {
        batch.cancelledActivities.add(id);
        return undefined;
      }
      return { cause: WftFailedCause.BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES, message: `invalid history builder state for action: add-activitytask-cancel-requested-event, ScheduledEventID: ${id}` };
    }
    case C.START_TIMER: {
      const a = cmd.startTimerCommandAttributes ?? {};
      if (!a.timerId) return { cause: WftFailedCause.BAD_START_TIMER_ATTRIBUTES, message: 'TimerId is not set.' };
      if (run.timers.has(a.timerId)) {
        return { cause: WftFailedCause.START_TIMER_DUPLICATE_ID, message: `invalid history builder state for action: add-timer-started-event, timerID: ${a.timerId}` };
      }
      return undefined;
    }
    case C.UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
      const err = validateSearchAttributes(e.ns(run.namespace), cmd.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes);
      return err ? { cause: WftFailedCause.BAD_SEARCH_ATTRIBUTES, message: err } : undefined;
    }
    case C.START_CHILD_WORKFLOW_EXECUTION: {
      const a = cmd.startChildWorkflowExecutionCommandAttributes ?? {};
      const bad = (message: string) => ({ cause: WftFailedCause.BAD_START_CHILD_EXECUTION_ATTRIBUTES, message });
      const type = a.workflowType?.name ?? '';
      const ns = a.namespace ?? '';
      if (!a.workflowId) return bad(`Required field WorkflowId is not set on StartChildWorkflowExecutionCommand. WorkflowType=${type} Namespace=${ns}`);
      if (!type) return bad(`Required field WorkflowType is not set on StartChildWorkflowExecutionCommand. WorkflowId=${a.workflowId} Namespace=${ns}`);
      if (ns.length > MAX_ID_LENGTH) return bad('Namespace on StartChildWorkflowExecutionCommand exceeds length limit.');
      if (a.workflowId.length > MAX_ID_LENGTH) return bad('WorkflowId on StartChildWorkflowExecutionCommand exceeds length limit.');
      if (type.length > MAX_ID_LENGTH) return bad('WorkflowType on StartChildWorkflowExecutionCommand exceeds length limit.');
      const cron = cronScheduleProblem(a.cronSchedule, e.now());
      if (cron) return bad(`invalid CronSchedule on StartChildWorkflowExecutionCommand: ${cron}. WorkflowId=${a.workflowId} WorkflowType=${type} Namespace=${ns}`);
      const err = validateSearchAttributes(e.ns(run.namespace), a.searchAttributes);
      if (err) return { cause: WftFailedCause.BAD_SEARCH_ATTRIBUTES, message: err };
      batch.childIds.add(a.workflowId);
      return undefined;
    }
    case C.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = cmd.signalExternalWorkflowExecutionCommandAttributes ?? {};
      const bad = (message: string) => ({ cause: WftFailedCause.BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES, message });
      if (!a.execution) return bad('Execution is not set on SignalExternalWorkflowExecutionCommand.');
      const target = `WorkflowId=${a.execution.workflowId ?? ''} Namespace=${a.namespace ?? ''} RunId=${a.execution.runId ?? ''}`;
      return externalTargetProblem(bad, 'SignalExternalWorkflowExecutionCommand', a.namespace, a.execution.workflowId, a.execution.runId) ??
        (a.signalName ? undefined : bad(`SignalName is not set on SignalExternalWorkflowExecutionCommand. ${target}`));
    }
    case C.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = cmd.requestCancelExternalWorkflowExecutionCommandAttributes ?? {};
      const bad = (message: string) => ({ cause: WftFailedCause.BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES, message });
      const problem = externalTargetProblem(bad, 'RequestCancelExternalWorkflowExecutionCommand', a.namespace, a.workflowId, a.runId);
      if (problem) return problem;
      if (batch.childIds.has(a.workflowId)) {
        return bad(`Start and RequestCancel for child workflow is not allowed in same workflow task. WorkflowId=${a.workflowId} RunId=${a.runId ?? ''} Namespace=${a.namespace ?? ''}`);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function hasPendingActivity(run: Run, activityId: string): boolean {
  for (const act of run.activities.values()) if (act.activityId === activityId) return true;
  return false;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The checks of the workflow a signal or cancel command names (command_attr_validator.go). */
function externalTargetProblem<P>(bad: (message: string) => P, command: string, namespace = '', workflowId = '', runId = ''): P | undefined {
  if (!workflowId) return bad(`WorkflowId is not set on ${command}. Namespace=${namespace} RunId=${runId}`);
  if (namespace.length > MAX_ID_LENGTH) return bad(`Namespace on ${command} exceeds length limit.`);
  if (workflowId.length > MAX_ID_LENGTH) return bad(`WorkflowId on ${command} exceeds length limit.`);
  if (runId && !UUID.test(runId)) return bad(`Invalid RunId set on ${command}. WorkflowId=${workflowId} RunId=${runId} Namespace=${namespace}`);
  return undefined;
}

/** The namespace a child or external command names, when it names one the engine does not have. */
export function unknownTargetNamespace(e: Engine, cmd: Pb): string | undefined {
  const a =
    cmd.startChildWorkflowExecutionCommandAttributes ??
    cmd.signalExternalWorkflowExecutionCommandAttributes ??
    cmd.requestCancelExternalWorkflowExecutionCommandAttributes;
  const ns = a?.namespace;
  return ns && !e.namespaces.has(ns) ? ns : undefined;
}

export function applyCommand(e: Engine, run: Run, cmd: Pb, ctx: CommandContext): void {
  const base = { workflowTaskCompletedEventId: ctx.completedEventId };
  const meta = cmd.userMetadata ? { userMetadata: cmd.userMetadata } : undefined;
  switch (cmd.commandType) {
    case C.SCHEDULE_ACTIVITY_TASK: {
      const a = cmd.scheduleActivityTaskCommandAttributes;
      let s2c = durationMs(a.scheduleToCloseTimeout);
      let s2s = durationMs(a.scheduleToStartTimeout);
      let st2c = durationMs(a.startToCloseTimeout);
      let hb = durationMs(a.heartbeatTimeout);
      // Filled in and bounded as validateAndNormalizeTimeouts does, the run timeout included.
      if (s2c > 0) {
        s2s = s2s > 0 ? Math.min(s2s, s2c) : s2c;
        st2c = st2c > 0 ? Math.min(st2c, s2c) : s2c;
      } else {
        s2c = run.runTimeoutMs;
        if (s2s <= 0) s2s = run.runTimeoutMs;
      }
      if (run.runTimeoutMs > 0) [s2c, s2s, st2c, hb] = [s2c, s2s, st2c, hb].map((v) => Math.min(v, run.runTimeoutMs));
      hb = Math.min(hb, st2c);
      const ev = e.append(run, e.event(E.ACTIVITY_TASK_SCHEDULED, 'activityTaskScheduledEventAttributes', {
        activityId: a.activityId,
        activityType: a.activityType,
        taskQueue: { name: a.taskQueue?.name || run.taskQueue, kind: TaskQueueKind.NORMAL },
        header: a.header,
        input: a.input,
        scheduleToCloseTimeout: ms(s2c),
        scheduleToStartTimeout: ms(s2s),
        startToCloseTimeout: ms(st2c),
        heartbeatTimeout: ms(hb),
        retryPolicy: retryDefaults(a.retryPolicy),
        useWorkflowBuildId: a.useWorkflowBuildId,
        priority: a.priority,
        ...base,
      }, meta));
      const act = run.activities.get(ev.eventId)!;
      // As history does: an eager request skips matching altogether; the task is handed out once
      // every command is applied (unless the same completion closed the run or cancelled it).
      if (a.requestEagerExecution && e.features.activityEagerExecution && ctx.eager) ctx.eager.push(act);
      else dispatchActivity(e, run, act);
      return;
    }
    case C.REQUEST_CANCEL_ACTIVITY_TASK:
      if (requestCancelActivity(e, run, num(cmd.requestCancelActivityTaskCommandAttributes.scheduledEventId), ctx.completedEventId, ctx.identity)) {
        ctx.activityCancelledBeforeStart = true;
      }
      return;
    case C.START_TIMER: {
      const a = cmd.startTimerCommandAttributes;
      e.append(run, e.event(E.TIMER_STARTED, 'timerStartedEventAttributes', {
        timerId: a.timerId,
        startToFireTimeout: a.startToFireTimeout,
        ...base,
      }, meta));
      const timer = run.timers.get(a.timerId)!;
      timer.handle = e.clock.schedule(timer.fireTime, () => fireTimer(e, run, timer));
      return;
    }
    case C.CANCEL_TIMER: {
      const timerId = cmd.cancelTimerCommandAttributes.timerId;
      const timer = run.timers.get(timerId);
      // A timer that fired while this task ran has its TimerFired event in the buffer: as the server
      // does (checkAndClearTimerFiredEvent), that event is dropped and the timer counts as canceled,
      // so the history shows what the workflow saw and replays.
      const startedEventId = timer ? timer.startedEventId : takeBufferedTimerFired(e, run, timerId);
      if (startedEventId === undefined) return;
      timer?.handle?.cancel();
      e.append(run, e.event(E.TIMER_CANCELED, 'timerCanceledEventAttributes', {
        timerId,
        startedEventId,
        identity: ctx.identity,
        ...base,
      }));
      return;
    }
    case C.RECORD_MARKER: {
      const a = cmd.recordMarkerCommandAttributes;
      e.append(run, e.event(E.MARKER_RECORDED, 'markerRecordedEventAttributes', {
        markerName: a.markerName,
        details: a.details,
        header: a.header,
        failure: a.failure,
        ...base,
      }, meta));
      return;
    }
    case C.UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      e.append(run, e.event(E.UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, 'upsertWorkflowSearchAttributesEventAttributes', {
        searchAttributes: cmd.upsertWorkflowSearchAttributesCommandAttributes.searchAttributes,
        ...base,
      }));
      return;
    case C.MODIFY_WORKFLOW_PROPERTIES:
      e.append(run, e.event(E.WORKFLOW_PROPERTIES_MODIFIED, 'workflowPropertiesModifiedEventAttributes', {
        upsertedMemo: cmd.modifyWorkflowPropertiesCommandAttributes.upsertedMemo,
        ...base,
      }));
      return;
    case C.COMPLETE_WORKFLOW_EXECUTION:
      completeWorkflow(e, run, cmd.completeWorkflowExecutionCommandAttributes.result, ctx.completedEventId);
      return;
    case C.FAIL_WORKFLOW_EXECUTION:
      failOrRetryWorkflow(e, run, cmd.failWorkflowExecutionCommandAttributes.failure, ctx.completedEventId);
      return;
    case C.CANCEL_WORKFLOW_EXECUTION:
      closeRun(e, run, E.WORKFLOW_EXECUTION_CANCELED, 'workflowExecutionCanceledEventAttributes', {
        details: cmd.cancelWorkflowExecutionCommandAttributes.details,
        ...base,
      });
      return;
    case C.CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
      continueAsNew(e, run, cmd.continueAsNewWorkflowExecutionCommandAttributes, ctx.completedEventId);
      return;
    case C.START_CHILD_WORKFLOW_EXECUTION: {
      const a = childStartAttributes(e, run, cmd.startChildWorkflowExecutionCommandAttributes);
      const ev = e.append(run, e.event(E.START_CHILD_WORKFLOW_EXECUTION_INITIATED, 'startChildWorkflowExecutionInitiatedEventAttributes', { ...a, ...base }, meta));
      ctx.after.push(() => startChild(e, run, ev.eventId, a, meta?.userMetadata));
      return;
    }
    case C.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = cmd.signalExternalWorkflowExecutionCommandAttributes;
      const ev = e.append(run, e.event(E.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, 'signalExternalWorkflowExecutionInitiatedEventAttributes', {
        namespace: a.namespace || run.namespace,
        namespaceId: e.namespaceId(a.namespace || run.namespace),
        workflowExecution: a.execution,
        signalName: a.signalName,
        input: a.input,
        control: a.control,
        childWorkflowOnly: a.childWorkflowOnly,
        header: a.header,
        ...base,
      }));
      ctx.after.push(() => initiateExternal(e, run, ev.eventId));
      return;
    }
    case C.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = cmd.requestCancelExternalWorkflowExecutionCommandAttributes;
      const ev = e.append(run, e.event(E.REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, 'requestCancelExternalWorkflowExecutionInitiatedEventAttributes', {
        namespace: a.namespace || run.namespace,
        namespaceId: e.namespaceId(a.namespace || run.namespace),
        workflowExecution: { workflowId: a.workflowId, runId: a.runId },
        control: a.control,
        childWorkflowOnly: a.childWorkflowOnly,
        reason: a.reason,
        ...base,
      }));
      ctx.after.push(() => initiateExternal(e, run, ev.eventId));
      return;
    }
    case C.PROTOCOL_MESSAGE:
      applyProtocolMessageCommand(e, run, cmd.protocolMessageCommandAttributes?.messageId, ctx);
      return;
    default:
      return;
  }
}

/**
 * A child's start as history records it, with the server's defaults filled in
 * (ValidateStartChildExecutionAttributes, handleCommandStartChildWorkflow): the parent's namespace
 * and task queue, the run timeout within the execution timeout, a task timeout of 10 s at most the
 * run timeout, close policy TERMINATE, reuse policy ALLOW_DUPLICATE, and a retry policy (when one
 * is given) completed with the workflow retry defaults.
 */
function childStartAttributes(e: Engine, run: Run, a: Pb): Pb {
  const executionMs = durationMs(a.workflowExecutionTimeout);
  let runMs = durationMs(a.workflowRunTimeout);
  if (runMs <= 0 || (executionMs > 0 && runMs > executionMs)) runMs = executionMs;
  const taskMs = runMs > 0 ? Math.min(normalizeTaskTimeout(durationMs(a.workflowTaskTimeout)), runMs) : normalizeTaskTimeout(durationMs(a.workflowTaskTimeout));
  const namespace = a.namespace || run.namespace;
  return {
    ...a,
    namespace,
    namespaceId: e.namespaceId(namespace),
    taskQueue: { name: a.taskQueue?.name || run.taskQueue, kind: TaskQueueKind.NORMAL },
    workflowRunTimeout: runMs > 0 ? duration(runMs) : undefined,
    workflowTaskTimeout: duration(taskMs),
    parentClosePolicy: a.parentClosePolicy || ParentClosePolicy.TERMINATE,
    workflowIdReusePolicy: a.workflowIdReusePolicy || ReusePolicy.ALLOW_DUPLICATE,
    retryPolicy: a.retryPolicy ? retryDefaults(a.retryPolicy) : undefined,
  };
}

/** Removes the buffered TimerFired event of `timerId`, if any; returns the timer's started event id. */
function takeBufferedTimerFired(e: Engine, run: Run, timerId: string): number | undefined {
  const index = run.buffered.findIndex((ev) => ev.timerFiredEventAttributes?.timerId === timerId);
  if (index < 0) return undefined;
  const [fired] = run.buffered.splice(index, 1);
  e.rewriteBuffer(run);
  return Number(fired.timerFiredEventAttributes.startedEventId);
}
