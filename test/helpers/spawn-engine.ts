/** Runs bin/temporal-devserver as a child process, as a user would, for durability tests. */
import { spawn, ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { ENGINE } from './engine';

/** Ports this test process has handed out: the OS may offer a just-closed port again. */
const handedOut = new Set<number>();

/** A port nothing listens on now, never one this process handed out before (so two picks differ). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
      srv.on('error', reject);
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

export interface SpawnedEngine {
  address: string;
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

export async function spawnEngine(args: string[], port?: number): Promise<SpawnedEngine> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [ENGINE, 'server', 'start-dev', '--port', String(p), '--headless', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${p}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await canConnect(p)) return { address, child, stderr: () => err, exited };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`engine did not start: ${err}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

export async function connect(address: string): Promise<Connection> {
  return Connection.connect({ address });
}

/**
 * Runs `fn` with a client of an engine process on the log file `db`, then kills the process
 * with SIGKILL, as a crash would: what `fn` had acknowledged must be in the file.
 */
export async function untilKilled<T>(db: string, fn: (client: Client, address: string) => Promise<T>): Promise<T> {
  const engine = await spawnEngine(['--db-filename', db]);
  const conn = await connect(engine.address);
  try {
    return await fn(new Client({ connection: conn }), engine.address);
  } finally {
    engine.child.kill('SIGKILL');
    await engine.exited;
    await conn.close();
  }
}
