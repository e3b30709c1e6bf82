/** Starts the embedded engine: storage, recovery, and the gRPC frontend on a port. */
import * as grpc from '@grpc/grpc-js';
import { Clock } from './clock/clock';
import { openFileStore, openMemoryStore, LogStore } from './store';
import { Engine } from './state/engine';
import { Namespace, SearchAttributeType } from './state/namespace';
import { recover } from './state/recovery';
import { buildServer, workflowCallTypes } from './frontend/server';
import { prepareCodecs } from './proto';
import { workflowHandlers } from './frontend/workflow-handlers';
import { historyHandlers } from './frontend/history-handlers';
import { updateHandlers } from './frontend/update-handlers';
import { multiOperationHandlers } from './frontend/multi-operation';
import { taskHandlers } from './frontend/task-handlers';
import { namespaceHandlers, operatorHandlers } from './frontend/namespace-handlers';
import { visibilityHandlers } from './frontend/visibility-handlers';
import { batchHandlers } from './frontend/batch-handlers';
import { testHandlers } from './frontend/test-handlers';
import { Logger } from './logger';
import { DEFAULT_LIMITS, Features, Limits } from './limits';
import { hostPort } from './exposure';

export interface EngineServerOptions {
  ip: string;
  port: number;
  namespaces: string[];
  dbFilename?: string;
  searchAttributes: Array<[string, SearchAttributeType]>;
  timeSkipping: boolean;
  logger: Logger;
  /** TLS for the frontend (default: plaintext). */
  credentials?: grpc.ServerCredentials;
  /** Request and payload size limits (default: Temporal's). */
  limits?: Partial<Limits>;
  /** Dynamic config switches (default: see DEFAULT_FEATURES). */
  features?: Partial<Features>;
}

export interface RunningEngine {
  engine: Engine;
  port: number;
  close(): Promise<void>;
}

export async function startEngine(opts: EngineServerOptions): Promise<RunningEngine> {
  const log = opts.logger;
  const store: LogStore = opts.dbFilename
    ? await openFileStore(opts.dbFilename, { onWarning: (m) => log.warn(m) })
    : openMemoryStore();
  // The test-server form starts with time skipping locked once; the SDK unlocks while it waits.
  const clock = new Clock(opts.timeSkipping, opts.timeSkipping ? 1 : 0);
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const engine = new Engine({ clock, store, log: (level, msg) => log[level](msg), limits, features: opts.features });
  const t0 = Date.now();
  const { runs, events } = recover(engine);
  if (runs) log.info(`recovered ${runs} runs (${events} events) from ${opts.dbFilename} in ${Date.now() - t0} ms`);
  for (const name of new Set(['default', ...opts.namespaces])) {
    if (!engine.namespaces.has(name)) engine.addNamespace(Namespace.newRecord(name));
  }
  for (const [name, type] of opts.searchAttributes) {
    for (const ns of engine.namespaces.values()) {
      if (!ns.searchAttributes.has(name)) engine.addSearchAttribute(ns, name, type);
    }
  }
  await engine.sync();
  const server = buildServer(
    {
      'temporal.api.workflowservice.v1.WorkflowService': {
        ...workflowHandlers(engine),
        ...historyHandlers(engine),
        ...updateHandlers(engine),
        ...multiOperationHandlers(engine),
        ...taskHandlers(engine),
        ...namespaceHandlers(engine),
        ...visibilityHandlers(engine),
        ...batchHandlers(engine),
      },
      'temporal.api.operatorservice.v1.OperatorService': operatorHandlers(engine),
      'temporal.api.testservice.v1.TestService': opts.timeSkipping ? testHandlers(engine) : {},
    },
    () => engine.sync(),
    // Larger requests get RESOURCE_EXHAUSTED, before and after gzip inflation (see fast-gzip.ts).
    { 'grpc.max_receive_message_length': limits.maxReceiveMessageBytes },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(hostPort(opts.ip, opts.port), opts.credentials ?? grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  let closing = false;
  const prepared = prepareCodecs(workflowCallTypes(), () => closing);
  return {
    engine,
    port,
    async close() {
      closing = true;
      await prepared;
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      clock.stop();
      await store.close();
    },
  };
}
