/**
 * A binary min-heap of timers ordered by fire time, then insertion order. Each entry knows its
 * place, so a cancelled timer leaves the heap at once: most engine timers are timeouts cancelled
 * within milliseconds, and kept until their time (10 s for a workflow task, minutes for an
 * activity) they piled up by the thousands under load (some 8,000 in the engine benchmark).
 */
export class TimerEntry {
  /** Position in the heap; -1 once fired or cancelled. */
  index = -1;

  constructor(
    readonly at: number,
    readonly seq: number,
    public fn: () => void,
    private readonly heap: TimerHeap,
  ) {}

  cancel(): void {
    if (this.index >= 0) this.heap.remove(this);
  }
}

export class TimerHeap {
  private items: TimerEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): TimerEntry | undefined {
    return this.items[0];
  }

  push(e: TimerEntry): void {
    e.index = this.items.length;
    this.items.push(e);
    this.up(e.index);
  }

  pop(): TimerEntry | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  remove(e: TimerEntry): void {
    const a = this.items;
    const i = e.index;
    e.index = -1;
    const last = a.pop()!;
    if (last === e) return;
    a[i] = last;
    last.index = i;
    if (i > 0 && less(last, a[(i - 1) >> 1])) this.up(i);
    else this.down(i);
  }

  private up(i: number): void {
    const a = this.items;
    const e = a[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, a[p])) break;
      a[i] = a[p];
      a[i].index = i;
      i = p;
    }
    a[i] = e;
    e.index = i;
  }

  private down(i: number): void {
    const a = this.items;
    const e = a[i];
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && less(a[r], a[l]) ? r : l;
      if (!less(a[m], e)) break;
      a[i] = a[m];
      a[i].index = i;
      i = m;
    }
    a[i] = e;
    e.index = i;
  }
}

function less(x: TimerEntry, y: TimerEntry): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
