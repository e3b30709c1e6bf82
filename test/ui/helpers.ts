/** The embedded engine with its Web UI, spawned as a user runs it, plus an SDK client and worker. */
import { spawn, ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ENGINE, quietRuntime } from '../helpers/engine';
import { freePort } from '../helpers/spawn-engine';

export interface EngineWithUi {
  address: string;
  uiUrl: string;
  client: Client;
  connection: Connection;
  stop(): Promise<void>;
  /** Starts a worker for the UI test workflows on `taskQueue`; `stop` shuts it down. */
  runWorker(taskQueue: string, options?: UiWorkerOptions): Promise<{ stop(): Promise<void> }>;
  stderr(): string;
}

export const UI_WORKFLOWS = require.resolve('./workflows');

export interface UiWorkerOptions {
  /** E.g. `{ payloadCodecs: [codec] }` for encrypted payloads. */
  dataConverter?: DataConverter;
}

/** A worker for the UI test workflows (and their `shout` activity) on any engine. */
export async function runUiWorker(address: string, taskQueue: string, options: UiWorkerOptions = {}): Promise<{ stop(): Promise<void> }> {
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: UI_WORKFLOWS,
    activities: { shout: async (s: string) => s.toUpperCase() },
    dataConverter: options.dataConverter,
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
    },
  };
}

/** Spawns `temporal-devserver server start-dev --ui-port 0`, waits for the UI's "Web UI at" line. */
export async function startEngineWithUi(extraArgs: string[] = []): Promise<EngineWithUi> {
  quietRuntime();
  const port = await freePort();
  // --ui-port 0: the gateway takes any free port and says which in its "Web UI at" line
  const child: ChildProcess = spawn(process.execPath, [ENGINE, 'server', 'start-dev', '--port', String(port), '--ui-port', '0', '--log-format', 'json', ...extraArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d;
      const m = /Web UI at (http:\/\/\S+?)\/?"/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`engine exited with ${code}: ${err}`)));
  });
  const uiUrl = await ready;
  const address = `127.0.0.1:${port}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  return {
    address,
    uiUrl,
    client,
    connection,
    stderr: () => err,
    runWorker: (taskQueue, options) => runUiWorker(address, taskQueue, options),
    async stop() {
      await connection.close();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The browser's side of the API: keeps the `_csrf` cookie and sends it back as the UI does. */
export class UiClient {
  private cookie = '';

  constructor(readonly base: string) {}

  get csrf(): string {
    return this.cookie.replace(/^_csrf=/, '');
  }

  async fetch(path: string, init: { method?: string; body?: unknown; csrf?: string | null } = {}): Promise<{ status: number; json: any; text: string; headers: Headers }> {
    if (!this.cookie) await this.rawFetch('/api/v1/settings', {});
    const headers: Record<string, string> = { 'Caller-Type': 'operator', Cookie: this.cookie };
    const token = init.csrf === undefined ? this.csrf : init.csrf;
    if (token !== null) headers['X-CSRF-TOKEN'] = token;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    return this.rawFetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
  }

  private async rawFetch(path: string, init: RequestInit): Promise<Answer> {
    const answer = await fetchAnswer(new URL(path, this.base), init);
    const set = answer.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return answer;
  }
}

/** An HTTP answer with its body as text and, when it parses, as JSON. */
export interface Answer {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

export async function fetchAnswer(url: URL, init: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}
