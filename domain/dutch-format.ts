/** Dates and times written for Dutch readers: "30 april 2027", "vrijdag 30 april 2027". */
import { amsterdamDateTime } from './amsterdam-time';
import { isoWeekday, type CalendarDate } from './calendar-date';

const MONTHS = [
  'januari', 'februari', 'maart', 'april', 'mei', 'juni',
  'juli', 'augustus', 'september', 'oktober', 'november', 'december',
] as const;

const WEEKDAYS = ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'] as const;

export function dutchMonthName(month: number): string {
  const name = MONTHS[month - 1];
  if (name === undefined) throw new RangeError(`month must be 1–12, got ${month}`);
  return name;
}

/** "30 april 2027" */
export function formatDutchDate(date: CalendarDate): string {
  return `${date.day} ${dutchMonthName(date.month)} ${date.year}`;
}

/** "vrijdag 30 april 2027" */
export function formatDutchDateWithWeekday(date: CalendarDate): string {
  return `${WEEKDAYS[isoWeekday(date) - 1]} ${formatDutchDate(date)}`;
}

/** An instant as read in Amsterdam: "28 maart 2027 03:00". */
export function formatDutchDateTime(epochMs: number): string {
  const local = amsterdamDateTime(epochMs);
  const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
  return `${formatDutchDate(local.date)} ${time}`;
}
