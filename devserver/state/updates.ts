/**
 * Workflow updates over the message protocol: requests ride on workflow tasks as messages; the
 * worker answers with acceptance, rejection and response messages (acceptance and response are
 * written as events when their PROTOCOL_MESSAGE command comes).
 */
import { EventType as E, ResourceExhaustedCause, ResourceExhaustedScope, UpdateLifecycleStage as Stage } from '../enums';
import { decode, encode, Pb } from '../proto';
import { status } from '@grpc/grpc-js';
import { notFound, resourceExhausted, ServiceError, workflowNotReady } from '../errors';
import { Engine } from './engine';
import { Run, UpdateState } from './run';
import type { CommandContext } from './commands';

const REQUEST = 'temporal.api.update.v1.Request';

/** The server's outcome for an update a worker was sent and neither accepted nor rejected (errors_failures.go). */
const UNPROCESSED_UPDATE_FAILURE: Pb = {
  message: "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
  source: 'Server',
  applicationFailureInfo: { type: 'UnprocessedUpdate', nonRetryable: true },
};

export function hasUndeliveredUpdates(run: Run): boolean {
  for (const u of run.pendingUpdates) if (u.stage === 'admitted') return true;
  return false;
}

/**
 * Update requests not yet accepted go with every workflow task until the worker answers, except
 * that with `resend` false (a heartbeat's next task) only those not sent before go.
 */
export function takeMessagesForTask(run: Run, startedEventId: number, resend = true): Pb[] {
  const out: Pb[] = [];
  for (const u of run.pendingUpdates) {
    if ((u.stage !== 'admitted' && (u.stage !== 'sent' || !resend)) || u.admittedEventId) continue;
    u.stage = 'sent';
    out.push({
      id: `${u.updateId}/request`,
      protocolInstanceId: u.updateId,
      eventId: startedEventId - 1,
      body: { type_url: `type.googleapis.com/${REQUEST}`, value: encode(REQUEST, u.request) },
    });
  }
  return out;
}

