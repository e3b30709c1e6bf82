/** The commands a workflow task completion carries, each turned into its history events. */
import { CommandType as C, EventType as E, TaskQueueKind, WftFailedCause } from '../enums';
import { duration, durationMs, num, Pb } from '../proto';
import { Engine } from './engine';
import { ActivityState, Run } from './run';
import { retryDefaults } from './retry';
import { dispatchActivity, requestCancelActivity } from './activities';
import { closeRun, continueAsNew, failOrRetryWorkflow } from './close';
import { startChild, initiateExternal } from './children';
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

export function validateCommand(e: Engine, run: Run, cmd: Pb): { cause: number; message: string } | undefined {
  switch (cmd.commandType) {
    case C.SCHEDULE_ACTIVITY_TASK: {
      const a = cmd.scheduleActivityTaskCommandAttributes ?? {};
      const bad = (message: string) => ({ cause: WftFailedCause.BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, message });
      if (!a.activityId) return bad('ActivityId is not set on ScheduleActivityTaskCommand.');
      if (!a.activityType?.name) return bad('ActivityType is not set on ScheduleActivityTaskCommand.');
      if (durationMs(a.startToCloseTimeout) <= 0 && durationMs(a.scheduleToCloseTimeout) <= 0) {
        return bad('A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand.');
      }
      return undefined;
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
      if (!a.workflowId) return bad('Required field WorkflowId is not set on command.');
      if (!a.workflowType?.name) return bad('Required field WorkflowType is not set on command.');
      const err = validateSearchAttributes(e.ns(run.namespace), a.searchAttributes);
      return err ? { cause: WftFailedCause.BAD_SEARCH_ATTRIBUTES, message: err } : undefined;
    }
    default:
      return undefined;
  }
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
      if (!st2c) st2c = s2c;
      if (s2c && st2c > s2c) st2c = s2c;
      if (!s2s || (s2c && s2s > s2c)) s2s = s2c;
      if (hb > st2c) hb = st2c;
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
      if (requestCancelActivity(e, run, num(cmd.requestCancelActivityTaskCommandAttributes.scheduledEventId), ctx.completedEventId)) {
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
      closeRun(e, run, E.WORKFLOW_EXECUTION_COMPLETED, 'workflowExecutionCompletedEventAttributes', {
        result: cmd.completeWorkflowExecutionCommandAttributes.result,
        ...base,
      });
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
      const a = cmd.startChildWorkflowExecutionCommandAttributes;
      const ev = e.append(run, e.event(E.START_CHILD_WORKFLOW_EXECUTION_INITIATED, 'startChildWorkflowExecutionInitiatedEventAttributes', {
        ...a,
        namespace: a.namespace || run.namespace,
        taskQueue: { name: a.taskQueue?.name || run.taskQueue, kind: TaskQueueKind.NORMAL },
        ...base,
      }, meta));
      ctx.after.push(() => startChild(e, run, ev.eventId, a, meta?.userMetadata));
      return;
    }
    case C.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = cmd.signalExternalWorkflowExecutionCommandAttributes;
      const ev = e.append(run, e.event(E.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, 'signalExternalWorkflowExecutionInitiatedEventAttributes', {
        namespace: a.namespace || run.namespace,
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

/** Removes the buffered TimerFired event of `timerId`, if any; returns the timer's started event id. */
function takeBufferedTimerFired(e: Engine, run: Run, timerId: string): number | undefined {
  const index = run.buffered.findIndex((ev) => ev.timerFiredEventAttributes?.timerId === timerId);
  if (index < 0) return undefined;
  const [fired] = run.buffered.splice(index, 1);
  e.rewriteBuffer(run);
  return Number(fired.timerFiredEventAttributes.startedEventId);
}
