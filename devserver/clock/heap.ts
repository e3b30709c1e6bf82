/** A binary min-heap of timers ordered by fire time, then insertion order. */
export interface TimerEntry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class TimerHeap {
  private items: TimerEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): TimerEntry | undefined {
    while (this.items.length && this.items[0].cancelled) this.pop();
    return this.items[0];
  }

  push(e: TimerEntry): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  pop(): TimerEntry | undefined {
    const a = this.items;
    if (!a.length) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function less(x: TimerEntry, y: TimerEntry): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
