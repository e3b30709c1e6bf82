/** `trajectory status REF`: phase, deadlines ahead, timeline and rejected signals, through the workflow's queries. */
import type { Client } from '@temporalio/client';
import { amsterdamDate, formatDutchDate, formatIsoDate, parseIsoDate } from '../domain';
import { EXIT, type ExitCode } from './errors';
import { stdout, table, type Output } from './output';
import { findTrajectory, trajectoryStatus, type StatusView } from './trajectories';

export interface StatusOptions {
  readonly programme?: string;
  readonly json?: boolean;
  /** Only the last N timeline entries (default: all). */
  readonly last?: number;
}

function dutch(iso: string | undefined): string {
  return iso ? formatDutchDate(parseIsoDate(iso)) : '—';
}

export function printStatus(view: StatusView, options: StatusOptions, out: Output = stdout): void {
  const p = view.phase;
  out.line(`${view.workflowId}`);
  out.line(`  participant   ${view.participantRef ?? '—'}`);
  out.line(`  programme     ${view.programme.id} v${view.programme.version} (definition ${view.programme.fingerprint})`);
  out.line(`  workflow      ${view.executionStatus.toLowerCase()}, started ${view.startTime}${view.closeTime ? `, closed ${view.closeTime}` : ''}`);
  out.line(`  status        ${p.status}`);
  out.line(`  phase         ${p.phaseName} (${p.phaseId})${p.enteredOn ? ` since ${dutch(p.enteredOn)}` : ''}`);
  if (p.deadline) out.line(`  deadline      ${dutch(p.deadline)}${p.deadlineOverdue ? ' (passed, waiting for a decision)' : ''}`);
  if (p.extensionsGranted > 0 || p.extensionPending) {
    out.line(`  extension     ${p.extensionsGranted} granted${p.extensionPending ? ', a decision is still possible' : ''}`);
  }
  out.line(`  attention     ${p.needsAttention ? 'NEEDS ATTENTION' : 'no'}`);
  if (p.outcome) out.line(`  outcome       ${p.outcome.label} (${p.outcome.id}, ${p.outcome.category})`);
  out.line(`  now           ${p.details}`);
  out.line('');
  out.line(`Deadlines ahead (${view.deadlines.length}):`);
  if (view.deadlines.length === 0) out.line('  none');
  else {
    const rows = view.deadlines.map((d) => [
      formatIsoDate(amsterdamDate(Date.parse(d.at) - 1)),
      `${d.kind}${d.overdue ? ' (overdue)' : ''}`,
      d.label,
      d.date,
      d.notify.join(', ') || '—',
    ]);
    for (const line of table(['fires', 'kind', 'what', 'concerns', 'notifies'], rows)) out.line(`  ${line}`);
  }
  out.line('');
  const entries = options.last ? view.timeline.slice(-options.last) : view.timeline;
  out.line(`Timeline (${view.timeline.length} entries${entries.length < view.timeline.length ? `, last ${entries.length}` : ''}):`);
  const rows = entries.map((e) => [`#${e.seq}`, e.on, e.kind, e.phase ?? '', e.text]);
  for (const line of table(['seq', 'date', 'kind', 'phase', 'what'], rows)) out.line(`  ${line}`);
  out.line('');
  out.line(`Rejected signals (${view.rejectedSignals.length}):`);
  if (view.rejectedSignals.length === 0) out.line('  none');
  else {
    const rejectedRows = view.rejectedSignals.map((r) => [r.on, r.signal, r.phase ?? '', r.reason]);
    for (const line of table(['date', 'signal', 'phase', 'reason'], rejectedRows)) out.line(`  ${line}`);
  }
}

export async function statusCommand(client: Client, ref: string, options: StatusOptions): Promise<ExitCode> {
  const found = await findTrajectory(client, ref, options.programme);
  const view = await trajectoryStatus(client, found);
  if (options.json) stdout.json(view);
  else printStatus(view, options);
  return EXIT.ok;
}
