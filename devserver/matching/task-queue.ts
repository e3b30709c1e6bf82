/**
 * Matching: a queue of tasks per task queue and the long polls waiting on it.
 * A task is a function that builds the poll response when a poller takes it, or returns
 * undefined when it went stale meanwhile (its run closed, its activity was cancelled...).
 */
export type TaskKind = 'workflow' | 'activity';

export interface PendingTask<R> {
  /** Builds the response for the poller, or undefined if the task is no longer valid. */
  take(identity: string): R | undefined;
}

interface Poller<R> {
  identity: string;
  resolve(task: R | undefined): void;
  timer: NodeJS.Timeout;
}

export interface PollerInfo {
  identity: string;
  lastAccessTime: number;
}

export class TaskQueue<R> {
  private tasks: PendingTask<R>[] = [];
  private head = 0;
  private pollers: Poller<R>[] = [];
  readonly recentPollers = new Map<string, PollerInfo>();
  lastPollTime = 0;

  constructor(readonly name: string, readonly kind: TaskKind, private readonly now: () => number) {}

  get backlog(): number {
    return this.tasks.length - this.head;
  }

  get hasPollers(): boolean {
    return this.pollers.length > 0;
  }

  add(task: PendingTask<R>): void {
    while (this.pollers.length) {
      const p = this.pollers.shift()!;
      const r = task.take(p.identity);
      clearTimeout(p.timer);
      p.resolve(r);
      return;
    }
    this.tasks.push(task);
  }

  /** Waits up to `timeoutMs` for a task; resolves undefined on timeout or cancel. */
  poll(identity: string, timeoutMs: number, onCancel: (cancel: () => void) => void): Promise<R | undefined> {
    this.lastPollTime = Date.now();
    this.recentPollers.set(identity, { identity, lastAccessTime: this.now() });
    while (this.head < this.tasks.length) {
      const t = this.tasks[this.head];
      this.tasks[this.head++] = undefined as unknown as PendingTask<R>;
      if (this.head > 1024 && this.head * 2 > this.tasks.length) {
        this.tasks = this.tasks.slice(this.head);
        this.head = 0;
      }
      const r = t.take(identity);
      if (r !== undefined) return Promise.resolve(r);
    }
    return new Promise((resolve) => {
      const poller: Poller<R> = {
        identity,
        resolve,
        timer: setTimeout(() => this.drop(poller), timeoutMs),
      };
      this.pollers.push(poller);
      onCancel(() => this.drop(poller));
    });
  }

  /** Takes back tasks that were never matched (to move them to another queue). */
  drain(): PendingTask<R>[] {
    const out = this.tasks.slice(this.head);
    this.tasks = [];
    this.head = 0;
    return out;
  }

  private drop(p: Poller<R>): void {
    const i = this.pollers.indexOf(p);
    if (i >= 0) {
      this.pollers.splice(i, 1);
      clearTimeout(p.timer);
      p.resolve(undefined);
    }
  }
}

/** All task queues of one namespace, by kind and name. */
export class TaskQueues<W, A> {
  readonly workflow = new Map<string, TaskQueue<W>>();
  readonly activity = new Map<string, TaskQueue<A>>();

  constructor(private readonly now: () => number) {}

  wf(name: string): TaskQueue<W> {
    let q = this.workflow.get(name);
    if (!q) this.workflow.set(name, (q = new TaskQueue<W>(name, 'workflow', this.now)));
    return q;
  }

  act(name: string): TaskQueue<A> {
    let q = this.activity.get(name);
    if (!q) this.activity.set(name, (q = new TaskQueue<A>(name, 'activity', this.now)));
    return q;
  }
}
