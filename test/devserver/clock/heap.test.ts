import { TimerEntry, TimerHeap } from '../../../devserver/clock/heap';

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('TimerHeap', () => {
  it('pops by fire time, then by insertion order, and a cancelled timer leaves at once', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = lcg(seed);
      const heap = new TimerHeap();
      const live: TimerEntry[] = [];
      let seq = 0;
      const popped: TimerEntry[] = [];
      for (let step = 0; step < 2000; step++) {
        const r = rnd();
        if (r < 0.5) {
          const e = new TimerEntry(Math.floor(rnd() * 50), seq++, () => undefined, heap);
          heap.push(e);
          live.push(e);
        } else if (r < 0.8 && live.length) {
          const [e] = live.splice(Math.floor(rnd() * live.length), 1);
          e.cancel();
          e.cancel(); // twice is harmless
        } else if (live.length) {
          const e = heap.pop()!;
          const expected = [...live].sort((x, y) => x.at - y.at || x.seq - y.seq)[0];
          expect(e).toBe(expected);
          live.splice(live.indexOf(e), 1);
          popped.push(e);
          e.cancel(); // after firing: no effect
        }
        expect(heap.size).toBe(live.length);
      }
      const rest: TimerEntry[] = [];
      for (let e = heap.pop(); e; e = heap.pop()) rest.push(e);
      expect(rest).toEqual([...live].sort((x, y) => x.at - y.at || x.seq - y.seq));
      expect(popped.every((e) => e.index === -1)).toBe(true);
    }
  });
});
