/**
 * Connection settings the Temporal way, in one place for the command line and
 * the worker: an @temporalio/envconfig profile (the TOML file of the Temporal
 * CLI, TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) overridden by the TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS* and TEMPORAL_GRPC_META_*
 * variables, overridden by command-line flags. When none of them names an
 * address, nothing is configured: `trajectory start` then runs the embedded
 * engine and the other commands talk to it (its address is kept in the data folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import { z } from 'zod';
import { CliError, EXIT, toCliError, usageError } from './errors';

export const DEFAULT_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_DATA_DIR = '.data';

/** What a user can pass on the command line; each overrides the profile and the environment. */
export interface ConnectionFlags {
  readonly address?: string;
  readonly namespace?: string;
  readonly profile?: string;
  /** Folder of the embedded engine (its address file), default `.data`. */
  readonly dataDir?: string;
}

/** TLS and credentials, in the shape both `Connection.connect` and `NativeConnection.connect` take. */
export interface ConnectionOptions {
  readonly address: string;
  readonly tls?: ReturnType<typeof toClientOptions>['connectionOptions']['tls'];
  readonly apiKey?: string;
  readonly metadata?: Record<string, string>;
}

export interface ConnectionSettings {
  /** `configured`: a cluster or Temporal Cloud named by flags, profile or environment; `embedded`: the local engine. */
  readonly mode: 'configured' | 'embedded';
  readonly namespace: string;
  readonly options: ConnectionOptions;
  /** For messages and logs: never contains the API key or certificates. */
  readonly description: string;
}

const addressSchema = z
  .string()
  .trim()
  .regex(/^(?:\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/, 'expected HOST:PORT, e.g. 127.0.0.1:7233 or my-ns.a1b2c.tmprl.cloud:7233');
const namespaceSchema = z.string().trim().min(1, 'must not be empty').max(255).regex(/^\S+$/, 'must not contain spaces');

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw usageError(`${what}: ${result.error.issues.map((i) => i.message).join('; ')}`);
  return result.data;
}

/** Where `trajectory start` records the address of the embedded engine it runs. */
export function engineFile(dataDir: string): string {
  return path.join(dataDir, 'engine.json');
}

const engineFileSchema = z.strictObject({ address: addressSchema, pid: z.number().int().positive(), dataFile: z.string() });
export type EngineFile = z.infer<typeof engineFileSchema>;

export function writeEngineFile(dataDir: string, content: EngineFile): void {
  fs.writeFileSync(engineFile(dataDir), `${JSON.stringify(content, null, 2)}\n`);
}

export function readEngineFile(dataDir: string): EngineFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(engineFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = engineFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function removeEngineFile(dataDir: string): void {
  fs.rmSync(engineFile(dataDir), { force: true });
}

function loadProfile(flags: ConnectionFlags, env: NodeJS.ProcessEnv): ClientConfigProfile {
  try {
    return loadClientConfigProfile({
      profile: flags.profile,
      overrideEnvVars: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
    });
  } catch (error) {
    throw usageError(`connection settings: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Resolves the settings: flags over environment over profile; without an
 * address anywhere, the embedded engine (the address `trajectory start` wrote
 * in the data folder, or 127.0.0.1:7233).
 */
export function loadConnectionSettings(flags: ConnectionFlags = {}, env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const profile = loadProfile(flags, env);
  const namespace = checked(namespaceSchema, flags.namespace ?? profile.namespace ?? DEFAULT_NAMESPACE, 'namespace');
  const configuredAddress = flags.address ?? profile.address;
  if (configuredAddress !== undefined) {
    const address = checked(addressSchema, configuredAddress, flags.address !== undefined ? '--address' : 'TEMPORAL_ADDRESS / profile address');
    const client = toClientOptions({ ...profile, address, namespace });
    const options: ConnectionOptions = {
      address,
      tls: client.connectionOptions.tls,
      apiKey: profile.apiKey,
      metadata: profile.grpcMeta,
    };
    const security = [options.tls ? 'TLS' : 'plaintext', options.apiKey ? 'API key' : undefined].filter(Boolean).join(', ');
    return { mode: 'configured', namespace, options, description: `${address} (namespace ${namespace}, ${security})` };
  }
  const dataDir = flags.dataDir ?? DEFAULT_DATA_DIR;
  const address = readEngineFile(dataDir)?.address ?? DEFAULT_ADDRESS;
  return { mode: 'embedded', namespace, options: { address }, description: `${address} (embedded engine, namespace ${namespace})` };
}

/** The settings for `trajectory start` when it runs the embedded engine itself on `port`. */
export function embeddedSettings(port: number, namespace: string): ConnectionSettings {
  const address = `127.0.0.1:${port}`;
  return { mode: 'embedded', namespace, options: { address }, description: `${address} (embedded engine, namespace ${namespace})` };
}

/** A client connection (grpc-js); fails fast with exit code 4 when Temporal cannot be reached. */
export async function connectClient(settings: ConnectionSettings, connectTimeoutMs = 5000): Promise<Connection> {
  try {
    return await Connection.connect({
      address: settings.options.address,
      tls: settings.options.tls,
      apiKey: settings.options.apiKey,
      metadata: settings.options.metadata,
      connectTimeout: connectTimeoutMs,
    });
  } catch (error) {
    const failure = toCliError(error, settings.description);
    if (failure.exitCode === EXIT.internal) throw new CliError(`cannot reach Temporal at ${settings.description}: ${failure.message}`, EXIT.connection);
    throw failure;
  }
}
