/** gRPC errors as the Temporal server returns them. */
import { status, Metadata } from '@grpc/grpc-js';
import { encode, Pb } from './proto';

export class ServiceError extends Error {
  constructor(
    readonly code: status,
    message: string,
    /** Optional failure detail: [fully qualified proto type, message object]. */
    readonly detail?: [string, Pb],
  ) {
    super(message);
  }

  /** Trailers carrying google.rpc.Status with the detail, as the real server sends them. */
  metadata(): Metadata | undefined {
    if (!this.detail) return undefined;
    const [typeName, value] = this.detail;
    const st = encode('google.rpc.Status', {
      code: this.code,
      message: this.message,
      details: [{ type_url: `type.googleapis.com/${typeName}`, value: encode(typeName, value) }],
    });
    const md = new Metadata();
    md.set('grpc-status-details-bin', st);
    return md;
  }
}

export const invalidArgument = (msg: string) => new ServiceError(status.INVALID_ARGUMENT, msg);
export const notFound = (msg: string, detail?: [string, Pb]) => new ServiceError(status.NOT_FOUND, msg, detail);
export const failedPrecondition = (msg: string) => new ServiceError(status.FAILED_PRECONDITION, msg);
export const alreadyExists = (msg: string, detail?: [string, Pb]) => new ServiceError(status.ALREADY_EXISTS, msg, detail);
export const unimplemented = (msg: string) => new ServiceError(status.UNIMPLEMENTED, msg);
/** RESOURCE_EXHAUSTED with its cause and scope (enums ResourceExhaustedCause and ResourceExhaustedScope); clients retry it. */
export const resourceExhausted = (msg: string, cause: number, scope: number) =>
  new ServiceError(status.RESOURCE_EXHAUSTED, msg, ['temporal.api.errordetails.v1.ResourceExhaustedFailure', { cause, scope }]);

/** FAILED_PRECONDITION with the WorkflowNotReadyFailure detail (serviceerror.WorkflowNotReady). */
export const workflowNotReady = (msg: string) => new ServiceError(status.FAILED_PRECONDITION, msg, ['temporal.api.errordetails.v1.WorkflowNotReadyFailure', {}]);

export function workflowNotFound(workflowId: string, runId?: string): ServiceError {
  const msg = runId
    ? `workflow execution not found for workflow ID "${workflowId}" and run ID "${runId}"`
    : `workflow not found for ID: ${workflowId}`;
  return notFound(msg, ['temporal.api.errordetails.v1.NotFoundFailure', { currentCluster: 'active', activeCluster: 'active' }]);
}

export function namespaceNotFound(ns: string): ServiceError {
  return notFound(`Namespace ${ns} is not found.`, ['temporal.api.errordetails.v1.NamespaceNotFoundFailure', { namespace: ns }]);
}
