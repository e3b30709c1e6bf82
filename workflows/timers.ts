/**
 * One durable timer per planned item, each named by its summary (visible in
 * the Web UI as a pending timer). Reconciled after every change: a moved
 * deadline cancels its old timer and starts a new one; nothing polls.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { PlannedItem } from './plan';

export class TimerSet {
  private readonly running = new Map<string, CancellationScope>();

  /** `onFire` runs when any timer fires; the workflow then acts on whatever is due. */
  constructor(private readonly onFire: () => void) {}

  get size(): number {
    return this.running.size;
  }

  reconcile(items: readonly PlannedItem[], now: number): void {
    const wanted = new Map<string, PlannedItem>();
    for (const item of items) if (item.at > now) wanted.set(item.key, item);
    for (const [key, scope] of [...this.running]) {
      if (wanted.has(key)) continue;
      this.running.delete(key);
      scope.cancel();
    }
    for (const item of wanted.values()) {
      if (!this.running.has(item.key)) this.start(item, now);
    }
  }

  private start(item: PlannedItem, now: number): void {
    const scope = new CancellationScope();
    this.running.set(item.key, scope);
    scope.run(() => sleep(item.at - now, { summary: item.summary })).then(
      () => {
        if (this.running.get(item.key) === scope) this.running.delete(item.key);
        this.onFire();
      },
      (error: unknown) => {
        if (!isCancellation(error)) throw error;
      },
    );
  }
}
