/** RespondWorkflowTaskCompleted: validate the task, write its completion and its commands' events. */
import { EventType as E, shortName, WftFailedCause } from '../enums';
import { invalidArgument, namespaceNotFound, notFound } from '../errors';
import { durationMs, Pb } from '../proto';
import { Engine } from './engine';
import { QueryRequest, Run } from './run';
import { decodeToken } from './tokens';
import { failWorkflowTask, inFlightQueries, materializeTransient, scheduleWorkflowTask, wftLockKey } from './workflow-task';
import { applyCommand, CommandContext, newCommandBatch, closingCommandTypes, unknownTargetNamespace, validateCommand } from './commands';
import { deliverQueryResults, dispatchWaitingQueries } from './queries';
import { abortUpdatesOnTaskFailure, applyRemainingMessages, handleUpdateMessages, hasUndeliveredUpdates, onlyRejections, rejectUnprocessedUpdates } from './updates';
import { commandSizeProblem, messageSizeProblem } from './command-sizes';
import { serverFailure } from './payload-size';
import { HISTORY_SERVICE, terminateRun } from './close';
import { startActivityEagerly } from './activities';

export function findStartedTask(e: Engine, token: Uint8Array, closedMessage = 'Workflow task not found.'): { run: Run; attempt: number } {
  const t = decodeToken(token, 'w');
  const ns = e.ns(t.n);
  const run = ns.runs.get(t.r);
  if (run && !run.isOpen) throw notFound(closedMessage);
  const wft = run?.wft;
  if (!run || !run.isOpen || !wft || wft.scheduledEventId !== t.s || wft.dispatch !== t.d || !wft.startedEventId) {
    throw notFound('Workflow task not found.');
  }
  return { run, attempt: t.a };
}

/** Returns the completion's response (non-empty only when a speculative task was dropped). */
export function completeWorkflowTask(e: Engine, req: Pb): Pb {
  const { run } = findStartedTask(e, req.taskToken);
  const wft = run.wft!;
  const commands: Pb[] = req.commands ?? [];
  const identity: string = req.identity ?? '';

  // Bad commands fail the task, as the server does, and nothing of the completion is written.
  const batch = newCommandBatch();
  for (const cmd of commands) {
    // A namespace the engine does not have fails the call alone: nothing is written and the task
    // stays started until it times out (the server's handler returns the registry's error).
    const unknown = unknownTargetNamespace(e, cmd);
    if (unknown !== undefined) throw namespaceNotFound(unknown);
    const problem = validateCommand(e, run, cmd, batch);
    if (problem) {
      // Updates first, as the server does: the retried task must not take them (a poller may be waiting).
      abortUpdatesOnTaskFailure(run);
      // A retried task's bad completion is only refused: the task times out and is tried again,
      // so a worker that keeps sending it does not spin with the engine (respondworkflowtaskcompleted/api.go).
      if (wft.attempt > 1) throw invalidArgument(problem.message);
      // Recorded as the server records it: a server failure "<Cause>: <error>" (failWorkflowTask).
      failWorkflowTask(e, run, problem.cause, serverFailure(`${shortName(WftFailedCause, problem.cause)}: ${problem.message}`, false), identity);
      throw invalidArgument(problem.message);
    }
  }
  // A command that closes the workflow cannot win over events it has not seen. Updates it has not
  // seen do not hold it back: they are aborted as it closes (the server's check for them is off).
  const closes = commands.some((c) => closingCommandTypes.has(c.commandType));
  if (closes && run.buffered.length > 0) {
    // Not the worker's fault: the next task is a fresh first attempt.
    abortUpdatesOnTaskFailure(run);
    failWorkflowTask(e, run, WftFailedCause.UNHANDLED_COMMAND, { message: 'UnhandledCommand' }, identity, true);
    throw invalidArgument('UnhandledCommand');
  }
  checkSizes(e, run, req.messages ?? [], commands, identity);

  const queries = inFlightQueries.get(wft) ?? [];
  inFlightQueries.delete(wft);
  // A heartbeat (forceCreateNewWorkflowTask) is always written, as on the server.
  const writesNothing = commands.length === 0 && run.buffered.length === 0 && !req.forceCreateNewWorkflowTask && onlyRejections(req.messages ?? []);
  if (wft.speculative && wft.transient && writesNothing) {
    const workflowTask = dropSpeculativeTask(e, run, req, queries);
    // The worker rolls its cached history back to its last real task, as Temporal tells it to.
    return { resetHistoryEventId: run.previousStartedEventId, ...(workflowTask ? { workflowTask } : {}) };
  }
  materializeTransient(e, run);
  wft.timer?.cancel();
  const completed = e.append(run, e.event(E.WORKFLOW_TASK_COMPLETED, 'workflowTaskCompletedEventAttributes', {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: wft.startedEventId,
    identity,
    binaryChecksum: req.binaryChecksum ?? '',
    workerVersion: req.workerVersionStamp ?? undefined,
    sdkMetadata: req.sdkMetadata ?? undefined,
    meteringMetadata: req.meteringMetadata ?? undefined,
  }));
  e.clock.releaseWork(wftLockKey(run));
  setSticky(run, req);
  deliverQueryResults(queries, req.queryResults ?? {});

  const ctx: CommandContext = { completedEventId: completed.eventId, identity, messages: req.messages ?? [], after: [], eager: [] };
  handleUpdateMessages(e, run, ctx);
  for (const cmd of commands) {
    if (!run.isOpen) break;
    applyCommand(e, run, cmd, ctx);
  }
  applyRemainingMessages(e, run, ctx);
  if (run.isOpen && !req.forceCreateNewWorkflowTask) rejectUnprocessedUpdates(run, wft.startedEventId);
  const activityTasks: Pb[] = [];
  for (const act of ctx.eager!) {
    const task = startActivityEagerly(e, run, act, identity);
    if (task) activityTasks.push(task);
  }
  let workflowTask: Pb | undefined;
  if (run.isOpen) {
    const hadBuffered = run.buffered.length > 0;
    e.flushBuffered(run);
    // What makes the server schedule a normal task at once; updates alone make a speculative one.
    const normal = hadBuffered || !!req.forceCreateNewWorkflowTask || !!ctx.activityCancelledBeforeStart;
    if (normal || hasUndeliveredUpdates(run)) workflowTask = nextTask(e, run, req, !normal);
    else if (run.pendingQueries.length > 0) dispatchWaitingQueries(e, run);
  } else {
    dispatchWaitingQueries(e, run);
  }
  for (const f of ctx.after) f();
  return { ...(activityTasks.length ? { activityTasks } : {}), ...(workflowTask ? { workflowTask } : {}) };
}

