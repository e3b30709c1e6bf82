/**
 * Instants (epoch milliseconds) and their Europe/Amsterdam calendar dates and
 * wall-clock times, daylight saving included (CET +01:00 / CEST +02:00; the
 * switches are the last Sundays of March and October). Uses Intl.DateTimeFormat
 * with the IANA zone; never reads the clock: callers pass the current instant.
 */
import { formatIsoDate, fromEpochDay, toEpochDay, type CalendarDate } from './calendar-date';

export const AMSTERDAM_TIME_ZONE = 'Europe/Amsterdam';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A wall-clock time of day; minute and second default to 0. */
export interface LocalTime {
  readonly hour: number;
  readonly minute?: number;
  readonly second?: number;
}

/** A date and wall-clock time as read on a clock in Amsterdam. */
export interface AmsterdamDateTime {
  readonly date: CalendarDate;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Offset from UTC in minutes at that instant: 60 (CET) or 120 (CEST). */
  readonly offsetMinutes: number;
}

let formatter: Intl.DateTimeFormat | undefined;

function amsterdamFormatter(): Intl.DateTimeFormat {
  formatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: AMSTERDAM_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return formatter;
}

function assertInstant(epochMs: number): void {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not an instant: ${epochMs}`);
}

function wallClockMs(date: CalendarDate, hour: number, minute: number, second: number): number {
  return toEpochDay(date) * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS + second * SECOND_MS;
}

/** Reads the Amsterdam wall clock at an instant. */
export function amsterdamDateTime(epochMs: number): AmsterdamDateTime {
  assertInstant(epochMs);
  const fields: Record<string, number> = {};
  for (const part of amsterdamFormatter().formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const date: CalendarDate = { year: fields.year, month: fields.month, day: fields.day };
  const hour = fields.hour === 24 ? 0 : fields.hour;
  const wholeSecondMs = Math.floor(epochMs / SECOND_MS) * SECOND_MS;
  const offsetMs = wallClockMs(date, hour, fields.minute, fields.second) - wholeSecondMs;
  return {
    date,
    hour,
    minute: fields.minute,
    second: fields.second,
    offsetMinutes: Math.round(offsetMs / MINUTE_MS),
  };
}

/** The Amsterdam calendar date of an instant (2027-01-01T23:30Z is 2 January there). */
export function amsterdamDate(epochMs: number): CalendarDate {
  return amsterdamDateTime(epochMs).date;
}

/** Offset of Amsterdam from UTC at an instant, in milliseconds. */
export function amsterdamOffsetMs(epochMs: number): number {
  return amsterdamDateTime(epochMs).offsetMinutes * MINUTE_MS;
}

function checkLocalTime(time: LocalTime): { hour: number; minute: number; second: number } {
  const hour = time.hour;
  const minute = time.minute ?? 0;
  const second = time.second ?? 0;
  const ok =
    Number.isInteger(hour) && hour >= 0 && hour <= 23 &&
    Number.isInteger(minute) && minute >= 0 && minute <= 59 &&
    Number.isInteger(second) && second >= 0 && second <= 59;
  if (!ok) throw new RangeError(`not a time of day: ${hour}:${minute}:${second}`);
  return { hour, minute, second };
}

/**
 * The instant at which clocks in Amsterdam show `date` at `time` (default 00:00).
 *
 * Daylight-saving edges follow the usual "compatible" rule:
 * - a time that does not exist (02:30 on the last Sunday of March) is moved
 *   forward by the gap, giving 03:30 CEST;
 * - a time that occurs twice (02:30 on the last Sunday of October) resolves to
 *   the earlier one, 02:30 CEST (00:30 UTC).
 */
export function amsterdamInstant(date: CalendarDate, time: LocalTime = { hour: 0 }): number {
  const { hour, minute, second } = checkLocalTime(time);
  const wall = wallClockMs(date, hour, minute, second);
  const offsetBefore = amsterdamOffsetMs(wall - DAY_MS);
  const offsetAfter = amsterdamOffsetMs(wall + DAY_MS);
  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => wall - offset)
    .filter((instant) => amsterdamOffsetMs(instant) === wall - instant)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0];
  // In the spring-forward gap: keep the offset from before the switch.
  return wall - offsetBefore;
}

/** 00:00 in Amsterdam on `date`. */
export function startOfDayInAmsterdam(date: CalendarDate): number {
  return amsterdamInstant(date, { hour: 0 });
}

/** 00:00 in Amsterdam on the day after `date`: the moment `date` is over. */
export function endOfDayInAmsterdam(date: CalendarDate): number {
  return startOfDayInAmsterdam(fromEpochDay(toEpochDay(date) + 1));
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** ISO 8601 with the Amsterdam offset: `2027-03-28T03:00:00+02:00`. */
export function formatAmsterdamIsoDateTime(epochMs: number): string {
  const local = amsterdamDateTime(epochMs);
  const sign = local.offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(local.offsetMinutes);
  return (
    `${formatIsoDate(local.date)}T${pad2(local.hour)}:${pad2(local.minute)}:${pad2(local.second)}` +
    `${sign}${pad2(Math.floor(offset / 60))}:${pad2(offset % 60)}`
  );
}
