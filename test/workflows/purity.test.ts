import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Workflow code runs in Temporal's deterministic sandbox: only domain/, the SDK's workflow-safe packages and zod. */
const root = join(__dirname, '..', '..');
const files = (dir: string): string[] => readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));

test.each(files('workflows'))('%s imports only workflow-safe code and uses no wall clock or randomness', (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
  for (const source of imports) {
    expect(['@temporalio/workflow', '@temporalio/common', 'zod', '../domain'].includes(source) || source.startsWith('./')).toBe(true);
  }
  for (const forbidden of [/\brequire\(/, /\bprocess\./, /Math\.random/, /setTimeout/, /from 'node:/]) expect(text).not.toMatch(forbidden);
});

test.each([...files('workflows'), ...files('activities'), ...files('worker'), ...files('test/workflows'), ...files('test/activities')])(
  '%s stays under 400 lines',
  (file) => {
    expect(readFileSync(join(root, file), 'utf8').split('\n').length).toBeLessThanOrEqual(400);
  },
);
