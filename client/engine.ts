/**
 * The embedded engine as `trajectory start` runs it: `bin/temporal-devserver
 * server start-dev` with a durable data file, spawned exactly as one would spawn
 * the Temporal CLI's dev server. It runs in its own process group, so a Ctrl-C
 * in the terminal reaches `trajectory start` only, which stops the worker first
 * and then the engine (SIGTERM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CliError, EXIT } from './errors';
import type { Logger } from './logger';

export interface EmbeddedEngine {
  readonly address: string;
  readonly port: number;
  readonly dataFile: string;
  readonly pid: number;
  /** Resolves with the exit code when the engine process ends (for whatever reason). */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface EngineOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly logger: Logger;
  /** The engine's own log level and format (it logs to its stderr, passed through). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly logFormat?: 'json' | 'pretty';
  readonly readyTimeoutMs?: number;
}

/** bin/temporal-devserver of this package (from client/ in sources, dist/client/ when built). */
export function devserverPath(): string {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'bin', 'temporal-devserver');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new CliError('bin/temporal-devserver not found next to the trajectory command', EXIT.internal);
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startEmbeddedEngine(options: EngineOptions): Promise<EmbeddedEngine> {
  const { dataDir, port, logger } = options;
  fs.mkdirSync(dataDir, { recursive: true });
  const dataFile = path.join(dataDir, 'engine.db');
  if (!(await portFree(port))) {
    throw new CliError(
      `port ${port} is in use: another engine or Temporal server runs there. Stop it, pass --port, or point TEMPORAL_ADDRESS at it to run only the worker`,
      EXIT.usage,
    );
  }
  const args = [devserverPath(), 'server', 'start-dev', '--port', String(port), '--db-filename', dataFile];
  // Headless: `trajectory start` serves the Web UI itself, with the codec endpoint that holds the keys.
  args.push('--headless');
  args.push('--log-level', options.logLevel ?? 'warn', '--log-format', options.logFormat ?? 'json');
  const child: ChildProcess = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'inherit', 'pipe'] });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  // If this process ends in any way, do not leave the engine behind.
  const reap = () => {
    if (!gone) child.kill('SIGTERM');
  };
  process.once('exit', reap);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (!(await accepts(port))) {
    if (gone) throw new CliError(`the embedded engine exited while starting: ${tail.trim() || 'no message'}`, EXIT.internal);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new CliError(`the embedded engine did not listen on port ${port} in time: ${tail.trim() || 'no message'}`, EXIT.internal);
    }
    await sleep(50);
  }
  logger.debug({ pid: child.pid, port, dataFile }, 'embedded engine listening');

  return {
    address: `127.0.0.1:${port}`,
    port,
    dataFile,
    pid: child.pid as number,
    exited,
    async stop(graceMs = 10_000) {
      process.removeListener('exit', reap);
      if (gone) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
