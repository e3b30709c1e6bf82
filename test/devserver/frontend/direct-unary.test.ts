/**
 * The interceptor that answers the engine's unary calls, on a grpc-js server of its own: answers,
 * error statuses, cancel hooks and deadlines, and an answer that throws.
 */
import * as grpc from '@grpc/grpc-js';
import { CallContext, directUnary, UnaryAnswer } from '../../../devserver/frontend/direct-unary';

const PATH = '/test.Echo/Call';
const method: grpc.MethodDefinition<Buffer, Buffer> = {
  path: PATH,
  requestStream: false,
  responseStream: false,
  requestSerialize: (b) => b,
  requestDeserialize: (b) => b,
  responseSerialize: (b) => b,
  responseDeserialize: (b) => b,
};

let server: grpc.Server;
let client: grpc.Client;
let answer: UnaryAnswer;

beforeAll(async () => {
  server = new grpc.Server({ interceptors: [directUnary((path) => (path === PATH ? (req, ctx, done) => answer(req, ctx, done) : undefined))] });
  // Routing needs a registered method; the interceptor answers before it would run.
  server.addService({ Call: method } as grpc.ServiceDefinition, { Call: (_c: unknown, cb: grpc.sendUnaryData<Buffer>) => cb({ code: grpc.status.INTERNAL }) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client.close();
  server.forceShutdown();
});

function call(body: string, deadlineMs?: number): Promise<{ res?: string; err?: grpc.ServiceError }> & { cancel(): void } {
  let c: grpc.ClientUnaryCall | undefined;
  const p = new Promise<{ res?: string; err?: grpc.ServiceError }>((resolve) => {
    const opts: grpc.CallOptions = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
    c = client.makeUnaryRequest(PATH, method.requestSerialize, method.responseDeserialize, Buffer.from(body), opts, (err, res) =>
      resolve(err ? { err } : { res: res!.toString() }),
    );
  });
  return Object.assign(p, { cancel: () => c!.cancel() });
}

describe('directUnary', () => {
  it('answers with the response, or with the status it is given', async () => {
    answer = (req, _ctx, done) => (String(req) === 'bad' ? done({ code: grpc.status.NOT_FOUND, details: 'no such thing' }) : done(null, Buffer.from(`echo ${req}`)));
    expect(await call('hi')).toEqual({ res: 'echo hi' });
    const { err } = await call('bad');
    expect(err?.code).toBe(grpc.status.NOT_FOUND);
    expect(err?.details).toBe('no such thing');
  });

  it('tells the answer when the caller cancels, and gives it the deadline', async () => {
    let ctxSeen: CallContext | undefined;
    const cancelled = new Promise<void>((resolve) => {
      answer = (_req, ctx) => {
        ctxSeen = ctx;
        ctx.onCancel(resolve); // never answers: a long poll
      };
    });
    const pending = call('wait', 30_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(ctxSeen!.deadlineMs).toBeGreaterThan(25_000);
    expect(ctxSeen!.deadlineMs).toBeLessThanOrEqual(30_000);
    pending.cancel();
    await cancelled;
    expect((await pending).err?.code).toBe(grpc.status.CANCELLED);
    // A hook registered once the call is over runs at once.
    let late = false;
    ctxSeen!.onCancel(() => (late = true));
    expect(late).toBe(true);
  });

  it('answers UNKNOWN when the answer throws, as grpc-js does for a throwing handler', async () => {
    answer = () => {
      throw new Error('boom');
    };
    const { err } = await call('x', 5_000);
    expect(err?.code).toBe(grpc.status.UNKNOWN);
  });
});
