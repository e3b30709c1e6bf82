/**
 * A stand-in workflow worker over raw gRPC, for commands an SDK worker would never send: it polls
 * a task queue, completes tasks with exactly the commands a test gives, and builds those commands.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { NAMESPACE, uid } from './helpers';

export const C = temporal.api.enums.v1.CommandType;
export type Task = temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
export type Command = temporal.api.command.v1.ICommand;
export const STAND_IN_IDENTITY = 'stand-in';

/** The stand-in's calls on `env` (a suite's environment, read when a call is made). */
export function standIn(env: TestWorkflowEnvironment) {
  const svc = () => env.client.workflowService;
  const identity = STAND_IN_IDENTITY;
  return {
    svc,
    poll: (taskQueue: string): Promise<Task> => svc().pollWorkflowTaskQueue({ namespace: NAMESPACE, taskQueue: { name: taskQueue }, identity }),
    respond: (task: Task, commands: Command[]) => svc().respondWorkflowTaskCompleted({ namespace: NAMESPACE, identity, taskToken: task.taskToken, commands }),
    /** Starts a workflow of a type no SDK worker runs: its tasks are the stand-in's to poll. */
    start: (taskQueue: string, workflowId = uid('wf'), workflowType = 'StandIn') => env.client.workflow.start(workflowType, { taskQueue, workflowId }),
  };
}

export const startChildCmd = (workflowId: string, extra: Record<string, unknown> = {}): Command => ({
  commandType: C.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION,
  startChildWorkflowExecutionCommandAttributes: { workflowId, workflowType: { name: 'StandInChild' }, ...extra },
});
