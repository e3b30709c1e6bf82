/**
 * One durable timer per planned item, each named by its summary (visible in
 * the Web UI as a pending timer). Reconciled after every change: a moved
 * deadline cancels its old timer and starts a new one; nothing polls.
 *
 * With `keepAttention` (patch `small-histories`, see small-histories.ts) the
 * "needs attention" timer is not cancelled and restarted on every report: the
 * running one stays as long as it fires no later than the moment now wanted.
 * When it fires early, nothing is due yet and the next reconcile starts one
 * for the remainder of the quiet period.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { PlannedItem } from './plan';

interface Running {
  readonly scope: CancellationScope;
  readonly item: PlannedItem;
}

export class TimerSet {
  private readonly running = new Map<string, Running>();

  /** `onFire` runs when any timer fires; the workflow then acts on whatever is due. */
  constructor(
    private readonly onFire: () => void,
    private readonly keepAttention = false,
  ) {}

  get size(): number {
    return this.running.size;
  }

  reconcile(items: readonly PlannedItem[], now: number): void {
    const wanted = new Map<string, PlannedItem>();
    for (const item of items) if (item.at > now) wanted.set(item.key, item);
    if (this.keepAttention) this.keepEarlierAttention(wanted);
    for (const [key, running] of [...this.running]) {
      if (wanted.has(key)) continue;
      this.running.delete(key);
      running.scope.cancel();
    }
    for (const item of wanted.values()) {
      if (!this.running.has(item.key)) this.start(item, now);
    }
  }

  /** A running attention timer due no later than the wanted one stands in for it (its firing re-checks). */
  private keepEarlierAttention(wanted: Map<string, PlannedItem>): void {
    const want = [...wanted.values()].find((item) => item.ref.type === 'attention');
    if (!want) return;
    for (const [key, running] of this.running) {
      if (running.item.ref.type !== 'attention' || key === want.key || running.item.at > want.at) continue;
      wanted.delete(want.key);
      wanted.set(key, running.item);
      return;
    }
  }

  private start(item: PlannedItem, now: number): void {
    const scope = new CancellationScope();
    this.running.set(item.key, { scope, item });
    scope.run(() => sleep(item.at - now, { summary: item.summary })).then(
      () => {
        if (this.running.get(item.key)?.scope === scope) this.running.delete(item.key);
        this.onFire();
      },
      (error: unknown) => {
        if (!isCancellation(error)) throw error;
      },
    );
  }
}
