/** Request checks with the real server's messages. */
import { invalidArgument } from '../errors';
import { Pb } from '../proto';

const MAX_ID_LENGTH = 1000;

export function requireField(value: unknown, message: string): void {
  if (value === undefined || value === null || value === '') throw invalidArgument(message);
}

export function checkWorkflowId(id: unknown): void {
  requireField(id, 'WorkflowId is not set on request.');
  if (String(id).length > MAX_ID_LENGTH) throw invalidArgument('WorkflowId exceeds length limit.');
}

export function checkStartRequest(req: Pb): void {
  requireField(req.namespace, 'Namespace is not set on request.');
  checkWorkflowId(req.workflowId);
  requireField(req.workflowType?.name, 'WorkflowType is not set on request.');
  requireField(req.taskQueue?.name, 'TaskQueue is not set on request.');
  if (String(req.workflowType.name).length > MAX_ID_LENGTH) throw invalidArgument('WorkflowType exceeds length limit.');
  if (String(req.taskQueue.name).length > MAX_ID_LENGTH) throw invalidArgument('TaskQueue length exceeds limit.');
  if (req.requestId && String(req.requestId).length > MAX_ID_LENGTH) throw invalidArgument('RequestId length exceeds limit.');
  for (const [name, d] of [['WorkflowExecutionTimeout', req.workflowExecutionTimeout], ['WorkflowRunTimeout', req.workflowRunTimeout], ['WorkflowTaskTimeout', req.workflowTaskTimeout]] as const) {
    if (d && (Number(d.seconds) < 0 || Number(d.nanos) < 0)) throw invalidArgument(`Invalid ${name}.`);
  }
}
