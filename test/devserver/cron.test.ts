/** Cron schedules as the server reads them (robfig/cron's standard parser) and the backoff of a cron run. */
import { CronError, cronBackoffMs, cronScheduleProblem, parseCron, parseGoDuration } from '../../devserver/state/cron';

const at = (iso: string) => Date.parse(iso);
const next = (spec: string, from: string) => {
  const t = parseCron(spec).next(at(from));
  return t === undefined ? undefined : new Date(t).toISOString();
};

test.each([
  ['', 'empty spec string'],
  ['* * * *', 'expected exactly 5 fields'],
  ['* * * * * *', 'expected exactly 5 fields'],
  ['60 * * * *', 'above maximum'],
  ['* 24 * * *', 'above maximum'],
  ['* * 0 * *', 'below minimum'],
  ['* * * * 7', 'above maximum'],
  ['*/0 * * * *', 'step of range should be a positive number'],
  ['5-1 * * * *', 'beyond end of range'],
  ['x * * * *', 'failed to parse int'],
  ['@fortnightly', 'unrecognized descriptor'],
  ['@every soon', 'failed to parse duration'],
  ['TZ=Nowhere/Atlantis 0 9 * * *', 'provided bad location'],
])('%j is refused (%s)', (spec, message) => {
  expect(() => parseCron(spec)).toThrow(CronError);
  expect(() => parseCron(spec)).toThrow(message);
});

test.each([
  ['*/15 * * * *', '2026-03-02T10:07:30Z', '2026-03-02T10:15:00.000Z'],
  ['* * * * *', '2026-03-02T10:07:00Z', '2026-03-02T10:08:00.000Z'], // strictly after
  ['0 0 1 1 *', '2026-06-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
  ['@hourly', '2026-03-02T10:07:00Z', '2026-03-02T11:00:00.000Z'],
  ['@weekly', '2026-03-04T10:00:00Z', '2026-03-08T00:00:00.000Z'], // Sunday
  ['30 8 * JAN-MAR MON', '2026-03-03T09:00:00Z', '2026-03-09T08:30:00.000Z'],
  ['0 12 ? * sat,sun', '2026-03-02T00:00:00Z', '2026-03-07T12:00:00.000Z'],
  ['0 0 13 * 5', '2026-03-01T00:00:00Z', '2026-03-06T00:00:00.000Z'], // a Friday or the 13th: either
  ['0 0 * * 5', '2026-03-01T00:00:00Z', '2026-03-06T00:00:00.000Z'], // day of month *: Fridays only
  ['0 0 13 * *', '2026-03-01T00:00:00Z', '2026-03-13T00:00:00.000Z'],
  ['0 0 */2 * 1', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00.000Z'], // a stepped * is no star: either day field
  ['0 0 1 * */2', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00.000Z'],
  ['0 0 5,* * 1', '2026-03-03T00:00:00Z', '2026-03-09T00:00:00.000Z'], // a listed * is a star: both
  ['CRON_TZ=America/New_York 0 0 1 3 *', '2026-03-02T00:00:00Z', '2027-03-01T05:00:00.000Z'],
  ['1-10/3 * * * *', '2026-03-02T10:05:00Z', '2026-03-02T10:07:00.000Z'],
  ['5/20 * * * *', '2026-03-02T10:30:00Z', '2026-03-02T10:45:00.000Z'],
  ['CRON_TZ=Europe/Amsterdam 0 9 * * *', '2026-07-01T00:00:00Z', '2026-07-01T07:00:00.000Z'], // summer time
  ['TZ=Europe/Amsterdam 0 9 * * *', '2026-01-15T00:00:00Z', '2026-01-15T08:00:00.000Z'],
  ['@every 90s', '2026-03-02T10:00:00.700Z', '2026-03-02T10:01:30.000Z'],
  ['@every 400ms', '2026-03-02T10:00:00.000Z', '2026-03-02T10:00:01.000Z'], // at least a second
])('%s after %s is %s', (spec, from, expected) => {
  expect(next(spec, from)).toBe(expected);
});

test('a schedule no date satisfies has no next time, and the frontend says so', () => {
  expect(next('0 0 30 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  expect(cronScheduleProblem('0 0 30 2 *', at('2026-01-01T00:00:00Z'))).toBe('invalid CronSchedule, no time can be found to satisfy the schedule');
  expect(cronScheduleProblem('not cron', at('2026-01-01T00:00:00Z'))).toBe('invalid CronSchedule.');
  expect(cronScheduleProblem('', 0)).toBeUndefined();
});

test('the backoff runs to the first time not before now, rounded up to whole seconds', () => {
  const everyTen = parseCron('*/10 * * * *');
  // Scheduled at 10:00, now 10:25:00.5: 10:10 and 10:20 are past, 10:30 is next.
  expect(cronBackoffMs(everyTen, at('2026-03-02T10:00:00Z'), at('2026-03-02T10:25:00.500Z'))).toBe(300_000);
  // A first run: scheduled now.
  expect(cronBackoffMs(everyTen, at('2026-03-02T10:03:00Z'), at('2026-03-02T10:03:00Z'))).toBe(420_000);
  // Now before the scheduled time: wait for it.
  expect(cronBackoffMs(everyTen, at('2026-03-02T10:30:00Z'), at('2026-03-02T10:29:59Z'))).toBe(1000);
  expect(cronBackoffMs(parseCron('0 0 30 2 *'), 0, 0)).toBeUndefined();
});

test('Go durations', () => {
  expect(parseGoDuration('1h30m')).toBe(90 * 60_000);
  expect(parseGoDuration('1.5h')).toBe(90 * 60_000);
  expect(parseGoDuration('250ms')).toBe(250);
  expect(parseGoDuration('0')).toBe(0);
  expect(() => parseGoDuration('5')).toThrow(CronError);
  expect(() => parseGoDuration('1d')).toThrow(CronError);
});
