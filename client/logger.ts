/**
 * Logs with pino: JSON lines by default, readable (pino-pretty) when the
 * destination is a terminal. No personal data: trajectories are named by their
 * workflow id (a pseudonym), and payloads, inputs and credentials are redacted
 * wherever they would appear. The worker's SDK logs go through the same logger.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { z } from 'zod';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export const logLevelSchema = z.enum(LOG_LEVELS);
export const logFormatSchema = z.enum(LOG_FORMATS);
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Keys whose values never reach a log line (personal data could hide in them, or secrets). */
export const REDACTED_KEYS = ['payload', 'input', 'args', 'fields', 'apiKey', 'api_key', 'authorization', 'tls', 'metadata'];

export interface LoggerOptions {
  readonly level?: string;
  readonly format?: LogFormat;
  /** 1 (stdout, the long-running `trajectory start`) or 2 (stderr, the one-shot commands). */
  readonly destination?: 1 | 2;
  readonly name?: string;
}

/** LOG_LEVEL and LOG_FORMAT from the environment, validated; flags win over them. */
export function loggerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): { level?: string; format?: LogFormat } {
  const level = logLevelSchema.safeParse(env.LOG_LEVEL?.toLowerCase());
  const format = logFormatSchema.safeParse(env.LOG_FORMAT?.toLowerCase());
  return { level: level.success ? level.data : undefined, format: format.success ? format.data : undefined };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? 2;
  const stream = destination === 1 ? process.stdout : process.stderr;
  const format = options.format ?? 'auto';
  const usePretty = format === 'pretty' || (format === 'auto' && stream.isTTY === true);
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]);
  const base = {
    name: options.name ?? 'trajectory',
    level: options.level ?? 'info',
    redact: { paths, censor: '[redacted]' },
  };
  if (usePretty) {
    return pino(base, pretty({ destination, sync: true, colorize: stream.isTTY === true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }));
  }
  return pino(base, pino.destination({ dest: destination, sync: true }));
}

const SDK_LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The Temporal SDK's logger interface on top of pino (for `Runtime.install`). */
export class PinoSdkLogger implements SdkLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const method = SDK_LEVELS[level] ?? 'info';
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(meta ?? {})) {
      if (key === 'error' && value instanceof Error) fields.err = value;
      else if (typeof value !== 'function') fields[key] = value;
    }
    this.logger[method](fields, message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
