/**
 * Drives the real `bin/trajectory` command (built into dist/ by `npm test`) as
 * a user would: `trajectory start` as a child process with its own embedded
 * engine and data folder, and one-shot commands pointed at it with TEMPORAL_ADDRESS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/spawn-engine';

export const ROOT = path.resolve(__dirname, '../..');
export const TRAJECTORY = path.join(ROOT, 'bin', 'trajectory');
export const EXAMPLE_INTAKE = path.join(ROOT, 'examples', 'intake.csv');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One master key and one participant key folder for this test process, shared by every command it runs. */
export const TEST_KEYS = `k-e2e=${randomBytes(32).toString('base64')}`;
export const TEST_PARTICIPANT_KEYS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'trajectory-participant-keys-'));

/**
 * The environment without the user's Temporal or key settings (no config file, no TEMPORAL_*
 * or TRAJECTORY_* variables), with this test process's master key and participant key folder.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('TEMPORAL_') && !key.startsWith('TRAJECTORY_') && key !== 'LOG_LEVEL' && key !== 'LOG_FORMAT') env[key] = value;
  }
  return {
    ...env,
    TEMPORAL_CONFIG_FILE: path.join(os.tmpdir(), 'no-such-temporal.toml'),
    TRAJECTORY_KEYS: TEST_KEYS,
    TRAJECTORY_PARTICIPANT_KEYS_DIR: TEST_PARTICIPANT_KEYS_DIR,
    ...extra,
  };
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TRAJECTORY, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `trajectory-${name}-`));
}

export interface LogLine {
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** A running `trajectory start`: its JSON log lines, and Ctrl-C. */
export class MainJob {
  private buffer = '';
  readonly lines: LogLine[] = [];
  private waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly address: string,
    readonly dataDir: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => this.take(chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const w of this.waiters) w.resolve({ msg: '(exited)' });
      this.waiters = [];
    });
  }

  /** `ui: true` runs the engine's Web UI on a free port (`uiPort`); otherwise the engine is headless. */
  static async start(options: { dataDir: string; intake?: string; ui?: boolean; extraArgs?: string[]; env?: Record<string, string> }): Promise<MainJob> {
    const port = await freePort();
    const ui = options.ui ? ['--ui-port', String(await freePort())] : ['--headless'];
    const args = ['start', '--port', String(port), ...ui, '--data-dir', options.dataDir, ...(options.intake ? ['--intake', options.intake] : []), ...(options.extraArgs ?? [])];
    const child = spawn(process.execPath, [TRAJECTORY, ...args], { env: cleanEnv(options.env), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const job = new MainJob(child, `127.0.0.1:${port}`, options.dataDir);
    const ready = await job.waitFor((l) => l.msg === 'ready');
    if (ready.msg !== 'ready') throw new Error(`trajectory start did not get ready:\n${job.stderr}\n${job.lines.map((l) => JSON.stringify(l)).join('\n')}`);
    return job;
  }

  /** Environment for one-shot commands against this job's engine. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return cleanEnv({ TEMPORAL_ADDRESS: this.address, ...extra });
  }

  run(args: readonly string[], extra: Record<string, string> = {}): Promise<CliResult> {
    return runCli(args, this.env(extra));
  }

  private take(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const raw = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        line = { msg: raw };
      }
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(line)) return true;
        w.resolve(line);
        return false;
      });
    }
  }

  /** The first log line (already written or still to come) that matches; `{ msg: '(exited)' }` if the job ends first. */
  waitFor(match: (l: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    if (this.child.exitCode !== null) return Promise.resolve({ msg: '(exited)' });
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Ctrl-C, as a terminal sends it; resolves with the exit code. */
  async interrupt(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGINT');
    return this.exited;
  }
}

/** An Amsterdam calendar date `days` from today, YYYY-MM-DD. */
export function isoDay(days = 0): string {
  const now = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Parses stdout as JSON, failing with the whole output when it is not. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
