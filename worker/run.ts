/**
 * Runs the trajectory worker from connection settings (client/connection.ts:
 * envconfig profile, TEMPORAL_* variables, or the embedded engine), with the
 * SDK's logs going to pino. Signals are left to the caller: it decides when to
 * shut down (Ctrl-C in `trajectory start`), so nothing here installs handlers.
 */
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { NotificationSink } from '../activities/notify';
import type { ConnectionSettings } from '../client/connection';
import { PinoSdkLogger, type Logger } from '../client/logger';
import { TRAJECTORY_TASK_QUEUE } from '../workflows/start-options';
import { bundleTrajectoryWorkflows, createTrajectoryWorker, notificationSinkFor, type WorkerPrivacy } from './worker';

let runtimeInstalled = false;

/** Routes the SDK's logs (worker, workflows, activities) to pino; once per process. */
export function installRuntime(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new PinoSdkLogger(logger.child({ component: 'temporal-sdk' })), shutdownSignals: [] });
}

export interface RunningWorkerOptions {
  readonly settings: ConnectionSettings;
  readonly logger: Logger;
  readonly taskQueue?: string;
  /** Where partner notifications go (tests); otherwise as `partnerRegistryPath` says. */
  readonly sink?: NotificationSink;
  /** The partner registry (docs/partners.md): webhooks and e-mail. Without it, one log line per notification. */
  readonly partnerRegistryPath?: string;
  /** The delivery log of confirmed sends (worker/worker.ts has the default). */
  readonly deliveryLogPath?: string;
  /** Encryption, personal data and retention (client/privacy.ts). */
  readonly privacy?: WorkerPrivacy;
}

/**
 * Where notifications go, resolved before anything else starts so that a bad
 * registry, a missing secret or SMTP setting stops start-up at once.
 */
export function resolveNotificationSink(options: Pick<RunningWorkerOptions, 'sink' | 'partnerRegistryPath' | 'deliveryLogPath' | 'logger' | 'privacy'>): Promise<NotificationSink> {
  return notificationSinkFor({
    sink: options.sink,
    partnerRegistryPath: options.partnerRegistryPath,
    deliveryLogPath: options.deliveryLogPath,
    logger: options.logger,
    privacy: options.privacy,
  });
}

export interface StartedWorker {
  readonly worker: Worker;
  readonly connection: NativeConnection;
  readonly taskQueue: string;
  /** Resolves when the worker has stopped (after `worker.shutdown()`), rejects on a fatal error. */
  readonly running: Promise<void>;
}

export async function startTrajectoryWorker(options: RunningWorkerOptions): Promise<StartedWorker> {
  installRuntime(options.logger);
  const { settings } = options;
  const connection = await NativeConnection.connect({
    address: settings.options.address,
    tls: settings.options.tls,
    apiKey: settings.options.apiKey,
    metadata: settings.options.metadata,
  });
  const taskQueue = options.taskQueue ?? TRAJECTORY_TASK_QUEUE;
  try {
    // Bundled here (quietly) rather than by Worker.create, which logs webpack's statistics at info.
    const workflowBundle = await bundleTrajectoryWorkflows();
    const worker = await createTrajectoryWorker({
      workflowBundle,
      connection,
      namespace: settings.namespace,
      taskQueue,
      sink: options.sink,
      partnerRegistryPath: options.partnerRegistryPath,
      deliveryLogPath: options.deliveryLogPath,
      logger: options.logger,
      privacy: options.privacy,
    });
    return { worker, connection, taskQueue, running: worker.run() };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
