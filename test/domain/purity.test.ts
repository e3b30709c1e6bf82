import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** domain/ runs inside the Temporal workflow sandbox: no I/O, no Node APIs, no clock, no randomness. */
const root = join(__dirname, '..', '..', 'domain');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = sources(root);

test.each(files.map((f) => [relative(root, f), f]))('%s is pure and small', (_name, file) => {
  const text = readFileSync(file, 'utf8');
  const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
  for (const source of imports) expect(source === 'zod' || source.startsWith('.')).toBe(true);
  for (const forbidden of [/\brequire\(/, /\bprocess\./, /\bBuffer\b/, /Date\.now/, /new Date\(/, /Math\.random/, /setTimeout/]) {
    expect(text).not.toMatch(forbidden);
  }
  expect(text.split('\n').length).toBeLessThanOrEqual(400);
});
