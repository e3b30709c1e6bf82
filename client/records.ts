/**
 * Reads a file of records (CSV, JSON or JSON Lines) into plain objects with
 * the line each record starts on, so every problem can be reported as
 * "line N, field F: reason". Cells are never echoed in problems: they may hold
 * personal data that does not belong there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { notFoundError, usageError } from './errors';

export interface SourceRecord {
  /** 1-based line of the file where the record starts. */
  readonly line: number;
  /** Canonical field name → value (CSV: non-empty trimmed strings; JSON: as written). */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface Problem {
  readonly line: number;
  /** The field (column) concerned, when there is one. */
  readonly field?: string;
  readonly reason: string;
}

export interface ReadResult {
  readonly format: 'csv' | 'json' | 'jsonl';
  readonly records: SourceRecord[];
  /** Problems with the file itself or with a whole record (e.g. an unknown column). */
  readonly problems: Problem[];
}

/** Maps a header (or JSON key) to its canonical name, or undefined when the format has no such field. */
export type ColumnMapper = (name: string) => string | undefined;

/** "Participant Ref", "participant_ref", "participant-ref" → "participantref". */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

export function readRecordFile(file: string, columns: ColumnMapper, unknownHint: string): ReadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notFoundError(`file not found: ${file}`);
    throw usageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const ext = path.extname(file).toLowerCase();
  const format = ext === '.json' ? 'json' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' || ext === '.txt' ? 'csv' : sniff(text);
  if (format === 'csv') return readCsv(text, columns, unknownHint);
  if (format === 'jsonl') return readJsonLines(text, columns, unknownHint);
  return readJson(text, columns, unknownHint);
}

function sniff(text: string): 'csv' | 'json' {
  const first = text.trimStart()[0];
  return first === '[' || first === '{' ? 'json' : 'csv';
}

function readCsv(text: string, columns: ColumnMapper, unknownHint: string): ReadResult {
  const headerLine = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  const delimiter = headerLine.includes(';') && !headerLine.includes(',') ? ';' : headerLine.includes('\t') && !headerLine.includes(',') ? '\t' : ',';
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, trim: true, comment: '#', comment_no_infix: true }) as unknown as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { format: 'csv', records: [], problems: [{ line: line ?? 1, reason: `not readable as CSV: ${csvReason(error)}` }] };
  }
  if (rows.length === 0) return { format: 'csv', records: [], problems: [{ line: 1, reason: 'the file is empty: expected a header line' }] };
  const [header, ...body] = rows;
  const headerLineNo = startLine(header.record, header.info.lines);
  const problems: Problem[] = [];
  const names = header.record.map((name, i) => {
    if (name === '') {
      problems.push({ line: headerLineNo, reason: `column ${i + 1} has no name` });
      return undefined;
    }
    const canonical = columns(name);
    if (canonical === undefined) problems.push({ line: headerLineNo, field: name, reason: `unknown column "${name}"; ${unknownHint}` });
    return canonical;
  });
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === undefined) return;
    if (seen.has(name)) problems.push({ line: headerLineNo, field: header.record[i], reason: `column "${header.record[i]}" appears twice` });
    seen.set(name, i);
  });
  if (problems.length > 0) return { format: 'csv', records: [], problems };
  const records: SourceRecord[] = [];
  for (const row of body) {
    const line = startLine(row.record, row.info.lines);
    if (row.record.length > names.length) {
      problems.push({ line, reason: `${row.record.length} cells where the header has ${names.length} columns` });
      continue;
    }
    const values: Record<string, unknown> = {};
    row.record.forEach((cell, i) => {
      const name = names[i];
      if (name !== undefined && cell !== '') values[name] = cell;
    });
    records.push({ line, values });
  }
  return { format: 'csv', records, problems };
}

/** csv-parse reports the line a record ends on; a quoted cell may span lines. */
function startLine(cells: readonly string[], endLine: number): number {
  const breaks = cells.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
  return endLine - breaks;
}

/** csv-parse messages quote the offending text; keep only its kind of problem. */
function csvReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote is opened and never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by other characters';
    default:
      return code ?? 'invalid CSV';
  }
}

function objectRecord(value: unknown, line: number, columns: ColumnMapper, unknownHint: string, problems: Problem[]): SourceRecord | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ line, reason: 'expected an object with the fields of one record' });
    return undefined;
  }
  const values: Record<string, unknown> = {};
  let ok = true;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const canonical = columns(key);
    if (canonical === undefined) {
      problems.push({ line, field: key, reason: `unknown field "${key}"; ${unknownHint}` });
      ok = false;
      continue;
    }
    if (v !== null && v !== '') values[canonical] = typeof v === 'string' ? v.trim() : v;
  }
  return ok ? { line, values } : undefined;
}

function readJsonLines(text: string, columns: ColumnMapper, unknownHint: string): ReadResult {
  const records: SourceRecord[] = [];
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((lineText, i) => {
    if (lineText.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch {
      problems.push({ line: i + 1, reason: 'not valid JSON' });
      return;
    }
    const record = objectRecord(value, i + 1, columns, unknownHint, problems);
    if (record) records.push(record);
  });
  return { format: 'jsonl', records, problems };
}

function readJson(text: string, columns: ColumnMapper, unknownHint: string): ReadResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String((error as Error).message));
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : 1;
    return { format: 'json', records: [], problems: [{ line, reason: 'not valid JSON' }] };
  }
  let items: unknown[];
  let depth: 1 | 2;
  if (Array.isArray(document)) {
    items = document;
    depth = 1;
  } else if (typeof document === 'object' && document !== null && Object.keys(document).length === 1 && Array.isArray(Object.values(document)[0])) {
    // One key holding the array: { "trajectories": [ … ] } or { "results": [ … ] }.
    items = Object.values(document)[0] as unknown[];
    depth = 2;
  } else {
    return { format: 'json', records: [], problems: [{ line: 1, reason: 'expected an array of records, or an object with one key holding that array' }] };
  }
  const lines = elementLines(text, depth);
  const records: SourceRecord[] = [];
  const problems: Problem[] = [];
  items.forEach((item, i) => {
    const record = objectRecord(item, lines[i] ?? 1, columns, unknownHint, problems);
    if (record) records.push(record);
  });
  return { format: 'json', records, problems };
}

/**
 * The line on which each element of the records array starts: the root array
 * (depth 1) or the array inside the root object (depth 2). A small scanner
 * over valid JSON that skips strings.
 */
export function elementLines(text: string, depth: 1 | 2): number[] {
  const lines: number[] = [];
  const stack: string[] = [];
  let line = 1;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    const inTarget = stack.length === depth && stack[depth - 1] === '[';
    if (inTarget && expectElement && c !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
      }
    } else if (c === '[' || c === '{') {
      stack.push(c);
      if (stack.length === depth && c === '[') expectElement = true;
    } else if (c === ']' || c === '}') {
      stack.pop();
    } else if (c === ',' && inTarget) {
      expectElement = true;
    }
  }
  return lines;
}
