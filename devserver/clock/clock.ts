/**
 * Engine time. Real mode follows the wall clock. Time-skipping mode keeps virtual time that runs at
 * wall speed while anything holds a lock, and jumps to the next timer when nothing does (as
 * Temporal's test server does). Every timer of the engine (user timers, timeouts, retry backoffs)
 * lives in one heap here.
 */
import { TimerHeap, TimerEntry } from './heap';

export interface TimerHandle {
  cancel(): void;
}

export class Clock {
  private heap = new TimerHeap();
  private seq = 0;
  private wakeup: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private anchorVirtual: number;
  private anchorWall: number;
  /**
   * Locks taken by clients (LockTimeSkipping) and the initial lock of the test-server form. As in
   * Temporal's test server there is one counter: a client may unlock while only in-flight work holds
   * locks (an activity that calls env.sleep), so this part may go below zero.
   */
  private userLocks = 0;
  /**
   * Locks held by in-flight work, by key (the run for its workflow task, the activity's state for
   * an activity), so that taking or releasing one twice is harmless.
   */
  private workLocks = new Set<object>();
  private skipScheduled = false;
  private stopped = false;

  constructor(readonly timeSkipping: boolean, initialLocks = 0, startAt = Date.now()) {
    this.anchorVirtual = startAt;
    this.anchorWall = Date.now();
    this.userLocks = initialLocks;
  }

  now(): number {
    return this.anchorVirtual + (Date.now() - this.anchorWall);
  }

  schedule(at: number, fn: () => void): TimerHandle {
    const e = new TimerEntry(at, this.seq++, fn, this.heap);
    this.heap.push(e);
    this.arm();
    return e;
  }

  after(ms: number, fn: () => void): TimerHandle {
    return this.schedule(this.now() + ms, fn);
  }

  get lockCount(): number {
    return this.userLocks + this.workLocks.size;
  }

  lock(): void {
    this.userLocks++;
  }

  /** Returns false when nothing holds a lock. */
  unlock(): boolean {
    if (this.lockCount <= 0) return false;
    this.userLocks--;
    this.arm();
    return true;
  }

  holdWork(key: object): void {
    this.workLocks.add(key);
  }

  releaseWork(key: object): void {
    if (this.workLocks.delete(key)) this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.wakeup) clearTimeout(this.wakeup);
  }

  /** Fire everything that is due, then (time skipping) jump ahead if nothing holds a lock. */
  private arm(): void {
    if (this.stopped) return;
    const next = this.heap.peek();
    if (!next) return;
    if (this.timeSkipping && this.lockCount <= 0) {
      if (!this.skipScheduled) {
        this.skipScheduled = true;
        setImmediate(() => {
          this.skipScheduled = false;
          this.tick();
        });
      }
      return;
    }
    const delay = next.at - this.now();
    if (this.wakeup && this.wakeAt <= next.at) return;
    if (this.wakeup) clearTimeout(this.wakeup);
    this.wakeAt = next.at;
    this.wakeup = setTimeout(() => {
      this.wakeup = undefined;
      this.wakeAt = Infinity;
      this.tick();
    }, Math.max(0, Math.min(delay, 2 ** 31 - 1)));
  }

  private tick(): void {
    if (this.stopped) return;
    let next = this.heap.peek();
    if (next && this.timeSkipping && this.lockCount <= 0 && next.at > this.now()) {
      this.anchorVirtual = next.at;
      this.anchorWall = Date.now();
    }
    const now = this.now();
    // Fire only the timers due at this instant; work they start may take locks and stop skipping.
    while ((next = this.heap.peek()) && next.at <= now) {
      this.heap.pop();
      next.fn();
    }
    this.arm();
  }
}
