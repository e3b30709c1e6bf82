/**
 * Cron schedules as Temporal reads them: robfig/cron's standard parser (five fields: minute,
 * hour, day of month, month, day of week; names like JAN and MON; `*`, `?`, ranges, lists and
 * steps; the descriptors @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and
 * `@every <duration>`; an optional `CRON_TZ=` or `TZ=` zone prefix), and the backoff the server
 * gives a cron run (common/backoff/cron.go).
 */

export interface CronSchedule {
  /** The first time after `ms` (epoch milliseconds) that matches, or undefined if none within five years. */
  next(ms: number): number | undefined;
}

/** Thrown for a schedule robfig's parser refuses. */
export class CronError extends Error {}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Bounds { min: number; max: number; names?: string[]; nameBase?: number }
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 0, max: 6, names: DAYS, nameBase: 0 },
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FIVE_YEARS = 5 * 366 * 24 * HOUR;

export function parseCron(spec: string): CronSchedule {
  let rest = spec.trim();
  if (rest === '') throw new CronError('empty spec string');
  let zone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s*/.exec(rest);
  if (tz) {
    zone = tz[1];
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      throw new CronError(`provided bad location ${zone}`);
    }
    rest = rest.slice(tz[0].length);
  }
  if (rest.startsWith('@every ')) return everySchedule(parseGoDuration(rest.slice('@every '.length).trim()));
  if (rest.startsWith('@')) {
    const fields = DESCRIPTORS[rest];
    if (!fields) throw new CronError(`unrecognized descriptor: ${rest}`);
    rest = fields;
  }
  const parts = rest.split(/\s+/);
  if (parts.length !== 5) throw new CronError(`expected exactly 5 fields, found ${parts.length}: ${rest}`);
  const fields = parts.map((p, i) => parseField(p, FIELDS[i]));
  return fieldSchedule(fields.map((f) => f.values), fields[2].star || fields[4].star, zone);
}

/**
 * A field's values, and whether one of its elements is an unstepped `*` or `?` (robfig's star
 * bit: with either day field starred, both day fields must match; else either may).
 */
function parseField(field: string, b: Bounds): { values: Set<number>; star: boolean } {
  const out = new Set<number>();
  let star = false;
  for (const expr of field.split(',')) {
    const [range, stepText, extra] = expr.split('/');
    if (extra !== undefined) throw new CronError(`too many slashes: ${expr}`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      [lo, hi] = [b.min, b.max];
      if (stepText === undefined || stepText === '1') star = true;
    } else {
      const [a, z, more] = range.split('-');
      if (more !== undefined) throw new CronError(`too many hyphens: ${expr}`);
      lo = value(a, b);
      hi = z === undefined ? (stepText === undefined ? lo : b.max) : value(z, b);
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0 || (stepText !== undefined && !/^\d+$/.test(stepText))) throw new CronError(`step of range should be a positive number: ${expr}`);
    if (lo < b.min) throw new CronError(`beginning of range (${lo}) below minimum (${b.min}): ${expr}`);
    if (hi > b.max) throw new CronError(`end of range (${hi}) above maximum (${b.max}): ${expr}`);
    if (lo > hi) throw new CronError(`beginning of range (${lo}) beyond end of range (${hi}): ${expr}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return { values: out, star };
}

function value(text: string, b: Bounds): number {
  const named = b.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (b.nameBase ?? 0);
  if (!/^\d+$/.test(text)) throw new CronError(`failed to parse int from ${text}`);
  return Number(text);
}

interface Fields { minute: number; hour: number; day: number; month: number; weekday: number }

/** Calendar fields of an instant in UTC or in a named zone. */
function fieldsIn(zone: string | undefined): (ms: number) => Fields {
  if (!zone) {
    return (ms) => {
      const d = new Date(ms);
      return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), day: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
    };
  }
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', minute: 'numeric', hour: 'numeric', day: 'numeric', month: 'numeric', weekday: 'short' });
  return (ms) => {
    const f: Record<string, string> = {};
    for (const p of format.formatToParts(ms)) f[p.type] = p.value;
    return { minute: Number(f.minute), hour: Number(f.hour), day: Number(f.day), month: Number(f.month), weekday: DAYS.indexOf(f.weekday.toLowerCase()) };
  };
}

function fieldSchedule([minutes, hours, days, months, weekdays]: Set<number>[], dayStar: boolean, zone: string | undefined): CronSchedule {
  const fields = fieldsIn(zone);
  const dayMatches = (f: Fields) =>
    dayStar ? days.has(f.day) && weekdays.has(f.weekday) : days.has(f.day) || weekdays.has(f.weekday);
  return {
    next(ms) {
      // The next whole minute strictly after `ms` (robfig adds a second, then matches second 0).
      let t = Math.floor(ms / MINUTE) * MINUTE + MINUTE;
      const limit = t + FIVE_YEARS;
      while (t < limit) {
        const f = fields(t);
        if (!months.has(f.month) || !dayMatches(f)) {
          t += ((23 - f.hour) * 60 + 60 - f.minute) * MINUTE; // to the next day of the zone
          continue;
        }
        if (!hours.has(f.hour)) {
          t += (60 - f.minute) * MINUTE; // to the next full hour of the zone
          continue;
        }
        if (minutes.has(f.minute)) return t;
        t += MINUTE;
      }
      return undefined;
    },
  };
}

/** `@every d`: every d (whole seconds, at least one), counted from the time given. */
function everySchedule(ms: number): CronSchedule {
  const delay = Math.max(1000, ms - (ms % 1000));
  return { next: (t) => Math.floor(t / 1000) * 1000 + delay };
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: MINUTE, h: HOUR };

/** A Go duration ("1h30m", "1.5h", "90s") in milliseconds. */
export function parseGoDuration(text: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  if (text === '0') return 0;
  if (text === '') throw new CronError(`failed to parse duration @every ${text}`);
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new CronError(`failed to parse duration @every ${text}`);
    total += Number(m[1]) * UNITS[m[2]];
    at = re.lastIndex;
  }
  return total;
}

/**
 * The wait before a cron run's first task (backoff.GetBackoffForNextSchedule): until the first
 * time after `scheduledMs` that is not before `nowMs`, rounded up to whole seconds; undefined
 * when the schedule has no such time.
 */
export function cronBackoffMs(schedule: CronSchedule, scheduledMs: number, nowMs: number): number | undefined {
  let next: number | undefined = scheduledMs;
  if (nowMs >= scheduledMs) {
    next = schedule.next(scheduledMs);
    while (next !== undefined && next < nowMs) next = schedule.next(next);
  }
  if (next === undefined) return undefined;
  return Math.ceil((next - nowMs) / 1000) * 1000;
}

/** cronBackoffMs for a schedule given as text; undefined for none, or one that does not parse. */
export function cronBackoffFor(spec: string, scheduledMs: number, nowMs: number): number | undefined {
  if (!spec) return undefined;
  let schedule: CronSchedule;
  try {
    schedule = parseCron(spec);
  } catch {
    return undefined; // refused at the frontend; only a run restored from an older log has one
  }
  return cronBackoffMs(schedule, scheduledMs, nowMs);
}

/** The frontend's check of a start's cron schedule (backoff.ValidateSchedule); '' is none. */
export function cronScheduleProblem(spec: string | undefined, nowMs: number): string | undefined {
  if (!spec) return undefined;
  let schedule: CronSchedule;
  try {
    schedule = parseCron(spec);
  } catch {
    return 'invalid CronSchedule.';
  }
  return schedule.next(nowMs) === undefined ? 'invalid CronSchedule, no time can be found to satisfy the schedule' : undefined;
}
