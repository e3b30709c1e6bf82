/** Intake rounds (cohorts): when the next round of a programme starts. */
import { calendarDate, compareDates, type CalendarDate } from './calendar-date';
import type { Cohort, ProgrammeDefinition } from './programme-schema';

export interface CohortStart {
  readonly cohort: Cohort;
  readonly startsOn: CalendarDate;
}

/** The rounds that start in a calendar year, earliest first; empty for continuous intake. */
export function cohortStartsInYear(programme: ProgrammeDefinition, year: number): CohortStart[] {
  if (programme.intake.mode !== 'cohorts') return [];
  return programme.intake.cohorts
    .map((cohort) => ({ cohort, startsOn: calendarDate(year, cohort.startMonth, cohort.startDay) }))
    .sort((a, b) => compareDates(a.startsOn, b.startsOn));
}

/**
 * The first round starting on or after `onOrAfter`; undefined for continuous
 * intake. Rounds run in every region when the intake is per region.
 */
export function nextCohortStart(programme: ProgrammeDefinition, onOrAfter: CalendarDate): CohortStart | undefined {
  for (const year of [onOrAfter.year, onOrAfter.year + 1]) {
    const next = cohortStartsInYear(programme, year).find((c) => compareDates(c.startsOn, onOrAfter) >= 0);
    if (next) return next;
  }
  return undefined;
}
