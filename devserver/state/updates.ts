/**
 * Workflow updates over the message protocol: requests ride on workflow tasks as messages; the
 * worker answers with acceptance, rejection and response messages (acceptance and response are
 * written as events when their PROTOCOL_MESSAGE command comes).
 */
import { EventType as E, UpdateLifecycleStage as Stage } from '../enums';
import { decode, encode, Pb } from '../proto';
import { notFound } from '../errors';
import { Engine } from './engine';
import { Run, UpdateState } from './run';
import type { CommandContext } from './commands';

const REQUEST = 'temporal.api.update.v1.Request';

export function hasUndeliveredUpdates(run: Run): boolean {
  for (const u of run.pendingUpdates) if (u.stage === 'admitted') return true;
  return false;
}

/** Update requests not yet accepted go with every workflow task until the worker answers. */
export function takeMessagesForTask(run: Run, startedEventId: number): Pb[] {
  const out: Pb[] = [];
  for (const u of run.pendingUpdates) {
    if ((u.stage !== 'admitted' && u.stage !== 'sent') || u.admittedEventId) continue;
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

/** Rejections carry no command: they are settled as the completion arrives. */
export function handleUpdateMessages(e: Engine, run: Run, ctx: CommandContext): void {
  for (const msg of ctx.messages) {
    const { kind, value } = bodyOf(msg);
    if (kind !== 'Rejection') continue;
    const u = run.updates.get(msg.protocolInstanceId);
    if (!u) continue;
    u.stage = 'rejected';
    u.outcome = { failure: value.failure };
    run.updates.delete(u.updateId);
    settle(u);
  }
}

export function applyProtocolMessageCommand(e: Engine, run: Run, messageId: string, ctx: CommandContext): void {
  const msg = ctx.messages.find((m) => m.id === messageId);
  if (!msg) return;
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
 * Wakes whoever waits on the run's updates once it closed: accepted ones got their failure
 * outcome as the close event was applied, the others will never be answered.
 */
export function failPendingUpdates(e: Engine, run: Run): void {
  for (const u of run.pendingUpdates) settle(u);
}

const STAGE_ORDER: Record<UpdateState['stage'], number> = { admitted: 1, sent: 1, accepted: 2, completed: 3, rejected: 3 };

export function stageOf(u: UpdateState): number {
  return u.stage === 'accepted' ? Stage.ACCEPTED : u.stage === 'completed' || u.stage === 'rejected' ? Stage.COMPLETED : Stage.ADMITTED;
}

/** Waits until the update reaches `wanted` (a lifecycle stage), the run closes, or `timeoutMs` passes. */
export function waitForUpdate(run: Run, u: UpdateState, wanted: number, timeoutMs: number): Promise<Pb> {
  const target = wanted >= Stage.COMPLETED ? 3 : wanted >= Stage.ACCEPTED ? 2 : 1;
  const answer = (): Pb => {
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