function bodyOf(msg: Pb): { kind: string; value: Pb } {
  const typeName = String(msg.body?.type_url ?? '').replace(/^.*\//, '');
  return { kind: typeName.replace('temporal.api.update.v1.', ''), value: decode(typeName, msg.body.value) };
}

function settle(u: UpdateState): void {
  const ws = u.waiters;
  u.waiters = [];
  for (const w of ws) w();
}

/** A rejection writes nothing: the update leaves the run and its waiters get the failure. */
function reject(run: Run, u: UpdateState, failure: Pb): void {
  u.stage = 'rejected';
  u.outcome = { failure };
  run.updates.delete(u.updateId);
  settle(u);
}

/** Rejections carry no command: they are settled as the completion arrives. */
export function handleUpdateMessages(e: Engine, run: Run, ctx: CommandContext): void {
  for (const msg of ctx.messages) {
    const { kind, value } = bodyOf(msg);
    if (kind !== 'Rejection') continue;
    const u = run.updates.get(msg.protocolInstanceId);
    if (u) reject(run, u, value.failure);
  }
}

/** True when the worker's messages write nothing (rejections only): a speculative task may be dropped. */
export function onlyRejections(messages: Pb[]): boolean {
  return messages.every((m) => bodyOf(m).kind === 'Rejection');
}

/**
 * Acceptances and responses that no PROTOCOL_MESSAGE command placed are taken after all the
 * commands, in the order sent, as the server does (each one: ids need not be unique).
 */
export function applyRemainingMessages(e: Engine, run: Run, ctx: CommandContext): void {
  for (const msg of ctx.messages) {
    if (!run.isOpen) return;
    if (!ctx.takenMessages?.has(msg)) applyMessage(e, run, msg, ctx);
  }
}

/**
 * Rejects the updates a completed task carried that the worker neither accepted nor rejected (an
 * SDK without updates, or a bug), as the server's RejectUnprocessed does; they would otherwise go
 * out again with every task. Durably admitted ones reached the worker if their event came before
 * the task started. The caller leaves out completions that close the run (their updates are
 * settled as it closes), fail the task (the retry carries the updates again) or only heartbeat
 * (forceCreateNewWorkflowTask: the worker still holds the updates).
 */
export function rejectUnprocessedUpdates(run: Run, startedEventId: number): void {
  // Deleting the entry being visited is safe while iterating a Map.
  for (const u of run.pendingUpdates) {
    if (u.stage === 'sent' && !(u.admittedEventId && u.admittedEventId > startedEventId)) reject(run, u, UNPROCESSED_UPDATE_FAILURE);
  }
}

/** A PROTOCOL_MESSAGE command: the first message of its id not yet taken is applied in its place. */
export function applyProtocolMessageCommand(e: Engine, run: Run, messageId: string, ctx: CommandContext): void {
  const msg = ctx.messages.find((m) => m.id === messageId && !ctx.takenMessages?.has(m));
  if (msg) applyMessage(e, run, msg, ctx);
}

function applyMessage(e: Engine, run: Run, msg: Pb, ctx: CommandContext): void {
  (ctx.takenMessages ??= new Set()).add(msg);
  const { kind, value } = bodyOf(msg);
  const updateId = msg.protocolInstanceId;
  const u = run.updates.get(updateId);
  if (kind === 'Acceptance') {
    // After an UpdateAdmitted event, which holds the request, the acceptance is written without it.
    const request = u?.admittedEventId ? undefined : value.acceptedRequest ?? u?.request;
    e.append(run, e.event(E.WORKFLOW_EXECUTION_UPDATE_ACCEPTED, 'workflowExecutionUpdateAcceptedEventAttributes', {
      protocolInstanceId: updateId,
      acceptedRequestMessageId: value.acceptedRequestMessageId,
      acceptedRequestSequencingEventId: value.acceptedRequestSequencingEventId,
      acceptedRequest: request,
    }));
    const nu = run.updates.get(updateId);
    if (nu && u) nu.waiters = u.waiters;
    if (nu) settle(nu);
  } else if (kind === 'Response') {
    e.append(run, e.event(E.WORKFLOW_EXECUTION_UPDATE_COMPLETED, 'workflowExecutionUpdateCompletedEventAttributes', {
      meta: value.meta ?? { updateId },
      acceptedEventId: u?.acceptedEventId ?? 0,
      outcome: value.outcome,
    }));
    const nu = run.updates.get(updateId);
    if (nu) settle(nu);
  }
}

/**
 * Settles the run's updates once it closed, as the server's registry Abort does (update/abort_reason.go).
 * Accepted ones got their failure outcome as the close event was applied. Those not accepted yet
 * (admitted, or sent and left unanswered by the closing task) are aborted: with a retryable
 * RESOURCE_EXHAUSTED when a new run follows, so that the client's retry lands there, else with
 * NotFound.
 */
export function abortPendingUpdates(run: Run): void {
  for (const u of run.pendingUpdates) {
    if (u.stage === 'admitted' || u.stage === 'sent') {
      u.stage = 'aborted';
      u.abortedBy = run.newExecutionRunId ? 'continuing' : 'closing';
    }
    settle(u);
  }
}

/**
 * A completion the server fails (a bad command, or a closing command over events the task did not
 * see) aborts the updates not yet accepted, as the registry's Abort with AbortReasonWorkflowTaskFailed
 * does: one the worker was sent fails for good (WorkflowNotReady), so that the retried task does
 * not take it again; one only admitted gets a retryable Unavailable, on which the update call
 * admits it anew (update-handlers.ts). Both leave the run. Updates an UpdateAdmitted event holds
 * stay: history delivers them. Called before the task's retry is scheduled, which may start at once.
 */
export function abortUpdatesOnTaskFailure(run: Run): void {
  for (const u of run.pendingUpdates) {
    if ((u.stage !== 'admitted' && u.stage !== 'sent') || u.admittedEventId) continue;
    u.abortedBy = u.stage === 'sent' ? 'taskFailed' : 'cleared';
    u.stage = 'aborted';
    run.updates.delete(u.updateId);
    settle(u);
  }
}

const ABORTED_BY_CLOSING = 'workflow update was aborted by closing workflow';
const CLEARED = 'workflow update was aborted';

/** The error an aborted update answers with, each time it is asked for (errors_failures.go, consts.ErrWorkflowClosing). */
function abortError(u: UpdateState): ServiceError {
  switch (u.abortedBy) {
    case 'continuing':
      return resourceExhausted('workflow operation can not be applied because workflow is closing', ResourceExhaustedCause.BUSY_WORKFLOW, ResourceExhaustedScope.NAMESPACE);
    case 'taskFailed':
      return workflowNotReady('Unable to perform workflow execution update due to unexpected workflow task failure.');
    case 'cleared':
      return new ServiceError(status.UNAVAILABLE, CLEARED);
    default:
      return notFound(ABORTED_BY_CLOSING);
  }
}

/** True for the error of an update a failed workflow task aborted before the worker saw it. */
export function isClearedByTaskFailure(err: unknown): boolean {
  return err instanceof ServiceError && err.code === status.UNAVAILABLE && err.message === CLEARED;
}

/** True for the error of an update aborted because its run closed with no run to follow. */
export function isAbortedByClosing(err: unknown): boolean {
  return err instanceof ServiceError && err.code === status.NOT_FOUND && err.message === ABORTED_BY_CLOSING;
}

const STAGE_ORDER: Record<UpdateState['stage'], number> = { admitted: 1, sent: 1, accepted: 2, completed: 3, rejected: 3, aborted: 3 };

export function stageOf(u: UpdateState): number {
  return u.stage === 'accepted' ? Stage.ACCEPTED : u.stage === 'completed' || u.stage === 'rejected' ? Stage.COMPLETED : Stage.ADMITTED;
}

/** Waits until the update reaches `wanted` (a lifecycle stage), the run closes, or `timeoutMs` passes. */
export function waitForUpdate(run: Run, u: UpdateState, wanted: number, timeoutMs: number): Promise<Pb> {
  const target = wanted >= Stage.COMPLETED ? 3 : wanted >= Stage.ACCEPTED ? 2 : 1;
  const answer = (): Pb => {
    if (u.stage === 'aborted') throw abortError(u);
    if (STAGE_ORDER[u.stage] < target && !run.isOpen) {
      throw notFound('workflow execution already completed');
    }
    return {
      updateRef: { workflowExecution: { workflowId: run.workflowId, runId: run.runId }, updateId: u.updateId },
      outcome: u.outcome,
      stage: stageOf(u),
    };
  };
  if (STAGE_ORDER[u.stage] >= target || !run.isOpen) return Promise.resolve().then(answer);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      try {
        resolve(answer());
      } catch (err) {
        reject(err);
      }
    };
    const check = () => {
      if (STAGE_ORDER[u.stage] >= target || !run.isOpen) done();
      else u.waiters.push(check);
    };
    u.waiters.push(check);
  });
}
