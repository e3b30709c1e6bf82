/**
 * Seeded random partner reports for the cohort benchmark: for each
 * participant, a start date and the reports partners send on which dates,
 * following the paths of the five programmes (40% extensions in
 * Kwalificatiebanen, from its definition's expectations). Pure: the same seed
 * gives the same cohort.
 */
import {
  addDays,
  addMonths,
  formatIsoDate,
  getBuiltInProgramme,
  isAfter,
  parseIsoDate,
  type CalendarDate,
  type PartnerEventType,
} from '../domain';

export interface PlannedReport {
  readonly date: string;
  readonly signal: PartnerEventType;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface CohortPlan {
  readonly participantRef: string;
  readonly programme: string;
  readonly startDate: string;
  readonly region?: string;
  readonly municipality?: string;
  /** A short name of the path drawn, e.g. "extension, placement with LKS". */
  readonly path: string;
  readonly reports: readonly PlannedReport[];
  /** After this date the trajectory has surely ended (the last report plus any automatic phases). */
  readonly endsBy: string;
}

export const COHORT_PROGRAMMES = ['kwalificatiebanen', 'balanz-at-work-kerkrade', 'welslagen', 'logistiek-west-brabant', 'iss-inclusief'] as const;

/** mulberry32: a small, fast, seeded generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const between = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const iso = formatIsoDate;

class Reports {
  readonly list: PlannedReport[] = [];
  readonly path: string[] = [];
  add(date: CalendarDate, signal: PartnerEventType, payload: Record<string, unknown> = {}): CalendarDate {
    this.list.push({ date: iso(date), signal, payload });
    return date;
  }
}

function placement(r: Random, on: CalendarDate, lksChance: number): Record<string, unknown> {
  const employer = pick(r, ['Havenbedrijf Rotterdam', 'Zorgcentrum Zuid', 'Logistiek Rijnmond', 'Schoonmaak BV', 'Bouwbedrijf West']);
  if (r() >= lksChance) return { employer, withLks: false };
  return { employer, withLks: true, lksEndDate: iso(addMonths(on, between(r, 6, 12))) };
}

function kwalificatiebanen(r: Random, s: CalendarDate, rep: Reports, extensionRate: number): CalendarDate {
  const extended = r() < extensionRate;
  rep.add(addDays(s, between(r, 14, 35)), 'assessment-completed', { conclusion: extended ? 'needs-training' : 'ready-for-placement' });
  let placedOn: CalendarDate;
  if (extended) {
    rep.add(addDays(addMonths(s, 3), -between(r, 3, 12)), 'extension-decided', { granted: true });
    const x = r();
    if (x < 0.6) placedOn = addDays(addMonths(s, 3), between(r, 10, 80));
    else if (x < 0.9) return rep.add(addDays(addMonths(s, 6), -5), 'advice-delivered', { followUp: 'zorgtraject' });
    else return rep.add(addDays(addMonths(s, 3), 30), 'dropout', { reason: 'motivation' });
    rep.path.push('extension');
  } else {
    const x = r();
    if (x < 0.85) placedOn = addDays(s, between(r, 36, 85));
    else if (x < 0.93) return rep.add(addDays(s, 40), 'withdrawal', { reason: 'by-participant' });
    else {
      rep.path.push('extension refused');
      rep.add(addDays(s, 80), 'extension-decided', { granted: false });
      return rep.add(addDays(s, 88), 'advice-delivered', { followUp: 'schuldhulpverlening' });
    }
  }
  let payload = placement(r, placedOn, 0.5);
  rep.add(placedOn, 'placement', payload);
  if (payload.withLks !== true) return placedOn;
  rep.path.push('LKS');
  let lksEnd = parseIsoDate(String(payload.lksEndDate));
  if (r() < 0.15) {
    rep.path.push('re-placement');
    const dropped = rep.add(addDays(placedOn, between(r, 30, 120)), 'dropout', { reason: 'contract-ended' });
    const again = addDays(dropped, between(r, 7, 35));
    payload = placement(r, again, 0.5);
    rep.add(again, 'placement', payload);
    if (payload.withLks !== true) return again;
    lksEnd = parseIsoDate(String(payload.lksEndDate));
  }
  return addMonths(lksEnd, 3); // aftercare ends by itself
}

function balanz(r: Random, s: CalendarDate, rep: Reports): CalendarDate {
  const assessed = addDays(addMonths(s, 2), between(r, 0, 20));
  if (r() < 0.12) return rep.add(assessed, 'assessment-completed', { conclusion: 'not-suitable' });
  rep.add(assessed, 'assessment-completed', { conclusion: 'ready-for-placement' });
  if (r() < 0.1) return rep.add(addDays(assessed, between(r, 30, 300)), 'dropout', { reason: 'health' });
  if (r() < 0.85) rep.add(addMonths(assessed, between(r, 6, 10)), 'diploma-obtained', { diploma: 'Basis Opleiding Schoonmaak' });
  if (r() < 0.1) {
    rep.path.push('23 months passed');
    return rep.add(addDays(addMonths(assessed, 23), 10), 'contract-decided', { offered: r() < 0.5 });
  }
  return rep.add(addMonths(assessed, between(r, 12, 22)), 'contract-decided', { offered: r() < 0.75 });
}

function welslagen(r: Random, s: CalendarDate, rep: Reports): CalendarDate {
  rep.add(addDays(s, 42), 'assessment-completed', { conclusion: 'on-track' });
  const x = r();
  if (x < 0.7) return rep.add(addDays(s, between(r, 18 * 7, 21 * 7)), 'education-started', { education: 'BBL Verzorgende IG niveau 3' });
  if (x < 0.9) return rep.add(addDays(s, between(r, 43, 105)), 'dropout', { reason: 'motivation' });
  return rep.add(addDays(s, 20 * 7 - 3), 'advice-delivered', { followUp: 'andere-opleiding' });
}

function logistics(r: Random, s: CalendarDate, rep: Reports): CalendarDate {
  rep.add(addDays(s, 35), 'assessment-completed', { conclusion: 'ready-for-placement' });
  const x = r();
  if (x < 0.08) return rep.add(addDays(s, 80), 'advice-delivered', { followUp: 'taaltraject' });
  if (x < 0.13) return rep.add(addDays(s, 50), 'dropout', { reason: 'personal-circumstances' });
  const contract = rep.add(addDays(s, between(r, 55, 85)), 'placement', { employer: 'Randstad HR Solutions' });
  const early = r() < 0.35;
  const months = early ? between(r, 6, 11) : 12;
  const employers = ['DC Roosendaal', 'Transportbedrijf Moerdijk', 'Koel- en vrieshuis Etten-Leur'];
  const count = between(r, 1, 3);
  rep.path.push(`${count} employer${count > 1 ? 's' : ''}`);
  const slot = Math.floor((months * 30 - 20) / count);
  for (let i = 0; i < count; i++) {
    const from = addDays(contract, 7 + i * slot);
    rep.add(from, 'assignment-started', { employer: employers[i] });
    rep.add(addDays(from, slot - 10), 'assignment-ended', { employer: employers[i] });
  }
  if (early) return rep.add(addMonths(contract, months), 'placement', { employer: 'Bol.com Waalwijk' });
  const after = addMonths(contract, 12);
  if (r() < 0.7) return rep.add(addDays(after, between(r, 10, 80)), 'placement', { employer: 'Bol.com Waalwijk' });
  return rep.add(addDays(after, 85), 'advice-delivered', { followUp: 'werkfit-traject' });
}

function iss(r: Random, s: CalendarDate, rep: Reports): CalendarDate {
  const x = r();
  if (x < 0.08) return rep.add(addDays(s, 80), 'advice-delivered', { followUp: 'zorgtraject' });
  if (x < 0.12) return rep.add(addDays(s, 30), 'withdrawal', { reason: 'by-municipality' });
  const placed = rep.add(addDays(s, between(r, 20, 75)), 'placement', { employer: 'ISS Facility Services' });
  let back = placed;
  if (r() < 0.25) {
    rep.path.push('Jobstap');
    const asked = rep.add(addDays(placed, between(r, 60, 150)), 'support-requested', { level: 'specialist' });
    back = rep.add(addDays(asked, between(r, 45, 110)), 'support-concluded', {});
  }
  if (r() < 0.08) return rep.add(addDays(back, 30), 'dropout', { reason: 'health' });
  const decided = addDays(addMonths(placed, 11), between(r, 0, 25));
  return rep.add(isAfter(decided, back) ? decided : addDays(back, 7), 'contract-decided', { offered: r() < 0.8 });
}

/** The cohort: `count` participants round-robin over the five programmes, starting in `year`. */
export function planCohort(count: number, seed: number, year: number): CohortPlan[] {
  const r = seededRandom(seed);
  const extensionRate = getBuiltInProgramme('kwalificatiebanen').expectations?.extensionRate ?? 0.4;
  const plans: CohortPlan[] = [];
  for (let i = 0; i < count; i++) {
    const programme = COHORT_PROGRAMMES[i % COHORT_PROGRAMMES.length];
    const rep = new Reports();
    let start = addDays({ year, month: 1, day: 4 }, between(r, 0, 86));
    let region: string | undefined;
    let municipality: string | undefined;
    let endsBy: CalendarDate;
    switch (programme) {
      case 'kwalificatiebanen':
        municipality = 'Rotterdam';
        endsBy = kwalificatiebanen(r, start, rep, extensionRate);
        break;
      case 'balanz-at-work-kerkrade':
        municipality = 'Kerkrade';
        endsBy = balanz(r, start, rep);
        break;
      case 'welslagen':
        start = r() < 0.5 ? { year, month: 3, day: 1 } : { year, month: 9, day: 1 };
        region = pick(r, ['west-brabant', 'zeeland', 'drechtsteden']);
        endsBy = welslagen(r, start, rep);
        break;
      case 'logistiek-west-brabant':
        region = 'hart-van-west-brabant';
        municipality = pick(r, ['Etten-Leur', 'Halderberge', 'Moerdijk', 'Rucphen', 'Roosendaal', 'Zundert']);
        endsBy = logistics(r, start, rep);
        break;
      default:
        region = pick(r, ['regio-zwolle', 'drechtsteden']);
        endsBy = iss(r, start, rep);
    }
    plans.push({
      participantRef: `p-cohort-${String(i + 1).padStart(5, '0')}`,
      programme,
      startDate: iso(start),
      region,
      municipality,
      path: rep.path.join(', ') || 'straight',
      reports: rep.list,
      endsBy: iso(addDays(endsBy, 1)),
    });
  }
  return plans;
}
