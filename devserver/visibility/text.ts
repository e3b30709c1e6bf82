/**
 * Text and KeywordList matching as the SQLite visibility store does it with FTS5.
 *
 * Text (table executions_visibility_fts_text, tokenizer "unicode61 remove_diacritics 2"):
 *   `Attr = 'quick brown'` splits the value on spaces and builds the FTS query
 *   `Attr : ("quick" OR "brown")`: a record matches when its text contains ANY of
 *   the words, each word matched as a phrase of unicode61 tokens (case-folded,
 *   Latin diacritics removed). `!=` is the complement (`rowid NOT IN (...)`), so
 *   it is also true when the attribute is missing.
 *
 * KeywordList (table executions_visibility_fts_keyword_list, every character a token
 *   character except the U+2661 separator the store joins elements with):
 *   `Attr = 'v'` is true when some element equals 'v' after unicode61 case folding
 *   (so the match is case-insensitive); IN matches any of the values; != / NOT IN
 *   are complements and true for a missing attribute.
 */

const TOKEN = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{Mn}]*/gu;
const LATIN_DIACRITICS = /(\p{Script=Latin})\p{Mn}+/gu;
const NON_ASCII = /[^\x00-\x7f]/;

/** unicode61 case folding with remove_diacritics 2 (diacritics dropped from Latin letters). */
function foldToken(t: string): string {
  if (!NON_ASCII.test(t)) return t.toLowerCase();
  return t.normalize('NFD').replace(LATIN_DIACRITICS, '$1').normalize('NFC').toLowerCase();
}

/** In ASCII only letters and digits are token characters. */
function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function asciiTokens(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const alnum = i < s.length && isAsciiAlnum(s.charCodeAt(i));
    if (alnum && start < 0) start = i;
    else if (!alnum && start >= 0) {
      out.push(s.slice(start, i).toLowerCase());
      start = -1;
    }
  }
  return out;
}

/** Tokens of a Text value, as the unicode61 tokenizer produces them. */
export function textTokens(s: string): string[] {
  if (!NON_ASCII.test(s)) return asciiTokens(s);
  const out: string[] = [];
  for (const m of s.matchAll(TOKEN)) out.push(foldToken(m[0]));
  return out;
}

const CACHE_LIMIT = 10_000;
const tokenCache = new Map<string, string[]>();

function cachedTokens(s: string): string[] {
  let t = tokenCache.get(s);
  if (t === undefined) {
    if (tokenCache.size >= CACHE_LIMIT) tokenCache.clear();
    t = textTokens(s);
    tokenCache.set(s, t);
  }
  return t;
}

/** query.TokenizeTextQueryString: split on ' ' only, dropping empty words. */
export function splitTextQuery(value: string): string[] {
  return value.split(' ').filter((w) => w !== '');
}

/** Whether lower-cased ASCII text holds `token` between token boundaries. */
function hasAsciiToken(lower: string, token: string): boolean {
  for (let i = lower.indexOf(token); i >= 0; i = lower.indexOf(token, i + 1)) {
    const end = i + token.length;
    if ((i === 0 || !isAsciiAlnum(lower.charCodeAt(i - 1))) && (end === lower.length || !isAsciiAlnum(lower.charCodeAt(end)))) {
      return true;
    }
  }
  return false;
}

function hasPhrase(tokens: readonly string[], singles: ReadonlySet<string>, multi: readonly string[][]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (singles.has(tokens[i])) return true;
    for (const p of multi) {
      if (tokens[i] !== p[0] || i + p.length > tokens.length) continue;
      let j = 1;
      while (j < p.length && tokens[i + j] === p[j]) j++;
      if (j === p.length) return true;
    }
  }
  return false;
}

/**
 * A matcher for `Text = value` with the value's words already split; a word whose
 * phrase has no tokens matches nothing.
 */
export function textMatcher(words: readonly string[]): (text: string) => boolean {
  const phrases = words.map(textTokens).filter((p) => p.length > 0);
  const singles = new Set(phrases.filter((p) => p.length === 1).map((p) => p[0]));
  const multi = phrases.filter((p) => p.length > 1);
  // Tokens of ASCII text are ASCII, so only ASCII phrases can match it.
  const asciiSingles = [...singles].filter((t) => !NON_ASCII.test(t));
  const asciiMulti = multi.filter((p) => p.every((t) => !NON_ASCII.test(t)));
  const none = new Set<string>();
  return (text: string): boolean => {
    if (NON_ASCII.test(text)) return hasPhrase(cachedTokens(text), singles, multi);
    const lower = text.toLowerCase();
    for (const t of asciiSingles) if (hasAsciiToken(lower, t)) return true;
    return asciiMulti.length > 0 && hasPhrase(asciiTokens(text), none, asciiMulti);
  };
}

/** Case folding of a whole KeywordList element (one FTS token). */
export function foldKeyword(s: string): string {
  return s.toLowerCase();
}

/** A matcher for `KeywordList IN (values)` (or `=` with one value). */
export function keywordListMatcher(values: readonly string[]): (list: readonly string[]) => boolean {
  const wanted = new Set(values.filter((v) => v !== '').map(foldKeyword));
  if (wanted.size === 1) {
    const only = wanted.values().next().value as string;
    return (list) => {
      for (let i = 0; i < list.length; i++) {
        const e = list[i];
        if (typeof e === 'string' && foldKeyword(e) === only) return true;
      }
      return false;
    };
  }
  return (list) => {
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (typeof e === 'string' && wanted.has(foldKeyword(e))) return true;
    }
    return false;
  };
}
