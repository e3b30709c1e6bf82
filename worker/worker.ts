/** The trajectory worker: the workflow bundle plus the activities, on one task queue. */
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createNotifyActivities, type NotificationSink } from '../activities/notify';
import { TRAJECTORY_TASK_QUEUE } from '../workflows/start-options';

export const TRAJECTORY_WORKFLOWS_PATH = require.resolve('../workflows');

/** Bundles the workflow code once (share it between workers and tests). */
export function bundleTrajectoryWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: TRAJECTORY_WORKFLOWS_PATH, logger: quietBundlerLogger });
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
  readonly sink: NotificationSink;
  readonly namespace?: string;
  readonly taskQueue?: string;
  /** A prebuilt bundle; without it the workflows are bundled on creation. */
  readonly workflowBundle?: WorkflowBundle;
}

export function createTrajectoryWorker(options: TrajectoryWorkerOptions): Promise<Worker> {
  const code = options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: TRAJECTORY_WORKFLOWS_PATH };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? TRAJECTORY_TASK_QUEUE,
    activities: createNotifyActivities(options.sink),
    ...code,
  });
}
