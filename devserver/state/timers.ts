/** User timers: firing writes TimerFired and wakes the workflow. */
import { EventType as E } from '../enums';
import { Engine } from './engine';
import { Run, TimerState } from './run';
import { scheduleWorkflowTask } from './workflow-task';

export function fireTimer(e: Engine, run: Run, timer: TimerState): void {
  if (!run.isOpen || run.timers.get(timer.timerId) !== timer) return;
  run.timers.delete(timer.timerId); // no second firing while the event waits in the buffer
  e.appendOrBuffer(run, e.event(E.TIMER_FIRED, 'timerFiredEventAttributes', {
    timerId: timer.timerId,
    startedEventId: timer.startedEventId,
  }));
  scheduleWorkflowTask(e, run);
}

/** Re-arms the timers of a run restored from the log. */
export function armTimers(e: Engine, run: Run): void {
  for (const timer of run.pendingTimers) {
    timer.handle = e.clock.schedule(timer.fireTime, () => fireTimer(e, run, timer));
  }
}
