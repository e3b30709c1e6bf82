/**
 * Calendar dates (year, month, day) without a time of day or time zone, and the
 * arithmetic on them. Pure integer arithmetic: no Date objects, no clock, so it is
 * deterministic inside the Temporal workflow sandbox.
 */
import { z } from 'zod';

/** A date on the calendar. `month` is 1–12, `day` is 1–31. JSON-serialisable. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Day of the week, ISO numbering: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`month must be 1–12, got ${month}`);
  }
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

export function isValidCalendarDate(value: { year: number; month: number; day: number }): boolean {
  const { year, month, day } = value;
  return (
    Number.isInteger(year) &&
    year >= 1 &&
    year <= 9999 &&
    Number.isInteger(month) &&
    month >= 1 &&
    month <= 12 &&
    Number.isInteger(day) &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Builds a date and checks it exists (2025-02-29 throws). */
export function calendarDate(year: number, month: number, day: number): CalendarDate {
  const date = { year, month, day };
  if (!isValidCalendarDate(date)) {
    throw new RangeError(`not a calendar date: ${year}-${month}-${day}`);
  }
  return date;
}

/** Days since 1970-01-01 (negative before). Howard Hinnant's days_from_civil. */
export function toEpochDay(date: CalendarDate): number {
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = (date.month + 9) % 12; // March = 0
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + date.day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of {@link toEpochDay}. */
export function fromEpochDay(epochDay: number): CalendarDate {
  const z0 = epochDay + 719468;
  const era = Math.floor(z0 / 146097);
  const dayOfEra = z0 - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  assertInteger(days, 'days');
  return fromEpochDay(toEpochDay(date) + days);
}

export function addWeeks(date: CalendarDate, weeks: number): CalendarDate {
  assertInteger(weeks, 'weeks');
  return addDays(date, weeks * 7);
}

/**
 * Calendar months, clamped to the end of the target month:
 * 31 January + 1 month = 28 (or 29) February; 31 January + 3 months = 30 April;
 * 29 February 2024 + 12 months = 28 February 2025. Negative counts go back.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  assertInteger(months, 'months');
  const monthIndex = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** -1, 0 or 1, usable as a sort comparator. */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  const diff = toEpochDay(a) - toEpochDay(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

export function isSameDate(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) === 0;
}

export function isBefore(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) < 0;
}

export function isAfter(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) > 0;
}

export function isoWeekday(date: CalendarDate): IsoWeekday {
  // 1970-01-01 was a Thursday (4).
  return (((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `2027-04-30` */
export function formatIsoDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; undefined when malformed or not a real date. */
export function tryParseIsoDate(text: string): CalendarDate | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isValidCalendarDate(date) ? date : undefined;
}

/** Parses `YYYY-MM-DD`; throws a RangeError naming the text otherwise. */
export function parseIsoDate(text: string): CalendarDate {
  const date = tryParseIsoDate(text);
  if (!date) throw new RangeError(`not an ISO calendar date (YYYY-MM-DD): "${text}"`);
  return date;
}

/** A calendar date as an object `{ year, month, day }` that must exist. */
export const calendarDateSchema = z
  .strictObject({
    year: z.number().int().min(1).max(9999),
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
  })
  .refine(isValidCalendarDate, { message: 'this day does not exist in that month' });

/** A calendar date written as `YYYY-MM-DD` that must exist (2025-02-29 fails). */
export const isoDateSchema = z
  .string()
  .refine((text) => tryParseIsoDate(text) !== undefined, {
    message: 'expected an existing calendar date written as YYYY-MM-DD',
  });

function assertInteger(value: number, name: string): void {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
}