/**
 * A payload above the blob limit fails the task and terminates the workflow, as the server does;
 * on a retried task (attempt > 1) the server only refuses the completion and the task times out.
 */
function checkSizes(e: Engine, run: Run, messages: Pb[], commands: Pb[], identity: string): void {
  let problem;
  for (const m of messages) if ((problem = messageSizeProblem(e.limits, m))) break;
  if (!problem) for (const c of commands) if ((problem = commandSizeProblem(e.limits, run, c))) break;
  if (!problem) return;
  const wft = run.wft!;
  // A failed task, so updates not accepted are aborted first, on any attempt (as above).
  abortUpdatesOnTaskFailure(run);
  if (wft.attempt > 1) throw invalidArgument(problem.message);
  // Queries that rode on the task go back in line; the closed run answers them.
  run.pendingQueries.unshift(...(inFlightQueries.get(wft) ?? []));
  inFlightQueries.delete(wft);
  terminateRun(e, run, problem.message, undefined, HISTORY_SERVICE, { cause: problem.cause, failure: serverFailure(problem.message, false), identity });
  throw invalidArgument(problem.message);
}

/**
 * Schedules the task a completion leads to. When the worker asks (every SDK does for a run it
 * caches), the task is started for it and handed back in the response instead of going through a
 * queue, as the server's bypassTaskGeneration does; only then can a task for updates alone be
 * speculative.
 */
function nextTask(e: Engine, run: Run, req: Pb, onlyUpdates: boolean): Pb | undefined {
  if (!req.returnNewWorkflowTask) return scheduleWorkflowTask(e, run);
  const handBack = { identity: req.identity ?? '', handBack: { heartbeat: !!req.forceCreateNewWorkflowTask } };
  return scheduleWorkflowTask(e, run, handBack, onlyUpdates);
}

/** A task that only carried update rejections leaves no trace in history, as on Temporal. */
function dropSpeculativeTask(e: Engine, run: Run, req: Pb, queries: QueryRequest[]): Pb | undefined {
  const { startedEventId } = run.wft!;
  run.wft!.timer?.cancel();
  run.wft = null;
  e.clock.releaseWork(wftLockKey(run));
  setSticky(run, req);
  deliverQueryResults(queries, req.queryResults ?? {});
  handleUpdateMessages(e, run, { completedEventId: 0, identity: req.identity ?? '', messages: req.messages ?? [], after: [] });
  rejectUnprocessedUpdates(run, startedEventId);
  if (hasUndeliveredUpdates(run)) return nextTask(e, run, req, true);
  dispatchWaitingQueries(e, run);
  return undefined;
}

function setSticky(run: Run, req: Pb): void {
  const q = req.stickyAttributes?.workerTaskQueue?.name;
  run.sticky = q ? { queue: q, scheduleToStartMs: durationOrDefault(req.stickyAttributes.scheduleToStartTimeout) } : null;
}

function durationOrDefault(d: Pb): number {
  const ms = durationMs(d);
  return ms || 5000;
}

export function failWorkflowTaskRequest(e: Engine, req: Pb): void {
  const { run } = findStartedTask(e, req.taskToken, 'workflow execution already completed');
  // A task whose response was too large for gRPC can never complete: the workflow is
  // terminated in the history service's name (respondworkflowtaskfailed/api.go).
  if (req.cause === WftFailedCause.GRPC_MESSAGE_TOO_LARGE) {
    terminateRun(e, run, shortName(WftFailedCause, req.cause), undefined, HISTORY_SERVICE);
    return;
  }
  failWorkflowTask(e, run, req.cause || WftFailedCause.WORKFLOW_WORKER_UNHANDLED_FAILURE, req.failure, req.identity ?? '');
}

