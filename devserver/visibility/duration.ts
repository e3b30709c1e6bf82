/**
 * ExecutionDuration literals, read like the server's query.ParseExecutionDurationStr:
 * an integer string (nanoseconds), a Go duration ("300ms", "1.5h", "2h45m", plus "d"
 * for 24h days), or "hh:mm:ss".
 */

const UNITS: ReadonlyMap<string, number> = new Map([
  ['ns', 1],
  ['us', 1e3],
  ['\u00b5s', 1e3],
  ['\u03bcs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
]);

const MAX_INT64 = 2n ** 63n - 1n;
const DAYS = /(\d+(\.\d*)?|(\.\d+))d/g;
const HHMMSS = /^[ \t\r\n]*([+-]?\d+):([+-]?\d+):([+-]?\d+)/;
const INT64 = /^[+-]?\d+$/;

/** Go's time.ParseDuration; nanoseconds, or undefined on error. */
export function parseGoDuration(input: string): bigint | undefined {
  let s = input;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s) as RegExpExecArray;
    const pre = num[1];
    const post = num[2];
    if (pre === '' && (post === undefined || post === '')) return undefined;
    s = s.slice(num[0].length);
    let i = 0;
    while (i < s.length && s[i] !== '.' && !(s[i] >= '0' && s[i] <= '9')) i++;
    if (i === 0) return undefined; // missing unit
    const unit = UNITS.get(s.slice(0, i));
    if (unit === undefined) return undefined;
    s = s.slice(i);
    const whole = pre === '' ? 0n : BigInt(pre);
    let part = whole * BigInt(unit);
    if (post !== undefined && post !== '') {
      const digits = post.slice(0, 18);
      part += BigInt(Math.trunc(Number(digits) * (unit / 10 ** digits.length)));
    }
    total += part;
    if (total > MAX_INT64 + (neg ? 1n : 0n)) return undefined;
  }
  return neg ? -total : total;
}

/** timestamp.ParseDuration: Go durations plus "d" (24 hours). */
function parseDurationWithDays(s: string): bigint | undefined {
  const replaced = s.replace(DAYS, (v) => {
    const f = Number(v.slice(0, -1));
    return Number.isNaN(f) ? v : `${(24 * f).toFixed(6)}h`;
  });
  return parseGoDuration(replaced);
}

/** timestamp.ParseHHMMSSDuration */
function parseHHMMSS(s: string): bigint | undefined {
  const m = HHMMSS.exec(s);
  if (!m) return undefined;
  const [h, min, sec] = [BigInt(m[1]), BigInt(m[2]), BigInt(m[3])];
  if (h < 0n || min < 0n || min > 59n || sec < 0n || sec > 59n) return undefined;
  return ((h * 60n + min) * 60n + sec) * 1_000_000_000n;
}

/** query.ParseExecutionDurationStr; nanoseconds, or undefined when invalid. */
export function parseExecutionDuration(s: string): bigint | undefined {
  if (INT64.test(s)) {
    const v = BigInt(s);
    if (v <= MAX_INT64 && v >= -MAX_INT64 - 1n) return v;
  }
  return parseDurationWithDays(s) ?? parseHHMMSS(s);
}
