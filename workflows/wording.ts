/** User-facing wording (Dutch): timeline lines, timer summaries, current details. */
import { formatDutchDate, parseIsoDate, type CalendarDate, type Phase, type PartnerEventType } from '../domain';
import type { NotificationFields } from './activities-api';

export function dutchDate(date: CalendarDate): string {
  return formatDutchDate(date);
}

/** The name of a phase's deadline: its `deadlineLabel`, or "Einde <phase>". */
export function phaseDeadlineLabel(phase: Phase): string {
  return phase.deadlineLabel ?? `Einde ${phase.name.toLowerCase()}`;
}

function isoText(value: unknown): string {
  return typeof value === 'string' ? formatDutchDate(parseIsoDate(value)) : String(value);
}

/** One line describing a partner report. */
export function reportText(type: PartnerEventType, p: Readonly<Record<string, unknown>>): string {
  switch (type) {
    case 'assessment-completed':
      return `Assessment afgerond: ${String(p.conclusion)}`;
    case 'extension-decided':
      return p.granted ? 'Verlenging toegekend' : 'Verlenging afgewezen';
    case 'placement':
      return `Geplaatst bij ${String(p.employer)}, ${p.withLks ? `met LKS tot en met ${isoText(p.lksEndDate)}` : 'zonder LKS'}`;
    case 'assignment-started':
      return `Opdracht gestart bij ${String(p.employer)}`;
    case 'assignment-ended':
      return `Opdracht beëindigd bij ${String(p.employer)}`;
    case 'dropout':
      return `Uitval (${String(p.reason)})`;
    case 'diploma-obtained':
      return `Diploma behaald: ${String(p.diploma)}`;
    case 'contract-decided':
      return p.offered ? 'Contract aangeboden' : 'Geen contract aangeboden';
    case 'case-manager-changed':
      return 'Nieuwe klantmanager';
    case 'withdrawal':
      return `Traject beëindigd (${String(p.reason)})`;
    case 'advice-delivered':
      return 'Onderbouwd advies voor een vervolgtraject geleverd';
    case 'education-started':
      return `Gestart met opleiding: ${String(p.education)}`;
    case 'support-requested':
      return `${p.level === 'specialist' ? 'Specialistische' : 'Zwaardere'} ondersteuning gevraagd`;
    case 'support-concluded':
      return 'Ondersteuning afgerond';
  }
}

/** The payload's plain fields, for notifications (the partner's report id left out). */
export function plainFields(payload: Readonly<Record<string, unknown>> | undefined): NotificationFields {
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(payload ?? {})) {
    if (key === 'reportId') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return fields;
}

export function rolesText(roles: readonly string[]): string {
  return roles.join(', ');
}

/** JSON of a rejected payload, cut to a bounded length. */
export function payloadText(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? 'undefined';
  } catch {
    text = String(raw);
  }
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
