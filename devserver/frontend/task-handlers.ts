/** Worker-facing calls: polls for workflow and activity tasks, and their completions. */
import { Pb } from '../proto';
import { invalidArgument } from '../errors';
import type { ActivityState } from '../state/run';
import { Engine } from '../state/engine';
import { completeWorkflowTask, failWorkflowTaskRequest } from '../state/complete-task';
import { findActivity, findActivityById } from '../state/activities';
import { respondQueryTask } from '../state/queries';
import { dispatchWorkflowTask } from '../state/workflow-task';
import { withDecodedHistory } from '../state/raw-history';
import { Handlers, CallContext } from './server';
import { pollTimeout } from './long-poll';
import { checkTaskQueue } from './validate';
import { cancelWithinLimits, completeWithinLimits, failWithinLimits, heartbeatWithinLimits, oversizedFailureReplaced, queryAnswerWithinLimits } from './size-limits';

async function poll<R>(queue: { poll(identity: string, timeoutMs: number, onCancel: (c: () => void) => void): Promise<R | undefined> }, req: Pb, ctx: CallContext): Promise<R | Pb> {
  const task = await queue.poll(req.identity ?? '', pollTimeout(ctx), (cancel) => ctx.onCancel(cancel));
  return task ?? {};
}

/** When a sticky worker goes away, its runs' next tasks go to the normal queue. */
function dropSticky(e: Engine, nsName: string, stickyQueue: string): void {
  const ns = e.namespaces.get(nsName);
  if (!ns) return;
  ns.queues.workflow.get(stickyQueue)?.drain();
  ns.queues.workflow.delete(stickyQueue);
  for (const run of ns.runs.values()) {
    if (run.sticky?.queue !== stickyQueue) continue;
    run.sticky = null;
    const wft = run.wft;
    if (run.isOpen && wft && wft.sticky && !wft.startedEventId) {
      wft.taskQueue = run.taskQueue;
      wft.sticky = false;
      dispatchWorkflowTask(e, run);
    }
  }
}

export function taskHandlers(e: Engine): Handlers {
  return {
    PollWorkflowTaskQueue(req, ctx) {
      checkTaskQueue(req.taskQueue);
      const ns = e.ns(req.namespace);
      return poll(ns.queues.wf(req.taskQueue.name), req, ctx);
    },
    PollActivityTaskQueue(req, ctx) {
      checkTaskQueue(req.taskQueue);
      const ns = e.ns(req.namespace);
      return poll(ns.queues.act(req.taskQueue.name), req, ctx);
    },
    RespondWorkflowTaskCompleted(req) {
      const res = completeWorkflowTask(e, req);
      return res.workflowTask ? { ...res, workflowTask: withDecodedHistory(res.workflowTask) } : res;
    },
    RespondWorkflowTaskFailed(req) {
      const failure = oversizedFailureReplaced(e, req.failure);
      failWorkflowTaskRequest(e, failure === req.failure ? req : { ...req, failure });
      return {};
    },
    RespondQueryTaskCompleted(req) {
      respondQueryTask(e, queryAnswerWithinLimits(e, req));
      return {};
    },
    RecordActivityTaskHeartbeat(req) {
      const { run, act } = findActivity(e, req.taskToken);
      return heartbeatWithinLimits(e, run, act, req.details, req.identity ?? '');
    },
    RecordActivityTaskHeartbeatById(req) {
      const { run, act } = findActivityById(e, req);
      return heartbeatWithinLimits(e, run, act, req.details, req.identity ?? '');
    },
    RespondActivityTaskCompleted(req) {
      const { run, act } = findActivity(e, req.taskToken);
      completeWithinLimits(e, run, act, req.result, req.identity ?? '');
      return {};
    },
    RespondActivityTaskCompletedById(req) {
      const { run, act } = findActivityById(e, req, true);
      completeWithinLimits(e, run, act, req.result, req.identity ?? '');
      return {};
    },
    RespondActivityTaskFailed(req) {
      const { run, act } = findActivity(e, req.taskToken);
      return failWithinLimits(e, run, act, req);
    },
    RespondActivityTaskFailedById(req) {
      const { run, act } = findActivityById(e, req);
      return failWithinLimits(e, run, act, req);
    },
    RespondActivityTaskCanceled(req) {
      const { run, act } = findActivity(e, req.taskToken);
      cancelWithinLimits(e, run, requireCancelRequested(act), req.details, req.identity ?? '');
      return {};
    },
    RespondActivityTaskCanceledById(req) {
      const { run, act } = findActivityById(e, req);
      cancelWithinLimits(e, run, requireCancelRequested(act), req.details, req.identity ?? '');
      return {};
    },
    ResetStickyTaskQueue(req) {
      const run = e.findRun(req.namespace, req.execution?.workflowId, req.execution?.runId || undefined);
      run.sticky = null;
      return {};
    },
    ShutdownWorker(req) {
      if (req.stickyTaskQueue) dropSticky(e, req.namespace, req.stickyTaskQueue);
      return {};
    },
    RecordWorkerHeartbeat() {
      return {};
    },
  };
}

/** An activity reports itself cancelled only after it was asked to (respondactivitytaskcanceled/api.go). */
function requireCancelRequested(act: ActivityState): ActivityState {
  if (!act.cancelRequested) throw invalidArgument('unable to mark activity as canceled without activity being request canceled first');
  return act;
}
