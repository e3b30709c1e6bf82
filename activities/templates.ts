/**
 * Dutch wording of partner notifications: a title and a one-line summary per
 * event type, and the plain-text e-mail. Everything here is written from a
 * `PartnerMessage` (or its already filtered fields), so it can only say what
 * the partner may know: a field that was left out is simply not mentioned.
 */
import { formatDutchDate, tryParseIsoDate } from '../domain';
import type { NotificationEventType } from '../workflows/activities-api';
import type { FieldValue, PartnerMessage } from './least-data';

type Fields = Readonly<Record<string, FieldValue>>;

/** The title of each event type: the e-mail subject after the programme name. */
export const EVENT_TITLES: Readonly<Record<NotificationEventType, string>> = {
  'assessment-completed': 'Assessment afgerond',
  'extension-decided': 'Besluit over verlenging',
  placement: 'Plaatsing',
  'assignment-started': 'Opdracht gestart',
  'assignment-ended': 'Opdracht beëindigd',
  dropout: 'Uitval',
  'diploma-obtained': 'Diploma behaald',
  'contract-decided': 'Besluit over contract',
  'case-manager-changed': 'Nieuwe klantmanager',
  withdrawal: 'Traject gestopt',
  'advice-delivered': 'Onderbouwd advies geleverd',
  'education-started': 'Gestart met opleiding',
  'support-requested': 'Ondersteuning gevraagd',
  'support-concluded': 'Ondersteuning afgerond',
  'trajectory-started': 'Traject gestart',
  'phase-entered': 'Nieuwe fase',
  'needs-attention': 'Aandacht nodig',
  'trajectory-ended': 'Traject afgerond',
  'deadline-reminder': 'Herinnering: termijn nadert',
  'deadline-escalation': 'Termijn verstreken zonder besluit',
};

/** Dutch labels of the fields notifications carry; other fields are shown by name. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  bsn: 'BSN',
  name: 'Naam',
  email: 'E-mail',
  phone: 'Telefoon',
  address: 'Adres',
  note: 'Toelichting',
  conclusion: 'Conclusie',
  granted: 'Verlenging toegekend',
  employer: 'Werkgever',
  withLks: 'Met loonkostensubsidie',
  lksEndDate: 'Einde loonkostensubsidie',
  reason: 'Reden',
  diploma: 'Diploma',
  offered: 'Contract aangeboden',
  caseManagerRef: 'Klantmanager (kenmerk)',
  followUp: 'Vervolg',
  education: 'Opleiding',
  level: 'Soort ondersteuning',
  programmeVersion: 'Versie programma',
  startDate: 'Startdatum',
  fingerprint: 'Kenmerk definitie',
  phaseId: 'Fase (code)',
  enteredOn: 'In deze fase sinds',
  dueOn: 'Uiterste datum',
  quietSince: 'Geen melding sinds',
  deadline: 'Termijn',
  deadlineId: 'Termijn (code)',
  extensionDecisionPending: 'Besluit over verlenging nodig',
  outcome: 'Uitkomst',
  category: 'Soort uitkomst',
};

export const ROLE_LABELS: Readonly<Record<string, string>> = {
  municipality: 'gemeente',
  'case-manager': 'klantmanager',
  'training-company': 'leerwerkbedrijf',
  employer: 'werkgever',
  school: 'school',
  'job-coach': 'jobcoach',
  specialist: 'specialist',
  intermediary: 'intermediair',
  'project-lead': 'projectleiding',
  'knowledge-centre': 'kenniscentrum',
  'benefit-agency': 'uitkeringsinstantie',
};

/** A value as a Dutch reader reads it: ja/nee, "30 april 2027", or the text itself. */
export function valueText(value: FieldValue): string {
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (typeof value === 'string') {
    const date = tryParseIsoDate(value);
    if (date) return formatDutchDate(date);
  }
  return String(value);
}

function has(f: Fields, name: string): boolean {
  return f[name] !== undefined;
}

/** " bij Havenbedrijf" when the field is there, "" when it is not. */
function part(f: Fields, name: string, before: string, after = ''): string {
  return has(f, name) ? `${before}${valueText(f[name])}${after}` : '';
}

function yesNo(f: Fields, name: string, yes: string, no: string, unknown: string): string {
  if (!has(f, name)) return unknown;
  return f[name] === true ? yes : f[name] === false ? no : `${unknown}: ${valueText(f[name])}`;
}

