/**
 * One workflow run: its append-only history (events kept encoded) and the mutable state that is
 * a fold over that history (see apply.ts), plus the transient in-memory parts (waiters, tasks).
 */
import { Pb } from '../proto';
import { TimerHandle } from '../clock/clock';

export interface WorkflowTaskState {
  scheduledEventId: number;
  startedEventId: number; // 0 until started
  attempt: number;
  taskQueue: string;
  sticky: boolean;
  scheduledTime: number;
  startedTime: number;
  /** Attempts after the first write no events until one succeeds: Scheduled/Started are held here. */
  transient?: { scheduled: Pb; started?: Pb; atEventId: number };
  /** Scheduled only to deliver an update: dropped without a trace if the update is rejected. */
  speculative?: boolean;
  timer?: TimerHandle;
  /** Increments each time the task is (re)dispatched, so stale tokens are refused. */
  dispatch: number;
}

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  input: Pb;
  header: Pb;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  retryPolicy: Pb;
  scheduledTime: number;
  attempt: number;
  attemptScheduledTime: number;
  phase: 'scheduled' | 'started' | 'backoff';
  startedTime: number;
  startedIdentity: string;
  startedRequestId: string;
  /** When the running attempt last heartbeated (0: not yet). */
  lastHeartbeatTime: number;
  /** When the last failed attempt ended, and the backoff it was given (0 before any retry). */
  lastAttemptCompleteTime?: number;
  retryIntervalMs?: number;
  heartbeatDetails: Pb;
  lastFailure: Pb;
  lastWorkerIdentity: string;
  cancelRequested: boolean;
  cancelRequestedEventId?: number;
  timers: TimerHandle[];
}

export interface TimerState {
  timerId: string;
  startedEventId: number;
  fireTime: number;
  handle?: TimerHandle;
}

export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  runId: string; // '' until started
  startedEventId: number;
  parentClosePolicy: number;
}

export interface ExternalState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  runId: string;
  control: string;
  signalName?: string;
  input?: Pb;
  header?: Pb;
  /** A cancel request's reason, which the target records as the cause. */
  reason?: string;
  childWorkflowOnly: boolean;
}

export interface UpdateState {
  updateId: string;
  request: Pb;
  /**
   * admitted: waiting to be delivered; sent: delivered in a task; accepted; completed; rejected;
   * aborted: the run closed, or a completion failed its task, before accepting it (`abortedBy`
   * says how).
   */
  stage: 'admitted' | 'sent' | 'accepted' | 'completed' | 'rejected' | 'aborted';
  /**
   * Set with the aborted stage: the run closed and a new run follows (continue-as-new, retry,
   * cron) or none; or a completion failed its task after the update was sent, or before.
   */
  abortedBy?: 'continuing' | 'closing' | 'taskFailed' | 'cleared';
  acceptedEventId: number;
  /** Set when an UpdateAdmitted event holds the request (a reset's reapply): history delivers it. */
  admittedEventId?: number;
  outcome?: Pb;
  /** The run closed over the accepted update: its outcome is the server's failure, not the worker's. */
  closedOver?: true;
  waiters: Array<() => void>;
}

export interface QueryRequest {
  id: string;
  query: Pb;
  resolve(result: { answer?: Pb; error?: string; failure?: Pb }): void;
  /** Ends the query with an error of the call itself. */
  fail(err: Error): void;
}

export class Run {
  /** Encoded HistoryEvent messages; event id = index + 1. */
  readonly history: Buffer[] = [];
  historyBytes = 0;
  /** Events that arrived while a workflow task was started, written after it completes. */
  buffered: Pb[] = [];

