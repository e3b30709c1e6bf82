/** Waiting on a run for new events, bounded by the caller's deadline and cancellation. */
import { Run } from '../state/run';
import { CallContext } from './server';

/** Long polls answer empty before the client's deadline (70 s in the SDK), as Temporal does at ~60 s. */
export function pollTimeout(ctx: CallContext, max = 60_000): number {
  return Math.max(0, Math.min(max, ctx.deadlineMs - 2_000));
}

/** Resolves when `ready()` holds, the caller cancels, or the time runs out. */
export function waitOnRun(run: Run, ready: () => boolean, ctx: CallContext): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      run.waiters.delete(check);
      resolve();
    };
    const check = () => {
      if (ready()) finish();
      else run.waiters.add(check);
    };
    const timer = setTimeout(finish, pollTimeout(ctx));
    ctx.onCancel(finish);
    run.waiters.add(check);
  });
}
