/** The programme-capacity workflow on the engine, with time skipping: Balanz's 10 places a year and its waiting list. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { eraseParticipant } from '../../activities/erasure';
import { getBuiltInProgramme } from '../../domain';
import { Keyring, ParticipantKeyStore } from '../../privacy';
import { programmeCapacity } from '../../workflows';
import { partnerSignals as signal, phaseQuery, trajectoryWorkflowId, type TrajectoryResult } from '../../workflows/api';
import {
  capacityQuery,
  capacityStartOptions,
  leaveWaitingListSignal,
  placeReleasedSignal,
  requestPlaceUpdate,
  waitingListQuery,
  type PlaceDecision,
  type PlaceRequest,
} from '../../workflows/capacity-api';
import { nextYear, skipToDate, startHarness, startTrajectory, withWorker, type Harness, type TrajectoryHandle } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('capacity');
});
afterAll(async () => {
  await h?.env.teardown();
});

const BALANZ = 'balanz-at-work-kerkrade';
type CapacityHandle = WorkflowHandle<typeof programmeCapacity>;

function startCapacity(workflowId: string, historyLimit?: number): Promise<CapacityHandle> {
  const options = capacityStartOptions({ programme: getBuiltInProgramme(BALANZ), historyLimit }, h.taskQueue);
  return h.env.client.workflow.start(programmeCapacity, { ...options, workflowId });
}

const request = (capacity: CapacityHandle, participantRef: string, extra: Partial<PlaceRequest> = {}): Promise<PlaceDecision> =>
  capacity.executeUpdate(requestPlaceUpdate, { args: [{ participantRef, municipality: 'Kerkrade', attentionAfterWeeks: 104, ...extra }] });

const trajectoryOf = (ref: string): TrajectoryHandle => h.env.client.workflow.getHandle(trajectoryWorkflowId(BALANZ, ref));

test('the 11th intake in a year waits; a place freed on the Balanz waiting list starts the next participant', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    // Time only moves while a worker runs (a pending workflow task holds the clock).
    await skipToDate(h.env, `${y}-01-05`);
    // Intake's first request creates the capacity workflow if it is not running yet (update-with-start).
    const options = capacityStartOptions({ programme: getBuiltInProgramme(BALANZ) }, h.taskQueue);
    const first = await h.env.client.workflow.executeUpdateWithStart(requestPlaceUpdate, {
      args: [{ participantRef: 'p-cap-01', municipality: 'Kerkrade' }],
      startWorkflowOperation: new WithStartWorkflowOperation(programmeCapacity, { ...options, workflowIdConflictPolicy: 'USE_EXISTING' }),
    });
    expect(first).toEqual({
      status: 'started',
      participantRef: 'p-cap-01',
      workflowId: 'traject-balanz-at-work-kerkrade-p-cap-01',
      startDate: `${y}-01-05`,
      year: y,
      placesUsed: 1,
      placesPerYear: 10,
      text: `Plaats toegekend: traject-balanz-at-work-kerkrade-p-cap-01 start op 5 januari ${y}`,
    });
    const capacity: CapacityHandle = h.env.client.workflow.getHandle(options.workflowId);
    expect(capacity.workflowId).toBe('capaciteit-balanz-at-work-kerkrade');

    const decisions: PlaceDecision[] = [];
    for (let i = 2; i <= 12; i++) decisions.push(await request(capacity, `p-cap-${String(i).padStart(2, '0')}`));
    expect(decisions.map((d) => (d.status === 'started' ? `started ${d.placesUsed}/10` : `waiting ${d.position}`))).toEqual([
      ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `started ${n}/10`),
      'waiting 1',
      'waiting 2',
    ]);
    expect(decisions[9]).toMatchObject({ participantRef: 'p-cap-11', text: 'Op de wachtlijst: positie 1' });
    expect(await capacity.query(capacityQuery)).toMatchObject({ year: y, placesPerYear: 10, placesUsed: 10, placesFree: 0, waiting: 2, granted: 10 });
    expect(await capacity.query(waitingListQuery)).toEqual([
      { position: 1, participantRef: 'p-cap-11', since: `${y}-01-05` },
      { position: 2, participantRef: 'p-cap-12', since: `${y}-01-05` },
    ]);

    // A started trajectory is the capacity workflow's child and runs as any other.
    const third = trajectoryOf('p-cap-03');
    expect((await third.describe()).parentExecution?.workflowId).toBe('capaciteit-balanz-at-work-kerkrade');
    expect(await third.query(phaseQuery)).toMatchObject({ status: 'active', phaseId: 'voorschakeltraject', enteredOn: `${y}-01-05` });

    // Asking twice is refused before it reaches the history.
    const twice = await request(capacity, 'p-cap-03').catch((error: unknown) => error);
    expect(twice).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((twice as WorkflowUpdateFailedError).cause?.message)).toMatch(/p-cap-03 already holds a place \(traject-balanz-at-work-kerkrade-p-cap-03\)/);
    const personal = await request(capacity, 'jan-de-vries-123456782').catch((error: unknown) => error);
    expect(String((personal as WorkflowUpdateFailedError).cause?.message)).toMatch(/looks like a BSN/);

    // p-cap-03 drops out on 20 March: the place is free, p-cap-11 starts that day.
    await skipToDate(h.env, `${y}-03-20`);
    await third.signal(signal.dropout, { reason: 'health' });
    expect((await third.result()).outcome.id).toBe('uitval');
    await skipToDate(h.env, `${y}-03-21`);
    expect(await trajectoryOf('p-cap-11').query(phaseQuery)).toMatchObject({ status: 'active', enteredOn: `${y}-03-20` });
    expect(await capacity.query(waitingListQuery)).toEqual([{ position: 1, participantRef: 'p-cap-12', since: `${y}-01-05` }]);
    expect(await capacity.query(capacityQuery)).toMatchObject({ placesUsed: 10, waiting: 1, granted: 11, released: 1 });

    // A permanent job frees a place too.
    const fifth = trajectoryOf('p-cap-05');
    await fifth.signal(signal['assessment-completed'], { conclusion: 'ready-for-placement' });
    await skipToDate(h.env, `${y}-10-01`);
    await fifth.signal(signal['contract-decided'], { offered: true });
    expect((await fifth.result()).outcome.id).toBe('vast-contract');
    await skipToDate(h.env, `${y}-10-02`);
    expect(await trajectoryOf('p-cap-12').query(phaseQuery)).toMatchObject({ status: 'active', enteredOn: `${y}-10-01` });
    expect(await capacity.query(capacityQuery)).toMatchObject({ placesUsed: 10, waiting: 0, granted: 12, released: 2 });
    const holders = (await capacity.query(capacityQuery)).holders.map((holder) => holder.participantRef);
    expect(holders).not.toContain('p-cap-03');
    expect(holders).toContain('p-cap-12');

    // Places count per calendar year: on 1 January the next on the list starts although this year's ten still run.
    const late = await request(capacity, 'p-cap-13');
    expect(late).toMatchObject({ status: 'waiting', position: 1 });
    await skipToDate(h.env, `${y + 1}-01-02`);
    expect(await trajectoryOf('p-cap-13').query(phaseQuery)).toMatchObject({ status: 'active', enteredOn: `${y + 1}-01-01` });
    expect(await capacity.query(capacityQuery)).toMatchObject({ year: y + 1, placesUsed: 1, placesFree: 9, waiting: 0 });
    expect(await request(capacity, 'p-cap-14')).toMatchObject({ status: 'started', year: y + 1, placesUsed: 2, startDate: `${y + 1}-01-02` });
    // A participant whose trajectory was started outside the capacity workflow gets no second one; the place stays free.
    await startTrajectory(h, { participantRef: 'p-cap-15', programme: BALANZ, startDate: `${y + 1}-01-02`, attentionAfterWeeks: 104 });
    const duplicate = await request(capacity, 'p-cap-15').catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((duplicate as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'TrajectoryAlreadyRunning', message: 'p-cap-15 already has a running trajectory' });
    expect(await capacity.query(capacityQuery)).toMatchObject({ placesUsed: 2, granted: 14 });
    // Let p-cap-14's first notification finish before the worker stops: an activity polled by a stopping worker
    // stays started until its timeout, and holds the engine's virtual clock meanwhile.
    await skipToDate(h.env, `${y + 1}-01-03`);
  });
});

test('continue-as-new keeps the waiting list and the places; trajectories keep running and free their place in the new run', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    await skipToDate(h.env, `${y}-02-01`);
    const capacity = await startCapacity('capaciteit-balanz-can-test', 20);
    const firstRunId = (await capacity.describe()).runId;
    const decisions: PlaceDecision[] = [];
    for (let i = 1; i <= 14; i++) decisions.push(await request(capacity, `p-can-${String(i).padStart(2, '0')}`));
    expect(decisions.filter((d) => d.status === 'started')).toHaveLength(10);
    expect(decisions.slice(10).map((d) => (d.status === 'waiting' ? d.position : 0))).toEqual([1, 2, 3, 4]);

    await capacity.signal(leaveWaitingListSignal, { participantRef: 'p-can-12' });
    await capacity.signal(placeReleasedSignal, { workflowId: 'traject-balanz-at-work-kerkrade-p-unknown', participantRef: 'p-unknown' });
    const view = await capacity.query(capacityQuery);
    expect(view).toMatchObject({ placesUsed: 10, waiting: 3, granted: 10, ignoredReleases: 1 });
    expect(view.runs).toBeGreaterThanOrEqual(2);
    expect(await capacity.query(waitingListQuery)).toEqual([
      { position: 1, participantRef: 'p-can-11', since: `${y}-02-01` },
      { position: 2, participantRef: 'p-can-13', since: `${y}-02-01` },
      { position: 3, participantRef: 'p-can-14', since: `${y}-02-01` },
    ]);

    // The first run closed with continue-as-new, its history bounded; its children were not terminated.
    const firstRun = await h.env.client.workflow.getHandle(capacity.workflowId, firstRunId).fetchHistory();
    const events = firstRun.events ?? [];
    expect(events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(events.length).toBeLessThan(40);
    const firstChild = trajectoryOf('p-can-01');
    expect((await firstChild.describe()).status.name).toBe('RUNNING');
    expect((await firstChild.describe()).parentExecution?.runId).toBe(firstRunId);

    // It ends, and the run current now starts the next on the list.
    await skipToDate(h.env, `${y}-04-15`);
    await firstChild.signal(signal.withdrawal, { reason: 'moved-away' });
    const ended: TrajectoryResult = await firstChild.result();
    expect(ended.outcome.id).toBe('teruggetrokken');
    await skipToDate(h.env, `${y}-04-16`);
    expect(await trajectoryOf('p-can-11').query(phaseQuery)).toMatchObject({ status: 'active', enteredOn: `${y}-04-15` });
    expect(await capacity.query(waitingListQuery)).toEqual([
      { position: 1, participantRef: 'p-can-13', since: `${y}-02-01` },
      { position: 2, participantRef: 'p-can-14', since: `${y}-02-01` },
    ]);
    expect(await capacity.query(capacityQuery)).toMatchObject({ placesUsed: 10, granted: 11, released: 1 });

    // Erasing a participant who waits takes them off the list (and no trajectory starts for them later).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-erasure-'));
    const keys = ParticipantKeyStore.open(path.join(dir, 'keys'), new Keyring([{ id: 'k-cap', key: randomBytes(32), createdAt: '2026-01-01T00:00:00.000Z' }]));
    keys.keyFor('p-can-13');
    const record = await eraseParticipant({ client: h.env.client, keys, logFile: path.join(dir, 'erasures.jsonl') }, 'p-can-13', 'request');
    expect(record).toMatchObject({ trajectories: [], leftWaitingLists: [capacity.workflowId] });
    expect(await capacity.query(waitingListQuery)).toEqual([{ position: 1, participantRef: 'p-can-14', since: `${y}-02-01` }]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
