/** `trajectory keys create|list`: key ids, dates and the file, never a key. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../client/cli';
import { readKeyFile } from '../../privacy';
import { removeTempDirs, tempDir } from './temp';

const saved = { ...process.env };
let out: string[];
let err: string[];

beforeEach(() => {
  out = [];
  err = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  for (const name of ['TRAJECTORY_KEYS', 'TRAJECTORY_KEYS_FILE', 'XDG_CONFIG_HOME']) delete process.env[name];
  process.env.HOME = tempDir();
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
});

afterAll(removeTempDirs);

const stdout = (): string => out.join('');
const stderr = (): string => err.join('');

describe('trajectory keys', () => {
  it('creates a key in the default file, prints its id and the file, and lists keys with the newest marked', async () => {
    const file = path.join(process.env.HOME as string, '.config', 'trajectory', 'keys.json');
    expect(await main(['keys', 'create'])).toBe(0);
    const [first] = readKeyFile(file) ?? [];
    expect(stdout()).toBe(`created key ${first.id} in ${file}; it encrypts from now on (older keys still decrypt)\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    out = [];
    expect(await main(['keys', 'create'])).toBe(0);
    const keys = readKeyFile(file) ?? [];
    expect(keys).toHaveLength(2);

    out = [];
    expect(await main(['keys', 'list'])).toBe(0);
    const listing = stdout();
    expect(listing).toContain(`keys from ${file}:`);
    expect(listing).toMatch(new RegExp(`${keys[0].id} .* decrypts\\n`));
    expect(listing).toMatch(new RegExp(`${keys[1].id} .* newest: encrypts\\n`));
    for (const k of keys) expect(listing).not.toContain(k.key.toString('base64'));

    out = [];
    expect(await main(['keys', 'list', '--json'])).toBe(0);
    expect(JSON.parse(stdout())).toEqual({
      source: file,
      keys: [
        { id: keys[0].id, createdAt: keys[0].createdAt, newest: false },
        { id: keys[1].id, createdAt: keys[1].createdAt, newest: true },
      ],
    });
  });

  it('--file writes that file; --if-missing creates only when no key loads', async () => {
    const file = path.join(tempDir(), 'secure', 'keys.json');
    expect(await main(['keys', 'create', '--file', file, '--if-missing', '--json'])).toBe(0);
    const created = JSON.parse(stdout());
    expect(created).toEqual({ created: true, id: expect.stringMatching(/^k-\d{8}-[0-9a-f]{6}$/), createdAt: expect.any(String), file });
    out = [];
    expect(await main(['keys', 'create', '--file', file, '--if-missing'])).toBe(0);
    expect(stdout()).toBe(`keys present in ${file} (newest ${created.id}); nothing created\n`);
    expect(readKeyFile(file)).toHaveLength(1);

    // Keys from the environment count too.
    process.env.TRAJECTORY_KEYS_FILE = file;
    out = [];
    expect(await main(['keys', 'create', '--if-missing'])).toBe(0);
    expect(stdout()).toContain('nothing created');
    expect(fs.existsSync(path.join(process.env.HOME as string, '.config'))).toBe(false);
  });

  it('exits 3 with the way to create a key when there is none, and 2 for a broken key file', async () => {
    const file = path.join(process.env.HOME as string, '.config', 'trajectory', 'keys.json');
    expect(await main(['keys', 'list'])).toBe(2);
    expect(stderr()).toBe(
      `trajectory: no encryption key: create one with \`trajectory keys create\` (writes ${file}), or set TRAJECTORY_KEYS_FILE / TRAJECTORY_KEYS\n`,
    );
    err = [];
    const broken = path.join(tempDir(), 'keys.json');
    fs.writeFileSync(broken, '{"version": 2, "keys": []}');
    expect(await main(['keys', 'create', '--file', broken])).toBe(2);
    expect(stderr()).toBe(`trajectory: ${broken}: version: must be 1\n`);
  });

  it('reports a bad option as a usage error (exit 2) instead of ending the process', async () => {
    expect(await main(['keys', 'create', '--bogus'])).toBe(2);
    expect(stderr()).toContain("unknown option '--bogus'");
  });
});
