/** Output of the command line: plain tables for people, JSON for scripts (stdout only). */

export interface Output {
  /** A line of text for people. */
  line(text?: string): void;
  /** One JSON document (pretty-printed) for scripts. */
  json(value: unknown): void;
}

export const stdout: Output = {
  line(text = '') {
    process.stdout.write(`${text}\n`);
  },
  json(value) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  },
};

/** Display width of a string (combining marks take no space). */
function width(text: string): number {
  return [...text.normalize('NFC')].length;
}

function pad(text: string, size: number): string {
  return text + ' '.repeat(Math.max(0, size - width(text)));
}

/** A table with a header row, columns aligned with two spaces between them. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i])))
      .join('  ')
      .trimEnd();
  return [render(headers), render(widths.map((w) => '-'.repeat(w))), ...rows.map(render)];
}

/** One CSV field (RFC 4180 quoting). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(',');
}

export function percent(share: number | undefined): string {
  return share === undefined ? '—' : `${(share * 100).toFixed(share < 0.1 && share > 0 ? 1 : 0)}%`;
}

/** "3 trajectories", "1 trajectory". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
