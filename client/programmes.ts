/** `trajectory programmes [ID]`: the built-in programmes and their phases. */
import { builtInProgrammes, formatDurationDutch, type Phase, type ProgrammeDefinition } from '../domain';
import { EXIT, notFoundError, type ExitCode } from './errors';
import { stdout, table } from './output';

function phaseLength(phase: Phase): string {
  if (phase.duration) return formatDurationDutch(phase.duration);
  if (phase.endsOnPayloadDate) return `until ${phase.endsOnPayloadDate}`;
  return 'open-ended';
}

function afterDeadline(phase: Phase): string {
  const parts: string[] = [];
  if (phase.extension) parts.push(`extension ${formatDurationDutch(phase.extension.duration)} ×${phase.extension.maxCount} (${phase.extension.approverRole})`);
  const action = phase.onDeadline;
  if (action && 'advanceTo' in action) {
    const to = action.advanceTo;
    parts.push(`then ${'phase' in to ? to.phase : 'outcome' in to ? to.outcome : 'outcome by result'}`);
  } else if (action) parts.push(`escalate to ${action.escalateTo.join(', ')}`);
  return parts.join('; ');
}

function nextSteps(phase: Phase): string {
  return phase.transitions
    .map((t) => `${t.on}${t.when ? ` ${JSON.stringify(t.when)}` : ''} → ${'phase' in t.to ? t.to.phase : 'outcome' in t.to ? t.to.outcome : 'result'}`)
    .join('; ');
}

export function printProgramme(p: ProgrammeDefinition): void {
  stdout.line(`${p.name} (${p.id} v${p.version})`);
  stdout.line(`  operator   ${p.partners.find((x) => x.role === p.operator)?.organisation ?? p.operator} (${p.operator})`);
  stdout.line(`  partners   ${p.partners.map((x) => `${x.organisation} (${x.role})`).join(', ')}`);
  if (p.regions.length > 0) stdout.line(`  regions    ${p.regions.map((r) => `${r.id} (${r.name})`).join(', ')}`);
  stdout.line(`  intake     ${p.intake.mode === 'cohorts' ? `rounds: ${p.intake.cohorts.map((c) => `${c.label} ${c.startDay}/${c.startMonth}`).join(', ')}` : 'continuous'}`);
  if (p.capacity) stdout.line(`  capacity   ${p.capacity.placesPerYear} places a year${p.capacity.waitingList ? ', waiting list' : ''}`);
  if (p.expectations?.extensionRate !== undefined) stdout.line(`  expected   ${Math.round(p.expectations.extensionRate * 100)}% of participants need an extension`);
  for (const d of p.deadlines) stdout.line(`  deadline   ${d.label} (${formatDurationDutch(d.after)} after entering ${d.startsWhenEntering})`);
  stdout.line('  phases:');
  const rows = p.phases.map((phase, i) => [`${i + 1}. ${phase.id}`, phase.name, phaseLength(phase), afterDeadline(phase), nextSteps(phase)]);
  for (const line of table(['phase', 'name', 'length', 'at the deadline', 'reports that move on'], rows)) stdout.line(`    ${line}`);
  stdout.line(`  outcomes   ${p.outcomes.map((o) => `${o.id} (${o.category})`).join(', ')}`);
}

export function programmesCommand(id: string | undefined, options: { json?: boolean }): ExitCode {
  const selected = id ? builtInProgrammes.filter((p) => p.id === id) : [...builtInProgrammes];
  if (id && selected.length === 0) throw notFoundError(`unknown programme "${id}"; programmes: ${builtInProgrammes.map((p) => p.id).join(', ')}`);
  if (options.json) {
    stdout.json(id ? selected[0] : selected);
    return EXIT.ok;
  }
  selected.forEach((p, i) => {
    if (i > 0) stdout.line('');
    printProgramme(p);
  });
  return EXIT.ok;
}
