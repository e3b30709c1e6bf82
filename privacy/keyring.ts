/**
 * Where the master keys come from, in this order:
 *   1. TRAJECTORY_KEYS: inline, the key file's JSON or `id=base64,id=base64`;
 *   2. the file TRAJECTORY_KEYS_FILE;
 *   3. the default file: $XDG_CONFIG_HOME/trajectory/keys.json, else ~/.config/trajectory/keys.json.
 * Keys are never read from the repository: keep the key file outside any work
 * tree (or git-ignored), and out of the backups of the data it protects.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { KeyFileError, MissingKeyError } from './errors';
import { parseInlineKeys, readKeyFile } from './key-file';
import { Keyring } from './master-key';

export { createKey, parseInlineKeys, parseKeyFile, readKeyFile, keyFileSchema, type KeyFile } from './key-file';
export { describeKeys, Keyring, type KeyDescription, type MasterKey } from './master-key';
export { KeyFileError, MissingKeyError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** `$XDG_CONFIG_HOME/trajectory/keys.json`, else `~/.config/trajectory/keys.json`. */
export function defaultKeysFile(env: Env = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec ignores a relative XDG_CONFIG_HOME.
  if (set(xdg) && path.isAbsolute(xdg)) return path.join(xdg, 'trajectory', 'keys.json');
  const home = set(env.HOME) ? env.HOME : os.homedir();
  return path.join(home, '.config', 'trajectory', 'keys.json');
}

/** The key file in use: TRAJECTORY_KEYS_FILE, else the default; `trajectory keys create` writes it. */
export function keysFile(env: Env = process.env): string {
  return set(env.TRAJECTORY_KEYS_FILE) ? path.resolve(env.TRAJECTORY_KEYS_FILE) : defaultKeysFile(env);
}

/** Where loadKeyring takes the keys from. */
export type KeySource = { kind: 'inline'; name: 'TRAJECTORY_KEYS' } | { kind: 'file'; path: string };

export function keySource(env: Env = process.env): KeySource {
  return set(env.TRAJECTORY_KEYS) ? { kind: 'inline', name: 'TRAJECTORY_KEYS' } : { kind: 'file', path: keysFile(env) };
}

function keyringFrom(keys: ConstructorParameters<typeof Keyring>[0], source: string): Keyring {
  try {
    return new Keyring(keys);
  } catch (error) {
    throw new KeyFileError(source, error instanceof Error ? error.message : String(error));
  }
}

/**
 * The master keys, from TRAJECTORY_KEYS, else TRAJECTORY_KEYS_FILE, else the
 * default file. Throws MissingKeyError when there are none, KeyFileError when
 * they are invalid.
 */
export function loadKeyring(env: Env = process.env): Keyring {
  const source = keySource(env);
  if (source.kind === 'inline') return keyringFrom(parseInlineKeys(env.TRAJECTORY_KEYS as string), source.name);
  const keys = readKeyFile(source.path);
  if (!keys) throw new MissingKeyError(source.path);
  return keyringFrom(keys, source.path);
}
