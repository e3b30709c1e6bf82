/**
 * The trajectory workflow: walks one participant through the programme
 * definition it was started with (pinned: the full definition is in the start
 * input), generically for every programme. Deadlines are Europe/Amsterdam
 * calendar dates; each is a named durable timer. Partner reports arrive as
 * signals, are validated here and either change the trajectory or are recorded
 * as rejected. Partners hear of events through the `notifyPartners` activity.
 */
import {
  ApplicationFailure,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setDefaultSignalHandler,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { PARTNER_EVENT_TYPES, programmeFingerprint } from '../domain';
import type { PartnerNotification, TrajectoryActivities } from './activities-api';
import { releaseCapacityPlace } from './capacity-release';
import { checkTrajectoryInput, PINNED_MEMO, type TrajectoryInput } from './input';
import { TrajectoryMachine } from './machine';
import { nextDeadline, plan } from './plan';
import { deadlinesQuery, phaseQuery, programmeQuery, rejectedSignalsQuery, timelineQuery } from './queries';
import { SearchAttributeTracker, type TrajectoryAttributeValues } from './search-attributes';
import { partnerSignals } from './signals';
import type { TrajectoryResult } from './state';
import { NOTIFY_LOCAL_OPTIONS, NOTIFY_OPTIONS, smallHistories } from './small-histories';
import { TimerSet } from './timers';
import { currentDetails, deadlinesView, phaseView, trajectoryResult } from './views';
import { rolesText } from './wording';

export { NOTIFY_OPTIONS } from './small-histories';

const { notifyPartners } = proxyActivities<TrajectoryActivities>(NOTIFY_OPTIONS);
const local = proxyLocalActivities<TrajectoryActivities>(NOTIFY_LOCAL_OPTIONS);

function attributeValues(machine: TrajectoryMachine): TrajectoryAttributeValues {
  const next = machine.status === 'ended' ? undefined : nextDeadline(machine);
  return {
    programme: machine.programme.id,
    phase: machine.phase?.id ?? machine.programme.phases[0].id,
    region: machine.context.input.region,
    municipality: machine.context.input.municipality,
    nextDeadline: next ? new Date(next.at) : undefined,
    outcome: machine.outcome?.id,
    needsAttention: machine.needsAttention,
  };
}

export async function trajectory(input: TrajectoryInput): Promise<TrajectoryResult> {
  const checked = checkTrajectoryInput(input);
  if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.message, 'InvalidTrajectoryInput');
  // The fingerprint of the definition exactly as recorded in the start input, so that it
  // cannot change on replay even if the schema's defaults change later.
  const fingerprint = programmeFingerprint(input.programme);
  const info = workflowInfo();
  // Before anything else, so every history is either wholly before or wholly after the change.
  const small = smallHistories();
  const notify = small ? local.notifyPartners : notifyPartners;
  const machine = new TrajectoryMachine(
    { input: checked.input, fingerprint, workflowId: info.workflowId, runKey: info.firstExecutionRunId },
    Date.now(),
  );
  let changed = true;

  for (const type of PARTNER_EVENT_TYPES) {
    setHandler(partnerSignals[type], (payload: unknown) => {
      machine.report(type, payload, Date.now());
      changed = true;
    });
  }
  setDefaultSignalHandler((signalName: string, ...args: unknown[]) => {
    machine.rejectUnknown(signalName, args[0], Date.now());
    changed = true;
  });
  setHandler(phaseQuery, () => phaseView(machine));
  setHandler(deadlinesQuery, () => deadlinesView(machine));
  setHandler(timelineQuery, () => [...machine.timeline]);
  setHandler(rejectedSignalsQuery, () => [...machine.rejected]);
  setHandler(programmeQuery, () => ({ id: machine.programme.id, version: machine.programme.version, fingerprint }));

  const memo = info.memo ?? {};
  if (memo[PINNED_MEMO.fingerprint] !== fingerprint || memo[PINNED_MEMO.version] !== machine.programme.version) {
    upsertMemo({
      [PINNED_MEMO.id]: machine.programme.id,
      [PINNED_MEMO.version]: machine.programme.version,
      [PINNED_MEMO.fingerprint]: fingerprint,
    });
  }

  const attributes = new SearchAttributeTracker(info.typedSearchAttributes);
  const timers = new TimerSet(() => {
    changed = true;
  }, small);
  const deliveries: Promise<void>[] = [];
  const deliver = (notification: PartnerNotification): Promise<void> =>
    notify
      .executeWithOptions({ summary: `Melding ${notification.event} aan ${rolesText(notification.roles)}` }, [notification])
      .then(
        () => undefined,
        (error: unknown) => {
          machine.notificationFailed(notification, error instanceof Error ? error.message : String(error), Date.now());
          changed = true;
        },
      );

  for (;;) {
    const now = Date.now();
    machine.fireDue(now);
    for (const notification of machine.drainOutbox()) deliveries.push(deliver(notification));
    const updates = attributes.changes(attributeValues(machine));
    if (updates.length > 0) upsertSearchAttributes(updates);
    setCurrentDetails(currentDetails(machine));
    if (machine.status === 'ended') break;
    timers.reconcile(plan(machine), now);
    changed = false;
    await condition(() => changed);
  }

  // A place held in a capacity workflow is free as soon as the trajectory ends (patched: see capacity-release.ts).
  const released = releaseCapacityPlace(info, machine.programme, trajectoryResult(machine));
  await Promise.all(deliveries);
  await released;
  return trajectoryResult(machine);
}
