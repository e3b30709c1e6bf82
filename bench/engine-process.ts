/** Spawning the engine as its own process and reading its CPU time and memory. */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The engine executable; BENCH_ENGINE names another build (to compare two builds on one machine state). */
export const ENGINE = process.env.BENCH_ENGINE ? path.resolve(process.env.BENCH_ENGINE) : path.resolve(__dirname, '../../bin/temporal-devserver');

/** BENCH_CPU_PROF=DIR: the engine writes a V8 CPU profile there when it stops (node --cpu-prof). */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(dir)] : [];
}

/** BENCH_ENGINE_FLAGS="--flag …": extra Node flags for the engine process (to try V8 settings). */
function extraFlags(): string[] {
  return (process.env.BENCH_ENGINE_FLAGS ?? '').split(' ').filter((f) => f !== '');
}

export interface EngineProcess {
  child: ChildProcess;
  address: string;
  stop(): Promise<void>;
  /** Live memory after a full collection: V8 heap in use plus buffers outside it (bytes). */
  liveMemory(): Promise<number>;
}

export async function startEngineProcess(port: number, args: string[]): Promise<EngineProcess> {
  const child = spawn(process.execPath, ['--expose-gc', ...extraFlags(), ...profileArgs(), ENGINE, 'server', 'start-dev', '--port', String(port), '--headless', '--log-level', 'warn', ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
  let pending: ((line: string) => void) | undefined;
  let buffered = '';
  child.stderr!.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.includes('memory: rss') && pending) pending(line);
      else process.stderr.write(line + '\n');
    }
  });
  for (let i = 0; i < 2000; i++) {
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    child,
    address: `127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }),
    liveMemory: () =>
      new Promise<number>((resolve) => {
        pending = (line) => {
          pending = undefined;
          const heap = Number(/heapUsed (\d+)/.exec(line)?.[1] ?? 0);
          const external = Number(/external (\d+)/.exec(line)?.[1] ?? 0);
          resolve(heap + external);
        };
        child.kill('SIGUSR2');
      }),
  };
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

/** User + system CPU seconds of a process, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

/** Resident memory of a process in bytes. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}
