import {
  addDays,
  addDuration,
  addMonths,
  addWeeks,
  calendarDate,
  calendarDateSchema,
  compareDates,
  daysBetween,
  daysInMonth,
  formatIsoDate,
  fromEpochDay,
  isLeapYear,
  isoDateSchema,
  isoWeekday,
  parseIsoDate,
  subtractDuration,
  toEpochDay,
  tryParseIsoDate,
} from '../../domain';

const d = parseIsoDate;
const iso = formatIsoDate;

describe('calendar months clamp to the end of the month', () => {
  test.each([
    ['2027-01-31', 3, '2027-04-30'],
    ['2027-01-31', 1, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2027-08-31', 1, '2027-09-30'],
    ['2027-10-31', 3, '2028-01-31'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2027-03-31', -1, '2027-02-28'],
    ['2027-01-15', 23, '2028-12-15'],
    ['2027-05-31', 0, '2027-05-31'],
  ])('%s + %i months = %s', (start, months, expected) => {
    expect(iso(addMonths(d(start), months))).toBe(expected);
  });

  test('a 3-month pre-track that starts on 31 January ends on 30 April, not after 90 days', () => {
    expect(iso(addDuration(d('2027-01-31'), { months: 3 }))).toBe('2027-04-30');
    expect(iso(addDays(d('2027-01-31'), 90))).toBe('2027-05-01');
  });

  test('months first, then weeks and days', () => {
    expect(iso(addDuration(d('2027-01-31'), { months: 1, days: 1 }))).toBe('2027-03-01');
    expect(iso(addDuration(d('2027-01-31'), { months: 1, weeks: 1 }))).toBe('2027-03-07');
    expect(iso(subtractDuration(d('2027-04-30'), { weeks: 2 }))).toBe('2027-04-16');
    expect(iso(subtractDuration(d('2027-03-31'), { months: 1 }))).toBe('2027-02-28');
  });
});

describe('days and weeks', () => {
  test('cross month, year and leap day', () => {
    expect(iso(addDays(d('2027-12-31'), 1))).toBe('2028-01-01');
    expect(iso(addDays(d('2028-02-28'), 1))).toBe('2028-02-29');
    expect(iso(addDays(d('2027-02-28'), 1))).toBe('2027-03-01');
    expect(iso(addDays(d('2028-03-01'), -1))).toBe('2028-02-29');
    expect(iso(addWeeks(d('2027-01-04'), 20))).toBe('2027-05-24');
  });

  test('20 weeks is 140 days whatever the month lengths', () => {
    expect(daysBetween(d('2027-09-01'), addDuration(d('2027-09-01'), { weeks: 20 }))).toBe(140);
  });

  test('epoch days round-trip over four centuries', () => {
    for (let day = -200000; day <= 200000; day += 37) {
      expect(toEpochDay(fromEpochDay(day))).toBe(day);
    }
    expect(toEpochDay(d('1970-01-01'))).toBe(0);
    expect(iso(fromEpochDay(19722))).toBe('2023-12-31');
  });

  test('weekdays (ISO numbering)', () => {
    expect(isoWeekday(d('2027-03-28'))).toBe(7);
    expect(isoWeekday(d('2027-10-31'))).toBe(7);
    expect(isoWeekday(d('2027-03-29'))).toBe(1);
    expect(isoWeekday(d('1970-01-01'))).toBe(4);
  });

  test('fractional counts are refused', () => {
    expect(() => addDays(d('2027-01-01'), 1.5)).toThrow(RangeError);
    expect(() => addMonths(d('2027-01-01'), 0.5)).toThrow(RangeError);
  });
});

describe('leap years and validity', () => {
  test('leap years', () => {
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2027)).toBe(false);
    expect(isLeapYear(2100)).toBe(false);
    expect(isLeapYear(2000)).toBe(true);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2027, 2)).toBe(28);
  });

  test('dates that do not exist are refused', () => {
    expect(() => calendarDate(2025, 2, 29)).toThrow(RangeError);
    expect(tryParseIsoDate('2025-02-29')).toBeUndefined();
    expect(tryParseIsoDate('2027-4-30')).toBeUndefined();
    expect(() => parseIsoDate('30-04-2027')).toThrow('30-04-2027');
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true);
    expect(isoDateSchema.safeParse('2025-02-29').success).toBe(false);
    expect(calendarDateSchema.safeParse({ year: 2027, month: 4, day: 31 }).success).toBe(false);
    expect(calendarDateSchema.safeParse({ year: 2027, month: 4, day: 30 }).success).toBe(true);
  });

  test('comparison', () => {
    expect(compareDates(d('2027-04-30'), d('2027-05-01'))).toBe(-1);
    expect(compareDates(d('2027-05-01'), d('2027-05-01'))).toBe(0);
    expect(
      ['2027-05-01', '2026-12-31', '2027-04-30'].map(d).sort(compareDates).map(iso),
    ).toEqual(['2026-12-31', '2027-04-30', '2027-05-01']);
  });
});
