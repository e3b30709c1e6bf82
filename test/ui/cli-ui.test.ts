/** `trajectory ui` (client/ui.ts) as a user runs it: the gateway alone against an engine, until Ctrl-C. */
import { spawn } from 'node:child_process';
import { cleanEnv, ROOT, TRAJECTORY } from '../e2e/cli';
import { EngineWithUi, startEngineWithUi } from './helpers';

jest.setTimeout(60_000);

let engine: EngineWithUi;

beforeAll(async () => {
  engine = await startEngineWithUi();
});

afterAll(async () => {
  await engine?.stop();
});

test('trajectory ui prints its address, answers /api/v1/settings against the engine, and stops on Ctrl-C', async () => {
  const child = spawn(process.execPath, [TRAJECTORY, 'ui', '--port', '0', '--address', engine.address, '--namespace', 'default'], {
    env: cleanEnv(),
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /Web UI at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`trajectory ui exited with ${code}: ${out}${err}`)));
  });
  expect(out).toContain(engine.address);

  const settings = await fetch(new URL('/api/v1/settings', url));
  expect(settings.status).toBe(200);
  const body = (await settings.json()) as { DefaultNamespace?: string; Version?: string };
  expect(body.DefaultNamespace).toBe('default');
  expect(body.Version).toMatch(/^\d+\.\d+\.\d+/);
  // and the API reaches the engine over gRPC
  const namespaces = await fetch(new URL('/api/v1/namespaces', url));
  expect(namespaces.status).toBe(200);

  child.kill('SIGINT');
  expect(await exited).toBe(0);
});
