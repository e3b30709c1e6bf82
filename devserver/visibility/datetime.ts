/**
 * Datetime literals as the server reads them: RFC 3339 strings parsed like Go's
 * time.Parse(time.RFC3339Nano, …), or integers taken as epoch nanoseconds
 * (time.Unix(0, n)). The server then compares at microsecond precision
 * (SQLite text format "2006-01-02 15:04:05.999999-07:00"), so the fraction below
 * a microsecond is dropped.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** A datetime in whole microseconds since the Unix epoch. */
export type Micros = number;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Parses an RFC 3339 timestamp; undefined when Go would reject it. */
export function parseRfc3339(s: string): Micros | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, min, sec] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  if (hour > 23 || min > 59 || sec > 59) return undefined;
  let offset = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return undefined;
    offset = (oh * 3600 + om * 60) * (m[8] === '-' ? -1 : 1);
  }
  const micros = m[7] === undefined ? 0 : Number(m[7].slice(0, 6).padEnd(6, '0'));
  const secs = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
  return secs * 1e6 + micros;
}

/** time.Unix(0, ns), truncated to the microsecond the way Go formats it. */
export function nanosToMicros(ns: bigint): Micros {
  let q = ns / 1000n;
  if (ns < 0n && q * 1000n !== ns) q -= 1n;
  return Number(q);
}

/** The server's SQLite datetime text for a UTC instant: "2006-01-02 15:04:05.999999+00:00". */
export function formatSqliteDatetime(us: Micros): string {
  const secs = Math.floor(us / 1e6);
  const frac = us - secs * 1e6;
  const days = Math.floor(secs / 86400);
  const rem = secs - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const hms = `${p2(Math.floor(rem / 3600))}:${p2(Math.floor((rem % 3600) / 60))}:${p2(rem % 60)}`;
  const fraction = frac === 0 ? '' : `.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
  return `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)} ${hms}${fraction}+00:00`;
}
