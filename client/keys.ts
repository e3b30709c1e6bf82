/**
 * `trajectory keys create|list`: the master keys that encrypt every Temporal
 * payload and wrap the participants' data keys (privacy/). Prints key ids,
 * dates and the file, never a key.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { createKey, describeKeys, keySource, keysFile, loadKeyring, MissingKeyError, type Keyring } from '../privacy';
import { stdout, table } from './output';
import { cliKeyError } from './privacy';

type Env = Readonly<Record<string, string | undefined>>;

/** The keyring that loads now (from `file`, else as loadKeyring finds it), or undefined when there is none. */
function existingKeyring(env: Env, file: string | undefined): Keyring | undefined {
  try {
    return loadKeyring(file === undefined ? env : { TRAJECTORY_KEYS_FILE: file });
  } catch (error) {
    if (error instanceof MissingKeyError) return undefined;
    throw error;
  }
}

function sourceText(env: Env): string {
  const source = keySource(env);
  return source.kind === 'inline' ? source.name : source.path;
}

interface CreateOptions {
  file?: string;
  ifMissing?: boolean;
  json?: boolean;
}

function createAction(env: Env, options: CreateOptions): void {
  const file = options.file === undefined ? undefined : path.resolve(options.file);
  if (options.ifMissing) {
    const keyring = existingKeyring(env, file);
    if (keyring) {
      const from = file ?? sourceText(env);
      if (options.json) stdout.json({ created: false, source: from, newest: keyring.newest.id });
      else stdout.line(`keys present in ${from} (newest ${keyring.newest.id}); nothing created`);
      return;
    }
  }
  const target = file ?? keysFile(env);
  const key = createKey(target);
  if (options.json) {
    stdout.json({ created: true, id: key.id, createdAt: key.createdAt, file: target });
    return;
  }
  stdout.line(`created key ${key.id} in ${target}; it encrypts from now on (older keys still decrypt)`);
  if (keySource(env).kind === 'inline') process.stderr.write('trajectory: note: TRAJECTORY_KEYS is set and takes precedence over the key file\n');
}

function listAction(env: Env, options: { json?: boolean }): void {
  const keyring = loadKeyring(env);
  const keys = describeKeys(keyring);
  if (options.json) {
    stdout.json({ source: sourceText(env), keys });
    return;
  }
  stdout.line(`keys from ${sourceText(env)}:`);
  const rows = keys.map((k) => [k.id, k.createdAt, k.newest ? 'newest: encrypts' : 'decrypts']);
  for (const line of table(['id', 'created', 'use'], rows)) stdout.line(`  ${line}`);
}

/**
 * The `keys` command with its sub-commands. Pass the parent program so that the
 * sub-commands take its settings (exitOverride, help after errors).
 */
export function keysCommand(inherit?: Command, env: Env = process.env): Command {
  const keys = new Command('keys');
  if (inherit) keys.copyInheritedSettings(inherit);
  keys
    .description('Master keys that encrypt every payload sent to Temporal: create (and rotate) or list them. Never prints a key.')
    .addHelpText(
      'after',
      '\nKeys come from TRAJECTORY_KEYS (inline), else TRAJECTORY_KEYS_FILE, else ~/.config/trajectory/keys.json\n' +
        '($XDG_CONFIG_HOME/trajectory/keys.json). Keep the file outside the repository. Rotate: run "keys create" again.',
    );

  const create = keys
    .command('create')
    .description('Add a fresh random key to the key file (created with mode 0600); the newest key encrypts, older ones still decrypt.')
    .option('--file <path>', 'the key file (default: TRAJECTORY_KEYS_FILE, else ~/.config/trajectory/keys.json)')
    .option('--if-missing', 'do nothing when keys already load (from the environment or the file)')
    .option('--json', 'print the result as JSON');
  create.action(() => {
    try {
      createAction(env, create.opts<CreateOptions>());
    } catch (error) {
      throw cliKeyError(error);
    }
  });

  const list = keys
    .command('list')
    .description('The key ids and their creation dates; the newest (the one that encrypts) marked.')
    .option('--json', 'print as JSON');
  list.action(() => {
    try {
      listAction(env, list.opts<{ json?: boolean }>());
    } catch (error) {
      throw cliKeyError(error);
    }
  });

  return keys;
}
