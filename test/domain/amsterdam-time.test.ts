import {
  amsterdamDate,
  amsterdamDateTime,
  amsterdamInstant,
  endOfDayInAmsterdam,
  formatAmsterdamIsoDateTime,
  formatDutchDate,
  formatDutchDateTime,
  formatDutchDateWithWeekday,
  formatDurationDutch,
  formatIsoDate,
  parseIsoDate,
  startOfDayInAmsterdam,
} from '../../domain';

const d = parseIsoDate;
const utc = (text: string): number => Date.parse(text);
const HOUR = 3600 * 1000;

describe('the Amsterdam calendar date of an instant', () => {
  test.each([
    ['2027-01-01T22:59:59Z', '2027-01-01'],
    ['2027-01-01T23:00:00Z', '2027-01-02'],
    ['2027-07-01T21:59:59Z', '2027-07-01'],
    ['2027-07-01T22:00:00Z', '2027-07-02'],
    ['2027-03-27T23:00:00Z', '2027-03-28'],
    ['2027-03-28T21:59:59Z', '2027-03-28'],
    ['2027-03-28T22:00:00Z', '2027-03-29'],
    ['2027-10-30T22:00:00Z', '2027-10-31'],
    ['2027-10-31T22:59:59Z', '2027-10-31'],
    ['2027-10-31T23:00:00Z', '2027-11-01'],
    ['2027-12-31T23:30:00Z', '2028-01-01'],
  ])('%s is %s in Amsterdam', (instant, date) => {
    expect(formatIsoDate(amsterdamDate(utc(instant)))).toBe(date);
  });

  test('offsets: CET +1 in winter, CEST +2 in summer, switching at 01:00 UTC', () => {
    expect(amsterdamDateTime(utc('2027-03-28T00:59:59Z')).offsetMinutes).toBe(60);
    expect(amsterdamDateTime(utc('2027-03-28T01:00:00Z')).offsetMinutes).toBe(120);
    expect(amsterdamDateTime(utc('2027-10-31T00:59:59Z')).offsetMinutes).toBe(120);
    expect(amsterdamDateTime(utc('2027-10-31T01:00:00Z')).offsetMinutes).toBe(60);
  });
});

describe('the instant of an Amsterdam local date and time', () => {
  test('start of day around the March switch (2027-03-28 has 23 hours)', () => {
    expect(startOfDayInAmsterdam(d('2027-03-27'))).toBe(utc('2027-03-26T23:00:00Z'));
    expect(startOfDayInAmsterdam(d('2027-03-28'))).toBe(utc('2027-03-27T23:00:00Z'));
    expect(startOfDayInAmsterdam(d('2027-03-29'))).toBe(utc('2027-03-28T22:00:00Z'));
    expect(endOfDayInAmsterdam(d('2027-03-28')) - startOfDayInAmsterdam(d('2027-03-28'))).toBe(23 * HOUR);
  });

  test('start of day around the October switch (2027-10-31 has 25 hours)', () => {
    expect(startOfDayInAmsterdam(d('2027-10-31'))).toBe(utc('2027-10-30T22:00:00Z'));
    expect(startOfDayInAmsterdam(d('2027-11-01'))).toBe(utc('2027-10-31T23:00:00Z'));
    expect(endOfDayInAmsterdam(d('2027-10-31')) - startOfDayInAmsterdam(d('2027-10-31'))).toBe(25 * HOUR);
  });

  test('09:00 local on either side of each switch', () => {
    expect(amsterdamInstant(d('2027-03-27'), { hour: 9 })).toBe(utc('2027-03-27T08:00:00Z'));
    expect(amsterdamInstant(d('2027-03-28'), { hour: 9 })).toBe(utc('2027-03-28T07:00:00Z'));
    expect(amsterdamInstant(d('2027-10-30'), { hour: 9 })).toBe(utc('2027-10-30T07:00:00Z'));
    expect(amsterdamInstant(d('2027-10-31'), { hour: 9 })).toBe(utc('2027-10-31T08:00:00Z'));
  });

  test('a time in the spring gap moves forward by the gap (02:30 → 03:30 CEST)', () => {
    const instant = amsterdamInstant(d('2027-03-28'), { hour: 2, minute: 30 });
    expect(instant).toBe(utc('2027-03-28T01:30:00Z'));
    expect(formatAmsterdamIsoDateTime(instant)).toBe('2027-03-28T03:30:00+02:00');
  });

  test('a time that occurs twice in autumn is the earlier one (02:30 CEST)', () => {
    const instant = amsterdamInstant(d('2027-10-31'), { hour: 2, minute: 30 });
    expect(instant).toBe(utc('2027-10-31T00:30:00Z'));
    expect(formatAmsterdamIsoDateTime(instant)).toBe('2027-10-31T02:30:00+02:00');
  });

  test('every whole hour of both switch days reads back as the same wall time (except the gap)', () => {
    for (const date of ['2027-03-28', '2027-10-31', '2028-03-26', '2028-10-29']) {
      for (let hour = 0; hour < 24; hour++) {
        const local = amsterdamDateTime(amsterdamInstant(d(date), { hour }));
        const expectedHour = date.endsWith('03-28') || date.endsWith('03-26') ? (hour === 2 ? 3 : hour) : hour;
        expect([formatIsoDate(local.date), local.hour]).toEqual([date, expectedHour]);
      }
    }
  });

  test('invalid times of day are refused', () => {
    expect(() => amsterdamInstant(d('2027-01-01'), { hour: 24 })).toThrow(RangeError);
    expect(() => amsterdamInstant(d('2027-01-01'), { hour: 9, minute: 60 })).toThrow(RangeError);
  });
});

describe('formatting', () => {
  test('Dutch dates', () => {
    expect(formatDutchDate(d('2027-04-30'))).toBe('30 april 2027');
    expect(formatDutchDate(d('2027-03-01'))).toBe('1 maart 2027');
    expect(formatDutchDateWithWeekday(d('2027-04-30'))).toBe('vrijdag 30 april 2027');
    expect(formatDutchDateWithWeekday(d('2027-10-31'))).toBe('zondag 31 oktober 2027');
    expect(formatDutchDateTime(utc('2027-03-28T01:00:00Z'))).toBe('28 maart 2027 03:00');
  });

  test('ISO', () => {
    expect(formatIsoDate(d('2027-04-30'))).toBe('2027-04-30');
    expect(formatAmsterdamIsoDateTime(utc('2027-01-15T08:00:00Z'))).toBe('2027-01-15T09:00:00+01:00');
  });

  test('Dutch durations', () => {
    expect(formatDurationDutch({ months: 3 })).toBe('3 maanden');
    expect(formatDurationDutch({ months: 1 })).toBe('1 maand');
    expect(formatDurationDutch({ weeks: 20 })).toBe('20 weken');
    expect(formatDurationDutch({ months: 1, weeks: 2, days: 1 })).toBe('1 maand, 2 weken en 1 dag');
  });
});