const SUMMARIES: Readonly<Record<NotificationEventType, (f: Fields) => string>> = {
  'assessment-completed': (f) => `Het assessment is afgerond${part(f, 'conclusion', ' met als conclusie: ')}`,
  'extension-decided': (f) => yesNo(f, 'granted', 'De verlenging is toegekend', 'De verlenging is afgewezen', 'Er is besloten over de verlenging'),
  placement: (f) => {
    const lks = has(f, 'withLks') ? yesNo(f, 'withLks', ', met loonkostensubsidie', ', zonder loonkostensubsidie', ', loonkostensubsidie') : '';
    return `De deelnemer is geplaatst${part(f, 'employer', ' bij ')}${lks}${part(f, 'lksEndDate', ' tot en met ')}`;
  },
  'assignment-started': (f) => `Een opdracht is gestart${part(f, 'employer', ' bij ')}`,
  'assignment-ended': (f) => `Een opdracht is beëindigd${part(f, 'employer', ' bij ')}`,
  dropout: (f) => `De deelnemer is uitgevallen${part(f, 'reason', ' (reden: ', ')')}`,
  'diploma-obtained': (f) => `Een diploma is behaald${part(f, 'diploma', ': ')}`,
  'contract-decided': (f) => yesNo(f, 'offered', 'Er is een contract aangeboden', 'Er is geen contract aangeboden', 'Er is besloten over een contract'),
  'case-manager-changed': () => 'Een nieuwe klantmanager heeft het traject overgenomen',
  withdrawal: (f) => `Het traject is gestopt${part(f, 'reason', ' (reden: ', ')')}`,
  'advice-delivered': (f) => `Een onderbouwd advies voor een vervolgtraject is geleverd${part(f, 'followUp', ' (vervolg: ', ')')}`,
  'education-started': (f) => `De deelnemer is gestart met een opleiding${part(f, 'education', ': ')}`,
  'support-requested': (f) =>
    has(f, 'level') ? `${f.level === 'specialist' ? 'Specialistische' : f.level === 'heavier' ? 'Zwaardere' : `${valueText(f.level)}:`} ondersteuning is gevraagd` : 'Extra ondersteuning is gevraagd',
  'support-concluded': () => 'De extra ondersteuning is afgerond; de begeleiding gaat verder op de werkvloer',
  'trajectory-started': (f) => `Het traject is gestart${part(f, 'startDate', ' op ')}`,
  'phase-entered': (f) => `Het traject is in een nieuwe fase${part(f, 'enteredOn', ' sinds ')}${part(f, 'dueOn', '; uiterste datum ')}`,
  'needs-attention': (f) => `Het traject vraagt aandacht${part(f, 'quietSince', ': geen melding sinds ')}`,
  'trajectory-ended': (f) => `Het traject is afgerond${part(f, 'outcome', ' met uitkomst ')}`,
  'deadline-reminder': (f) =>
    `Een termijn nadert${part(f, 'deadline', ': ')}${part(f, 'dueOn', ' op ')}${f.extensionDecisionPending === true ? '; een besluit over verlenging is nodig' : ''}`,
  'deadline-escalation': (f) => `Een termijn is verstreken zonder besluit${part(f, 'deadline', ': ')}${part(f, 'dueOn', ' op ')}`,
};

/** One Dutch sentence about the event, from the (already filtered) fields. */
export function summaryText(event: NotificationEventType, fields: Fields): string {
  return `${SUMMARIES[event](fields)}.`;
}

export function rolesText(roles: readonly string[]): string {
  const labels = roles.map((role) => ROLE_LABELS[role] ?? role);
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} en ${labels[labels.length - 1]}`;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
}

/** The plain-text e-mail for a partner message. */
export function renderEmail(message: PartnerMessage): RenderedEmail {
  const ref = message.participantRef !== undefined ? ` (deelnemer ${message.participantRef})` : '';
  const lines = [
    `Beste ${message.recipient.organisation},`,
    '',
    message.summary,
    '',
    `Programma: ${message.programme.name}`,
    `Gebeurtenis: ${EVENT_TITLES[message.event]}`,
    `Datum: ${valueText(message.occurredOn)}`,
  ];
  if (message.participantRef !== undefined) lines.push(`Deelnemer (kenmerk): ${message.participantRef}`);
  if (message.phase) lines.push(`Fase: ${message.phase.name}`);
  for (const [name, value] of Object.entries(message.fields)) lines.push(`${FIELD_LABELS[name] ?? name}: ${valueText(value)}`);
  lines.push(
    '',
    `Kenmerk van deze melding: ${message.id} (volgnummer ${message.sequence})`,
    '',
    `U ontvangt deze melding als ${rolesText(message.recipient.roles)} in dit programma. Zij bevat alleen de gegevens die u in die rol nodig hebt.`,
    'Dit is een automatisch bericht; een antwoord op dit bericht wordt niet gelezen.',
  );
  return { subject: `${message.programme.name}: ${EVENT_TITLES[message.event]}${ref}`, text: `${lines.join('\n')}\n` };
}
