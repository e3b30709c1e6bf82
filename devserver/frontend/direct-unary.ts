/**
 * Every engine method is unary. grpc-js serves a unary call by building a server stream object
 * (a Node Writable, with its state, listeners and trailing metadata) around each request before
 * the handler runs. Through grpc-js's server interceptor API this module answers the call itself
 * instead: it reads the one request from grpc-js's own call (which still parses headers, enforces
 * sizes, inflates and deserializes), runs the handler, and sends the response and the status
 * through that same call. What goes on the wire is what grpc-js sends for a unary call: headers,
 * one message, trailers.
 */
import * as grpc from '@grpc/grpc-js';
import type { ServerInterceptingCallInterface } from '@grpc/grpc-js';

/** What a handler learns of its call besides the request. */
export interface CallContext {
  /** Registers a callback for when the caller cancels (long polls free their slot at once). */
  onCancel(cb: () => void): void;
  /** Milliseconds until the caller's deadline (Infinity without one). */
  deadlineMs: number;
}

export type Status = Parameters<ServerInterceptingCallInterface['sendStatus']>[0];

/** Ends a call: with a status (an error), or with the response. */
export type Done = (status: Status | null, response?: unknown) => void;

/** Answers one call: its request and context in, `done` called exactly once. */
export type UnaryAnswer = (request: unknown, ctx: CallContext, done: Done) => void;

/**
 * The call grpc-js's unary handling gets back from the interceptor, and the listener of grpc-js's
 * own call: reads the one request, hands it to the answer, and sends what comes back.
 */
class DirectUnaryCall implements ServerInterceptingCallInterface {
  private request: unknown = undefined;
  private cancelled = false;
  private cancelHooks: Array<() => void> | undefined;

  constructor(
    private readonly call: ServerInterceptingCallInterface,
    private readonly answer: UnaryAnswer,
  ) {}

  /** grpc-js's unary handling calls this and nothing else; its listener (which would build a stream object) is not used. */
  start(): void {
    this.call.start(this);
  }

  sendMetadata(m: grpc.Metadata): void {
    this.call.sendMetadata(m);
  }
  sendMessage(m: unknown, cb: () => void): void {
    this.call.sendMessage(m, cb);
  }
  sendStatus(s: Status): void {
    this.call.sendStatus(s);
  }
  startRead(): void {
    this.call.startRead();
  }
  getPeer(): string {
    return this.call.getPeer();
  }
  getDeadline(): grpc.Deadline {
    return this.call.getDeadline();
  }
  getHost(): string {
    return this.call.getHost();
  }
  getAuthContext(): ReturnType<ServerInterceptingCallInterface['getAuthContext']> {
    return this.call.getAuthContext();
  }
  getConnectionInfo(): ReturnType<ServerInterceptingCallInterface['getConnectionInfo']> {
    return this.call.getConnectionInfo();
  }
  getMetricsRecorder(): ReturnType<ServerInterceptingCallInterface['getMetricsRecorder']> {
    return this.call.getMetricsRecorder();
  }

  // As the listener of grpc-js's call.
  onReceiveMetadata(): void {
    this.call.startRead();
  }

  onReceiveMessage(message: unknown): void {
    if (this.request !== undefined) {
      this.call.sendStatus({ code: grpc.status.UNIMPLEMENTED, details: 'Received a second request message for a unary method' });
      return;
    }
    this.request = message;
    this.call.startRead();
  }

  onReceiveHalfClose(): void {
    if (this.request === undefined) {
      this.call.sendStatus({ code: grpc.status.UNIMPLEMENTED, details: 'Received no request message for a unary method' });
      return;
    }
    const deadline = this.call.getDeadline();
    const at = deadline instanceof Date ? deadline.getTime() : deadline;
    const ctx: CallContext = {
      onCancel: (cb) => {
        if (this.cancelled) cb();
        else (this.cancelHooks ??= []).push(cb);
      },
      deadlineMs: Number.isFinite(at) ? at - Date.now() : Infinity,
    };
    try {
      this.answer(this.request, ctx, (status, response) => {
        if (status) this.call.sendStatus(status);
        else this.call.sendMessage(response, () => this.call.sendStatus({ code: grpc.status.OK, details: 'OK' }));
      });
    } catch {
      // As grpc-js answers a handler that throws (this runs inside its stream events, where a throw would be uncaught).
      this.call.sendStatus({ code: grpc.status.UNKNOWN, details: 'Unknown error' });
    }
  }

  onCancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const hooks = this.cancelHooks;
    this.cancelHooks = undefined;
    if (hooks) for (const cb of hooks) cb();
  }
}

/**
 * A server interceptor answering each call through `answerFor(path)`, or leaving it to grpc-js's
 * own handling when that gives undefined.
 */
export function directUnary(answerFor: (path: string) => UnaryAnswer | undefined): grpc.ServerInterceptor {
  return (method, call) => {
    const answer = answerFor(method.path);
    return (answer ? new DirectUnaryCall(call, answer) : call) as grpc.ServerInterceptingCall;
  };
}
