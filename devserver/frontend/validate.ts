/** Request checks with the real server's messages. */
import { status } from '@grpc/grpc-js';
import { invalidArgument, ServiceError } from '../errors';
import { UpdateLifecycleStage } from '../enums';
import { num, Pb } from '../proto';

import { MAX_ID_LENGTH } from '../limits';
import { cronScheduleProblem } from '../state/cron';

export { MAX_ID_LENGTH };

export function requireField(value: unknown, message: string): void {
  if (value === undefined || value === null || value === '') throw invalidArgument(message);
}

export function checkWorkflowId(id: unknown): void {
  requireField(id, 'WorkflowId is not set on request.');
  if (String(id).length > MAX_ID_LENGTH) throw invalidArgument('WorkflowId length exceeds limit.');
}

/** Task queue checks with the messages of Temporal's tqid package. */
export function checkTaskQueue(tq: Pb): void {
  if (!tq) throw invalidArgument('taskQueue is not set');
  if (!tq.name) throw invalidArgument('missing task queue name');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An execution reference: present, with a workflow id, and a run id that is empty or a UUID. */
export function checkExecution(ex: Pb): void {
  if (!ex) throw invalidArgument('Execution is not set on request.');
  checkWorkflowId(ex.workflowId);
  if (ex.runId && !UUID.test(ex.runId)) throw invalidArgument('Invalid RunId.');
}

export function checkStartRequest(req: Pb): void {
  requireField(req.namespace, 'Namespace is not set on request.');
  checkWorkflowId(req.workflowId);
  requireField(req.workflowType?.name, 'WorkflowType is not set on request.');
  checkTaskQueue(req.taskQueue);
  if (String(req.workflowType.name).length > MAX_ID_LENGTH) throw invalidArgument('WorkflowType exceeds length limit.');
  if (String(req.taskQueue.name).length > MAX_ID_LENGTH) throw invalidArgument('TaskQueue length exceeds limit.');
  if (req.requestId && String(req.requestId).length > MAX_ID_LENGTH) throw invalidArgument('RequestId length exceeds limit.');
  for (const [name, d] of [['WorkflowExecutionTimeout', req.workflowExecutionTimeout], ['WorkflowRunTimeout', req.workflowRunTimeout], ['WorkflowTaskTimeout', req.workflowTaskTimeout]] as const) {
    if (d && (num(d.seconds) < 0 || num(d.nanos) < 0)) throw invalidArgument(`Invalid ${name}.`);
  }
}

/** A start's cron schedule, as the frontend checks it (ValidateWorkflowStartDelay, backoff.ValidateSchedule). */
export function checkCronStart(req: Pb, nowMs: number): void {
  if (req.cronSchedule && req.workflowStartDelay) throw invalidArgument('CronSchedule and WorkflowStartDelay may not be used together.');
  const problem = cronScheduleProblem(req.cronSchedule, nowMs);
  if (problem) throw invalidArgument(problem);
}

/** An update request, checked as the frontend's prepareUpdateWorkflowRequest does, before any run is looked up. */
export function checkUpdateRequest(req: Pb): void {
  checkExecution(req.workflowExecution);
  const meta = req.request?.meta;
  if (!meta) throw invalidArgument('Update meta is not set on request.');
  if (String(meta.updateId ?? '').length > MAX_ID_LENGTH) throw invalidArgument('UpdateId length exceeds limit.');
  if (!req.request.input) throw invalidArgument('Update input is not set on request.');
  requireField(req.request.input.name, 'Update name is not set on request.');
  if (req.waitPolicy?.lifecycleStage === UpdateLifecycleStage.ADMITTED) {
    throw new ServiceError(status.PERMISSION_DENIED, 'UpdateWorkflowExecution issued asynchronously and waiting on update admitted is not supported.');
  }
}