  workflowType = '';
  taskQueue = '';
  status = 1; // Running
  startTime = 0;
  executionTime = 0;
  closeTime = 0;
  workflowTaskTimeoutMs = 10_000;
  runTimeoutMs = 0;
  executionExpiration = 0;
  firstExecutionRunId = '';
  attempt = 1;
  retryPolicy: Pb = null;
  cronSchedule = '';
  parent: { namespace: string; workflowId: string; runId: string; initiatedEventId: number } | null = null;
  root: { workflowId: string; runId: string } | null = null;
  memo: Record<string, Pb> = {};
  searchAttributes: Record<string, Pb> = {};
  userMetadata: Pb = null;
  /** Id of the run that continued this one (continue-as-new, retry), once closed that way. */
  newExecutionRunId = '';
  cancelRequested = false;
  previousStartedEventId = 0;
  lastCompletedWftEventId = 0;
  firstWftBackoffMs = 0;
  /** When a reset made this run (its task failed with RESET_WORKFLOW); start and timeouts count from then. */
  resetTime = 0;
  /** The run a reset made from this one (its children report there once this run is closed). */
  resetRunId = '';
  /** The run this one was reset from (restored from its RESET_WORKFLOW task failure). */
  resetBaseRunId = '';
  /** Start time of the run a reset copied this one from (the same as startTime without a reset). */
  originalStartTime = 0;
  executionTimeoutMs = 0;
  /** True once any workflow task was scheduled; before that a start delay may still hold it back. */
  firstTaskScheduled = false;

  wft: WorkflowTaskState | null = null;
  /** Attempt the next workflow task is scheduled with (a failed or timed-out task raises it). */
  nextWftAttempt = 1;
  sticky: { queue: string; scheduleToStartMs: number } | null = null;
  // Collections most runs never need are made on first use: a run waiting on a timer stays small.
  private _activities?: Map<number, ActivityState>;
  private _timers?: Map<string, TimerState>;
  private _children?: Map<number, ChildState>;
  private _externals?: Map<number, ExternalState>;
  private _updates?: Map<string, UpdateState>;
  private _signalRequestIds?: Set<string>;
  private _cancelRequestIds?: Set<string>;
  private _waiters?: Set<() => void>;
  get activities(): Map<number, ActivityState> { return (this._activities ??= new Map()); }
  get timers(): Map<string, TimerState> { return (this._timers ??= new Map()); }
  get children(): Map<number, ChildState> { return (this._children ??= new Map()); }
  get externals(): Map<number, ExternalState> { return (this._externals ??= new Map()); }
  get updates(): Map<string, UpdateState> { return (this._updates ??= new Map()); }
  get signalRequestIds(): Set<string> { return (this._signalRequestIds ??= new Set()); }
  get cancelRequestIds(): Set<string> { return (this._cancelRequestIds ??= new Set()); }
  /** Callbacks run after any change to history (long polls). */
  get waiters(): Set<() => void> { return (this._waiters ??= new Set()); }
  /** Read-only views that do not allocate. */
  get pendingActivities(): Iterable<ActivityState> { return this._activities?.values() ?? []; }
  get pendingTimers(): Iterable<TimerState> { return this._timers?.values() ?? []; }
  get pendingChildren(): Iterable<ChildState> { return this._children?.values() ?? []; }
  get pendingUpdates(): Iterable<UpdateState> { return this._updates?.values() ?? []; }

  /** Queries waiting for the next workflow task, and queries handed to a worker. */
  pendingQueries: QueryRequest[] = [];
  runTimer?: TimerHandle;
  backoffTimer?: TimerHandle;
  /** Start request id, for idempotent retries of the same start. */
  requestId = '';
  /** Sequence number in the durable log. */
  logId = 0;

  constructor(
    readonly namespace: string,
    readonly workflowId: string,
    readonly runId: string,
  ) {}

  get nextEventId(): number {
    return this.history.length + 1;
  }

  get isOpen(): boolean {
    return this.status === 1;
  }

  notify(): void {
    if (!this._waiters?.size) return;
    const ws = [...this._waiters];
    this._waiters.clear();
    for (const w of ws) w();
  }
}
