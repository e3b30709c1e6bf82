/** The trajectory worker: the workflow bundle plus the activities, on one task queue. */
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { DataConverter } from '@temporalio/common';
import { createNotifyActivities, LoggingNotificationSink, type NotificationSink } from '../activities/notify';
import { createPartnerDeliverySink } from '../activities/partner-delivery';
import type { SealedOpener } from '../activities/personal-data';
import { createRetentionActivities } from '../activities/retention';
import type { ErasableKeys } from '../activities/erasure';
import { FAILURE_CONVERTER_PATH } from '../privacy/failure-converter';
import { TRAJECTORY_TASK_QUEUE } from '../workflows/start-options';

export const TRAJECTORY_WORKFLOWS_PATH = require.resolve('../workflows');

/** Bundles the workflow code once (share it between workers and tests). */
export function bundleTrajectoryWorkflows(): Promise<WorkflowBundle> {
  // Failure messages go into encoded attributes, so that the codec encrypts them (privacy/failure-converter.ts).
  return bundleWorkflowCode({ workflowsPath: TRAJECTORY_WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};

export interface TrajectoryWorkerOptions {
  readonly connection: NativeConnection;
  /**
   * Where notifications go. Precedence: this sink (tests, demos); else real
   * delivery when `partnerRegistryPath` is given; else one log line each.
   */
  readonly sink?: NotificationSink;
  /** A partner registry file (docs/partners.md): notifications go out by webhook and e-mail. */
  readonly partnerRegistryPath?: string;
  /** The delivery log of confirmed sends (default `.data/partner-deliveries.jsonl` in the working directory). */
  readonly deliveryLogPath?: string;
  /** Logger for notifications (default: pino, JSON on stderr). */
  readonly logger?: Logger;
  /** Where webhook secrets and SMTP_* settings are read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  readonly namespace?: string;
  readonly taskQueue?: string;
  /** A prebuilt bundle; without it the workflows are bundled on creation. */
  readonly workflowBundle?: WorkflowBundle;
  /** Encryption and personal data (client/privacy.ts); without it payloads are plain (tests only). */
  readonly privacy?: WorkerPrivacy;
}

/** What the worker needs of the privacy setup. */
export interface WorkerPrivacy {
  readonly dataConverter: DataConverter;
  readonly opener: SealedOpener;
  readonly participantKeys: ErasableKeys;
  readonly erasureLogPath: string;
  readonly retentionDays: number;
}

export const DEFAULT_DELIVERY_LOG_PATH = path.join('.data', 'partner-deliveries.jsonl');

/** The sink the options ask for; throws naming what is wrong in the registry, secrets or SMTP settings. */
export async function notificationSinkFor(options: Omit<TrajectoryWorkerOptions, 'connection'>): Promise<NotificationSink> {
  if (options.sink) return options.sink;
  const logger = (options.logger ?? pino(process.stderr)).child({ component: 'partner-notifications' });
  if (options.partnerRegistryPath === undefined) return new LoggingNotificationSink(logger);
  return createPartnerDeliverySink({
    registryPath: options.partnerRegistryPath,
    deliveryLogPath: options.deliveryLogPath ?? DEFAULT_DELIVERY_LOG_PATH,
    logger,
    env: options.env,
    opener: options.privacy?.opener,
  });
}

export async function createTrajectoryWorker(options: TrajectoryWorkerOptions): Promise<Worker> {
  const code = options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: TRAJECTORY_WORKFLOWS_PATH };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? TRAJECTORY_TASK_QUEUE,
    activities: {
      ...createNotifyActivities(await notificationSinkFor(options)),
      ...(options.privacy ? createRetentionActivities(options.privacy) : {}),
    },
    ...(options.privacy ? { dataConverter: options.privacy.dataConverter } : {}),
    ...code,
  });
}
