/**
 * Typed literal values (as the Go converter sees them: string, int64, float64,
 * bool, []any) and the Go / sqlparser formatting used inside server error texts.
 */

export type Lit =
  | { k: 'str'; v: string }
  | { k: 'int'; v: bigint }
  | { k: 'float'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'list'; items: Lit[] }
  /** A Datetime value after conversion: epoch microseconds and the server's SQL text. */
  | { k: 'time'; us: number; text: string };

/** Go's %T */
export function goType(l: Lit): string {
  switch (l.k) {
    case 'str':
    case 'time':
      return 'string';
    case 'int':
      return 'int64';
    case 'float':
      return 'float64';
    case 'bool':
      return 'bool';
    case 'list':
      return '[]interface {}';
  }
}

/** Go's %v */
export function goValue(l: Lit): string {
  switch (l.k) {
    case 'str':
      return l.v;
    case 'time':
      return l.text;
    case 'int':
      return l.v.toString();
    case 'float':
      return goFloat(l.v);
    case 'bool':
      return String(l.v);
    case 'list':
      return `[${l.items.map(goValue).join(' ')}]`;
  }
}

/** Go's %#v */
export function goSyntax(l: Lit): string {
  switch (l.k) {
    case 'str':
      return goQuote(l.v);
    case 'time':
      return goQuote(l.text);
    case 'list':
      return `[]interface {}{${l.items.map(goSyntaxInterface).join(', ')}}`;
    default:
      return goValue(l);
  }
}

function goSyntaxInterface(l: Lit): string {
  // Inside []interface{}, %#v prints non-string scalars with their type.
  switch (l.k) {
    case 'int':
      return `${l.v}`;
    case 'float':
      return goFloat(l.v);
    default:
      return goSyntax(l);
  }
}

/** strconv.FormatFloat(v, 'g', -1, 64), which is what %v prints for a float64. */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, expStr] = v.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mant}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return fixedFromExponential(v);
}

/** strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
export function goFloatF(v: number): string {
  if (!Number.isFinite(v)) return goFloat(v);
  return fixedFromExponential(v);
}

function fixedFromExponential(v: number): string {
  const neg = v < 0;
  const [mant, expStr] = Math.abs(v).toExponential().split('e');
  const exp = Number(expStr);
  const digits = mant.replace('.', '');
  let out: string;
  if (exp >= 0) {
    if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
    else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${out}` : out;
}

/** strconv.Quote */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if ((cp >= 0x80 && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += cp >= 0xd800 ? '\\ufffd' : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out + '"';
}

const SQL_ESCAPES: Record<string, string> = {
  "'": "''",
  '"': '\\"',
  '\b': '\\b',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\\': '\\\\',
};

/** The escaping the SQL converter applies to string values (escapeCharMap). */
export function sqlEscape(s: string): string {
  return s.replace(/['"\b\n\r\t\\]/g, (c) => SQL_ESCAPES[c]);
}

/** sqlparser.String() of a value expression built by the SQL query converter. */
export function sqlString(l: Lit): string {
  switch (l.k) {
    case 'str':
      return `'${sqlEscape(l.v)}'`;
    case 'time':
      return `'${sqlEscape(l.text)}'`;
    case 'int':
      return l.v.toString();
    case 'float':
      return goFloatF(l.v);
    case 'bool':
      return String(l.v);
    case 'list':
      return `(${l.items.map(sqlString).join(', ')})`;
  }
}
