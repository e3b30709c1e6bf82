/** What a trajectory shows: query answers, the Web UI's current details, its result. */
import { formatIsoDate, getPhase, firstPhase, rolesToNotify } from '../domain';
import type { TrajectoryMachine } from './machine';
import { currentPhaseDeadline, deadlinesAhead, nextDeadline } from './plan';
import type { DeadlineView, OutcomeView, PhaseView, TrajectoryResult } from './state';
import { dutchDate } from './wording';

export function outcomeView(machine: TrajectoryMachine): OutcomeView | undefined {
  const o = machine.outcome;
  return o ? { id: o.id, label: o.label, category: o.category } : undefined;
}

/**
 * One line in plain words, e.g.
 * "Voortraject, verlenging toegekend; Einde voortraject 31 juli 2027".
 */
export function currentDetails(machine: TrajectoryMachine): string {
  if (machine.status === 'scheduled') {
    return `Start op ${dutchDate(machine.startDate)} met ${firstPhase(machine.programme).name}`;
  }
  if (machine.status === 'ended' || !machine.phase) {
    const outcome = machine.outcome;
    return `Afgerond${machine.endedOn ? ` op ${dutchDate(machine.endedOn)}` : ''}: ${outcome?.label ?? 'onbekend'}`;
  }
  const state = machine.phase;
  const phase = getPhase(machine.programme, state.id);
  let head = phase.name;
  if (state.lastExtensionDecision === 'granted') head += ', verlenging toegekend';
  else if (state.lastExtensionDecision === 'refused') head += ', verlenging afgewezen';
  const parts = [head];
  const next = nextDeadline(machine);
  if (next) {
    const decision = state.extensionPending && currentPhaseDeadline(machine)?.passesAt === next.at ? ' (besluit over verlenging nodig)' : '';
    parts.push(next.overdue
      ? `${next.label} op ${dutchDate(next.date)} verstreken, wacht op besluit`
      : `${next.label} ${dutchDate(next.date)}${decision}`);
  }
  if (machine.needsAttention) parts.push('aandacht nodig');
  return parts.join('; ');
}

export function phaseView(machine: TrajectoryMachine): PhaseView {
  const state = machine.phase;
  const phase = state ? getPhase(machine.programme, state.id) : firstPhase(machine.programme);
  const deadline = currentPhaseDeadline(machine);
  return {
    status: machine.status,
    programmeId: machine.programme.id,
    phaseId: phase.id,
    phaseName: phase.name,
    enteredOn: state ? formatIsoDate(state.enteredOn) : undefined,
    deadline: deadline ? formatIsoDate(deadline.date) : undefined,
    deadlineOverdue: state?.deadlinePassed ?? false,
    extensionsGranted: state?.extensionsGranted ?? 0,
    extensionPending: state?.extensionPending ?? false,
    needsAttention: machine.needsAttention,
    outcome: outcomeView(machine),
    details: currentDetails(machine),
  };
}

export function deadlinesView(machine: TrajectoryMachine): DeadlineView[] {
  return deadlinesAhead(machine, rolesToNotify(machine.programme, 'needs-attention'));
}

export function trajectoryResult(machine: TrajectoryMachine): TrajectoryResult {
  const outcome = outcomeView(machine);
  if (!outcome || !machine.endedOn) throw new Error('the trajectory has not ended');
  const { input, fingerprint, workflowId } = machine.context;
  return {
    workflowId,
    participantRef: input.participantRef,
    programme: { id: machine.programme.id, version: machine.programme.version, fingerprint },
    outcome,
    startedOn: formatIsoDate(machine.startDate),
    endedOn: formatIsoDate(machine.endedOn),
    phasesVisited: [...machine.visited],
    extensionsGranted: machine.extensionsGranted,
    firstPlacement: machine.firstPlacement
      ? { on: formatIsoDate(machine.firstPlacement.on), withLks: machine.firstPlacement.withLks }
      : undefined,
  };
}
