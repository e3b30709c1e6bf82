/**
 * The gRPC frontend: every method of WorkflowService, OperatorService and TestService as
 * `@temporalio/proto` defines them. Methods without a handler answer UNIMPLEMENTED naming the call.
 */
import * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';
import { root, Pb } from '../proto';
import { ServiceError } from '../errors';
import { encodeWithHistory } from '../state/raw-history';
import { installFastGzip } from './fast-gzip';

export interface CallContext {
  /** Registers a callback for when the caller cancels (long polls free their slot at once). */
  onCancel(cb: () => void): void;
  /** Milliseconds until the caller's deadline (Infinity without one). */
  deadlineMs: number;
}

export type Handler = (req: Pb, ctx: CallContext) => Promise<Pb> | Pb;
export type Handlers = Record<string, Handler>;

/** Calls answered per method, for `--log-level debug` diagnostics. */
export const callCounts = new Map<string, number>();

export const SERVICES = [
  'temporal.api.workflowservice.v1.WorkflowService',
  'temporal.api.operatorservice.v1.OperatorService',
  'temporal.api.testservice.v1.TestService',
];

/** Wraps each handler: errors become gRPC statuses; `afterEach` runs before answering (durability). */
export function buildServer(handlers: Record<string, Handlers>, afterEach: () => Promise<void>, options: grpc.ServerOptions = {}): grpc.Server {
  installFastGzip();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 128 * 1024 * 1024,
    'grpc.max_send_message_length': 128 * 1024 * 1024,
    // Nothing reads channelz here; without it grpc-js takes its lighter per-call path.
    'grpc.enable_channelz': 0,
    ...options,
  });
  for (const serviceName of SERVICES) {
    const service = root.lookupService(serviceName);
    const impl = handlers[serviceName] ?? {};
    const definition: Record<string, grpc.MethodDefinition<Pb, Pb>> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const method of Object.values(service.methods) as protobuf.Method[]) {
      method.resolve();
      const reqType = method.resolvedRequestType!;
      const resType = method.resolvedResponseType!;
      const resName = resType.fullName.replace(/^\./, '');
      definition[method.name] = {
        path: `/${serviceName}/${method.name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: (v: Pb) => Buffer.from(reqType.encode(v).finish()),
        requestDeserialize: (b: Buffer) => reqType.decode(b),
        responseSerialize: (v: Pb) => (Buffer.isBuffer(v) ? v : encodeWithHistory(resName, v)),
        responseDeserialize: (b: Buffer) => resType.decode(b),
      };
      const handler = impl[method.name];
      implementation[method.name] = (call: grpc.ServerUnaryCall<Pb, Pb>, callback: grpc.sendUnaryData<Pb>) => {
        if (!handler) {
          callback({ code: grpc.status.UNIMPLEMENTED, details: `unknown method ${method.name} for service ${serviceName}` });
          return;
        }
        callCounts.set(method.name, (callCounts.get(method.name) ?? 0) + 1);
        const deadline = call.getDeadline();
        const deadlineMs = deadline instanceof Date ? deadline.getTime() - Date.now() : typeof deadline === 'number' && Number.isFinite(deadline) ? deadline - Date.now() : Infinity;
        const ctx: CallContext = {
          onCancel: (cb) => {
            if (call.cancelled) cb();
            else call.once('cancelled', cb);
          },
          deadlineMs,
        };
        // Answers once what the call wrote is durable (a failed write stays an unhandled rejection).
        const answer = (res: Pb) => afterEach().then(() => callback(null, res ?? {}));
        // A refusal may have written history too (a failed task, a terminated run): durable first.
        const refuse = (err: unknown) => afterEach().catch(() => undefined).then(() => callback(toStatus(err, method.name)));
        let out: Pb;
        try {
          out = handler(call.request, ctx);
        } catch (err) {
          void refuse(err);
          return;
        }
        // Most handlers answer synchronously: no promise round trip for them.
        if (out instanceof Promise) out.then(answer, refuse);
        else void answer(out);
      };
    }
    server.addService(definition as grpc.ServiceDefinition, implementation);
  }
  return server;
}

function toStatus(err: unknown, method: string): Partial<grpc.StatusObject> {
  if (err instanceof ServiceError) {
    return { code: err.code, details: err.message, metadata: err.metadata() };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: grpc.status.INTERNAL, details: `${method}: ${message}` };
}
