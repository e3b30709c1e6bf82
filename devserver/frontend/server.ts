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
import { CallContext, directUnary, Status, UnaryAnswer } from './direct-unary';

export type { CallContext } from './direct-unary';

export type Handler = (req: Pb, ctx: CallContext) => Promise<Pb> | Pb;
export type Handlers = Record<string, Handler>;

/** Calls answered per method, for `--log-level debug` diagnostics. */
export const callCounts = new Map<string, number>();

export const SERVICES = [
  'temporal.api.workflowservice.v1.WorkflowService',
  'temporal.api.operatorservice.v1.OperatorService',
  'temporal.api.testservice.v1.TestService',
];

/**
 * The calls an SDK worker and client make for a workflow, from connecting to its result, and the
 * worker's shutdown (inside `Worker.runUntil`, so a test waits for it).
 */
const WORKFLOW_CALLS = [
  'GetSystemInfo',
  'DescribeNamespace',
  'StartWorkflowExecution',
  'PollWorkflowTaskQueue',
  'RespondWorkflowTaskCompleted',
  'PollActivityTaskQueue',
  'RespondActivityTaskCompleted',
  'GetWorkflowExecutionHistory',
  'ShutdownWorker',
];

/** The request and response types of WORKFLOW_CALLS (their codecs are prepared at start). */
export function workflowCallTypes(): protobuf.Type[] {
  const service = root.lookupService(SERVICES[0]);
  return WORKFLOW_CALLS.flatMap((name) => {
    const method = service.methods[name];
    method.resolve();
    return [method.resolvedRequestType!, method.resolvedResponseType!];
  });
}

/** The gRPC server of `handlers`, each call answered through the direct unary interceptor. */
export function buildServer(handlers: Record<string, Handlers>, afterEach: () => Promise<void>, options: grpc.ServerOptions = {}): grpc.Server {
  installFastGzip();
  const answers = new Map<string, UnaryAnswer>();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 128 * 1024 * 1024,
    'grpc.max_send_message_length': 128 * 1024 * 1024,
    // Nothing reads channelz here; without it grpc-js takes its lighter per-call path.
    'grpc.enable_channelz': 0,
    ...options,
    // Last, so that it is the call grpc-js's unary handling starts (interceptors given in options run inside it).
    interceptors: [...(options.interceptors ?? []), directUnary((path) => answers.get(path))],
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
      const path = `/${serviceName}/${method.name}`;
      definition[method.name] = {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: (v: Pb) => Buffer.from(reqType.encode(v).finish()),
        requestDeserialize: (b: Buffer) => reqType.decode(b),
        responseSerialize: (v: Pb) => (Buffer.isBuffer(v) ? v : encodeWithHistory(resName, v)),
        responseDeserialize: (b: Buffer) => resType.decode(b),
      };
      answers.set(path, answerWith(impl[method.name], method.name, serviceName, afterEach));
      // grpc-js routes by these; the interceptor above answers every call before they would run.
      implementation[method.name] = (_call: unknown, callback: grpc.sendUnaryData<Pb>) =>
        callback({ code: grpc.status.INTERNAL, details: `${method.name} bypassed the engine's call handling` });
    }
    server.addService(definition as grpc.ServiceDefinition, implementation);
  }
  return server;
}

/** One method's answer: errors become gRPC statuses; `afterEach` runs before answering (durability). */
function answerWith(handler: Handler | undefined, name: string, serviceName: string, afterEach: () => Promise<void>): UnaryAnswer {
  if (!handler) {
    return (_req, _ctx, done) => done({ code: grpc.status.UNIMPLEMENTED, details: `unknown method ${name} for service ${serviceName}` });
  }
  return (req, ctx, done) => {
    callCounts.set(name, (callCounts.get(name) ?? 0) + 1);
    // Answers once what the call wrote is durable (a failed write stays an unhandled rejection).
    const answer = (res: Pb) => afterEach().then(() => done(null, res ?? {}));
    // A refusal may have written history too (a failed task, a terminated run): durable first.
    const refuse = (err: unknown) => afterEach().catch(() => undefined).then(() => done(toStatus(err, name)));
    let out: Pb;
    try {
      out = handler(req as Pb, ctx);
    } catch (err) {
      void refuse(err);
      return;
    }
    // Most handlers answer synchronously: no promise round trip for them.
    if (out instanceof Promise) out.then(answer, refuse);
    else void answer(out);
  };
}

function toStatus(err: unknown, method: string): Status {
  if (err instanceof ServiceError) {
    return { code: err.code, details: err.message, metadata: err.metadata() };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: grpc.status.INTERNAL, details: `${method}: ${message}` };
}
