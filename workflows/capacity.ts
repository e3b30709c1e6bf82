/**
 * The programme-capacity workflow: one long-lived workflow per programme with
 * limited places (Balanz: 10 a year), id `capaciteit-<programme>`. Intake asks
 * for a place with the `request-place` update; the answer is "started" (the
 * trajectory runs) or "waiting, position N". When a trajectory ends it signals
 * `place-released`, and the next one on the waiting list starts. Places count
 * per calendar year in Europe/Amsterdam (see capacity-ledger.ts).
 *
 * Trajectories are started here as child workflows with ParentClosePolicy
 * ABANDON: the start is a command in this history, so a granted place and a
 * started trajectory can never disagree (no intake process has to be alive
 * to act on a "your turn" message), and ABANDON keeps them running when this
 * workflow continues as new (the default, TERMINATE, would end every running
 * trajectory at each continue-as-new). The end comes back as a signal to this
 * workflow id (not a run), so it reaches whichever run is current.
 *
 * The history stays bounded: after `historyLimit` events (or when the server
 * suggests it) the run continues as new, carrying the ledger.
 *
 * A trajectory that is terminated (rather than ending with an outcome) sends
 * nothing; staff free its place by sending `place-released` with its workflow id.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { amsterdamDate, calendarDate, formatDutchDate, formatIsoDate, parseIsoDate, startOfDayInAmsterdam } from '../domain';
import {
  capacityInputSchema,
  capacityQuery,
  DEFAULT_CAPACITY_HISTORY_LIMIT,
  leaveWaitingListSignal,
  placeReleasedSchema,
  placeReleasedSignal,
  placeRequestSchema,
  requestPlaceUpdate,
  waitingListQuery,
  type CapacityInput,
  type PlaceDecision,
  type PlaceRequest,
} from './capacity-api';
import { CapacityLedger } from './capacity-ledger';
import { checkTrajectoryInput } from './input';
import { TRAJECTORY_WORKFLOW_TYPE, trajectoryStartOptions } from './start-options';
import type { trajectory } from './trajectory';

const today = (): string => formatIsoDate(amsterdamDate(Date.now()));
const thisYear = (): number => amsterdamDate(Date.now()).year;
const issues = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string =>
  error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');

export async function programmeCapacity(raw: CapacityInput): Promise<void> {
  const parsed = capacityInputSchema.safeParse(raw);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid capacity input: ${issues(parsed.error)}`, 'InvalidCapacityInput');
  const input = parsed.data;
  const { programme } = input;
  const capacity = programme.capacity!; // the schema refuses a programme without it
  const trajectoryQueue = input.trajectoryTaskQueue ?? workflowInfo().taskQueue;
  const historyLimit = input.historyLimit ?? DEFAULT_CAPACITY_HISTORY_LIMIT;
  const ledger = new CapacityLedger(capacity.placesPerYear, thisYear(), input.carried);
  let changed = true;

  /** The trajectory's start input on the day its place is granted. */
  const trajectoryInput = (request: PlaceRequest) => {
    const day = today();
    const startDate = request.startDate !== undefined && request.startDate > day ? request.startDate : day;
    return { ...request, programme, startDate };
  };

  /** Takes a place and starts the trajectory as a child workflow; gives the place back if it cannot start. */
  const startTrajectory = async (request: PlaceRequest): Promise<{ workflowId: string; startDate: string; year: number }> => {
    const options = trajectoryStartOptions(trajectoryInput(request), trajectoryQueue);
    const holder = ledger.take(request.participantRef, options.workflowId, today());
    changed = true;
    try {
      await startChild<typeof trajectory>(TRAJECTORY_WORKFLOW_TYPE, { ...options, parentClosePolicy: ParentClosePolicy.ABANDON });
    } catch (error) {
      ledger.untake(options.workflowId);
      throw error;
    }
    return { workflowId: options.workflowId, startDate: options.args[0].startDate, year: holder.year };
  };

  setHandler(
    requestPlaceUpdate,
    async (raw: PlaceRequest): Promise<PlaceDecision> => {
      const request = placeRequestSchema.parse(raw);
      ledger.rollTo(thisYear());
      // First come, first served: nobody passes the waiting list.
      if (ledger.waitingCount === 0 && ledger.placesFree > 0) {
        try {
          const started = await startTrajectory(request);
          const day = formatDutchDate(parseIsoDate(started.startDate));
          return {
            status: 'started',
            participantRef: request.participantRef,
            ...started,
            placesUsed: ledger.placesUsed,
            placesPerYear: ledger.placesPerYear,
            text: `Plaats toegekend: ${started.workflowId} start op ${day}`,
          };
        } catch (error) {
          if (error instanceof WorkflowExecutionAlreadyStartedError) {
            throw ApplicationFailure.nonRetryable(`${request.participantRef} already has a running trajectory`, 'TrajectoryAlreadyRunning');
          }
          throw error;
        }
      }
      const position = ledger.enqueue(request, today());
      changed = true;
      return { status: 'waiting', participantRef: request.participantRef, position, text: `Op de wachtlijst: positie ${position}` };
    },
    {
      // A rejected request leaves no trace in the history.
      validator: (raw: PlaceRequest): void => {
        const request = placeRequestSchema.safeParse(raw);
        if (!request.success) throw new Error(`invalid place request: ${issues(request.error)}`);
        const ref = request.data.participantRef;
        const status = ledger.statusOf(ref);
        if (status?.kind === 'holding') throw new Error(`${ref} already holds a place (${status.holder.workflowId})`);
        if (status?.kind === 'waiting') throw new Error(`${ref} is already on the waiting list at position ${status.position}`);
        const check = checkTrajectoryInput(trajectoryInput(request.data));
        if (!check.ok) throw new Error(check.message);
        if (!capacity.waitingList && ledger.placesFree === 0) throw new Error(`no place free in ${ledger.year} and ${programme.id} keeps no waiting list`);
      },
    },
  );
  setHandler(placeReleasedSignal, (raw: unknown) => {
    const released = placeReleasedSchema.safeParse(raw);
    ledger.release(released.success ? released.data.workflowId : undefined);
    changed = true;
  });
  setHandler(leaveWaitingListSignal, (raw: unknown) => {
    const ref = typeof raw === 'object' && raw !== null ? (raw as { participantRef?: unknown }).participantRef : undefined;
    if (typeof ref === 'string' && ledger.leave(ref)) changed = true;
  });
  setHandler(capacityQuery, () => ({
    programmeId: programme.id,
    year: ledger.year,
    placesPerYear: ledger.placesPerYear,
    placesUsed: ledger.placesUsed,
    placesFree: ledger.placesFree,
    holders: ledger.holdersView(),
    waiting: ledger.waitingCount,
    granted: ledger.granted,
    released: ledger.released,
    ignoredReleases: ledger.ignoredReleases,
    runs: ledger.runs,
  }));
  setHandler(waitingListQuery, () => ledger.waitingView());

  // One timer for the turn of the year, only while somebody waits for a place.
  let yearTimerFor: number | undefined;
  const awaitNewYear = (): void => {
    if (ledger.waitingCount === 0 || ledger.placesFree > 0 || yearTimerFor === ledger.year) return;
    const next = ledger.year + 1;
    yearTimerFor = ledger.year;
    const at = startOfDayInAmsterdam(calendarDate(next, 1, 1));
    void sleep(Math.max(1, at - Date.now()), { summary: `Nieuwe plaatsen ${programme.name} op 1 januari ${next}` }).then(() => {
      changed = true;
    });
  };

  for (;;) {
    if (ledger.rollTo(thisYear())) changed = true;
    // Start the next on the list for every place free this year.
    for (let entry = ledger.takeNextWaiting(); entry; entry = ledger.takeNextWaiting()) {
      try {
        await startTrajectory(entry.request);
      } catch (error) {
        // A trajectory of this participant already runs (started outside this workflow): it leaves the list.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
          ledger.putBack(entry);
          throw error;
        }
      }
    }
    setCurrentDetails(
      `${ledger.year}: ${ledger.placesUsed} van ${ledger.placesPerYear} plaatsen bezet; ` +
        `${ledger.waitingCount === 0 ? 'niemand' : ledger.waitingCount} op de wachtlijst`,
    );
    awaitNewYear();
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= historyLimit) {
      // Let running update handlers answer first; the next run carries whatever they changed.
      await condition(allHandlersFinished);
      await continueAsNew<typeof programmeCapacity>({ ...input, carried: ledger.snapshot() });
    }
    changed = false;
    await condition(() => changed);
  }
}
