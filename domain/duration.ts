/**
 * Calendar durations as data: `{ months?, weeks?, days? }`. Months are calendar
 * months (clamped to the end of the month), never 30-day blocks.
 */
import { z } from 'zod';
import { addDays, addMonths, type CalendarDate } from './calendar-date';

export interface Duration {
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
}

const part = z.number().int().min(0).max(1200);

/** A duration with at least one of months, weeks, days (zero allowed, e.g. a reminder on the day). */
export const durationSchema = z
  .strictObject({ months: part.optional(), weeks: part.optional(), days: part.optional() })
  .refine((d) => d.months !== undefined || d.weeks !== undefined || d.days !== undefined, {
    message: 'a duration needs at least one of months, weeks, days',
  });

/** A duration longer than zero (phase lengths, extensions). */
export const positiveDurationSchema = durationSchema.refine((d) => !isZeroDuration(d), {
  message: 'the duration must be longer than zero',
});

export function isZeroDuration(duration: Duration): boolean {
  return !duration.months && !duration.weeks && !duration.days;
}

/**
 * Adds a duration: first the calendar months (clamped to the end of the month),
 * then the weeks and days. 31 January + { months: 1, days: 1 } = 1 March
 * (28 February + 1 day) in a common year.
 */
export function addDuration(date: CalendarDate, duration: Duration): CalendarDate {
  const afterMonths = addMonths(date, duration.months ?? 0);
  return addDays(afterMonths, (duration.weeks ?? 0) * 7 + (duration.days ?? 0));
}

/**
 * Goes back by a duration: first the calendar months (clamped), then the weeks
 * and days. Used for reminders ahead of a deadline.
 */
export function subtractDuration(date: CalendarDate, duration: Duration): CalendarDate {
  const afterMonths = addMonths(date, -(duration.months ?? 0));
  return addDays(afterMonths, -((duration.weeks ?? 0) * 7 + (duration.days ?? 0)));
}

/** Multiplies every part (extension duration × number of extensions). */
export function scaleDuration(duration: Duration, factor: number): Duration {
  if (!Number.isInteger(factor) || factor < 0) {
    throw new RangeError(`factor must be a non-negative integer, got ${factor}`);
  }
  return withoutEmptyParts({
    months: (duration.months ?? 0) * factor,
    weeks: (duration.weeks ?? 0) * factor,
    days: (duration.days ?? 0) * factor,
  });
}

/** Adds two durations part by part ({ months: 3 } + { months: 3 } = { months: 6 }). */
export function sumDurations(a: Duration, b: Duration): Duration {
  return withoutEmptyParts({
    months: (a.months ?? 0) + (b.months ?? 0),
    weeks: (a.weeks ?? 0) + (b.weeks ?? 0),
    days: (a.days ?? 0) + (b.days ?? 0),
  });
}

/** The fewest days a duration can span (months counted as 28 days). */
export function minimumDays(duration: Duration): number {
  return (duration.months ?? 0) * 28 + (duration.weeks ?? 0) * 7 + (duration.days ?? 0);
}

/** The most days a duration can span (months counted as 31 days). */
export function maximumDays(duration: Duration): number {
  return (duration.months ?? 0) * 31 + (duration.weeks ?? 0) * 7 + (duration.days ?? 0);
}

/** Dutch wording: "3 maanden", "20 weken", "1 maand en 2 weken", "0 dagen". */
export function formatDurationDutch(duration: Duration): string {
  const parts: string[] = [];
  const push = (count: number | undefined, singular: string, plural: string): void => {
    if (count) parts.push(`${count} ${count === 1 ? singular : plural}`);
  };
  push(duration.months, 'maand', 'maanden');
  push(duration.weeks, 'week', 'weken');
  push(duration.days, 'dag', 'dagen');
  if (parts.length === 0) return '0 dagen';
  if (parts.length === 1) return parts[0];
  return `${parts.slice(0, -1).join(', ')} en ${parts[parts.length - 1]}`;
}

function withoutEmptyParts(duration: { months: number; weeks: number; days: number }): Duration {
  const result: { months?: number; weeks?: number; days?: number } = {};
  if (duration.months) result.months = duration.months;
  if (duration.weeks) result.weeks = duration.weeks;
  if (duration.days) result.days = duration.days;
  if (!result.months && !result.weeks && !result.days) result.days = 0;
  return result;
}
