import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Worker, NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { spawnEngine, connect, freePort, untilKilled } from '../helpers/spawn-engine';
import { quietRuntime, WORKFLOWS } from '../helpers/engine';
import { counter, addSignal, doneSignal, sleeper } from './workflows';

quietRuntime();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-durability-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('kill -9 under load loses no acknowledged start or signal', async () => {
  const db = path.join(tmp, 'load.db');
  const port = await freePort();
  const engine = await spawnEngine(['--db-filename', db], port);
  const conn = await connect(engine.address);
  const client = new Client({ connection: conn });
  const acked = new Map<string, number>(); // workflow id -> acknowledged signals
  let stop = false;
  const load = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const id = `load-${w}-${i}`;
      try {
        const h = await client.workflow.start(counter, { taskQueue: 'durable', workflowId: id });
        acked.set(id, 0);
        await h.signal(addSignal, 1);
        acked.set(id, 1);
      } catch {
        return; // the engine died under us: what was acknowledged is what counts
      }
    }
  };
  const workers = Array.from({ length: 8 }, (_, w) => load(w));
  while (acked.size < 200) await new Promise((r) => setTimeout(r, 10));
  engine.child.kill('SIGKILL');
  await engine.exited;
  const acknowledged = new Map(acked); // nothing can be acknowledged by a dead engine
  stop = true;
  const settled = Promise.allSettled(workers); // in-flight calls may retry against the restarted engine

  const again = await spawnEngine(['--db-filename', db], port);
  const conn2 = await connect(again.address);
  const client2 = new Client({ connection: conn2 });
  expect(acknowledged.size).toBeGreaterThanOrEqual(200);
  for (const [id, signals] of acknowledged) {
    const history = await client2.workflow.getHandle(id).fetchHistory();
    const signalled = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    expect({ id, signalled: signalled >= signals }).toEqual({ id, signalled: true });
  }
  // A second start of an acknowledged id is refused: the run is really there.
  const first = [...acknowledged.keys()][0];
  await expect(client2.workflow.start(counter, { taskQueue: 'durable', workflowId: first })).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  await settled;
  await conn2.close();
  await conn.close();
  again.child.kill('SIGKILL');
  await again.exited;
});

test('a restart resumes timers and pending workflow tasks', async () => {
  const db = path.join(tmp, 'resume.db');
  const port = await freePort();
  const engine = await spawnEngine(['--db-filename', db], port);
  const conn = await connect(engine.address);
  const client = new Client({ connection: conn });
  await client.workflow.start(sleeper, { taskQueue: 'resume', workflowId: 'resume-sleeper', args: [1500, 1] });
  const h = await client.workflow.start(counter, { taskQueue: 'resume', workflowId: 'resume-counter' });
  await h.signal(addSignal, 4);
  await conn.close();
  engine.child.kill('SIGTERM');
  await engine.exited;

  const again = await spawnEngine(['--db-filename', db], port);
  const nconn = await NativeConnection.connect({ address: again.address });
  const conn2 = await connect(again.address);
  const client2 = new Client({ connection: conn2 });
  const worker = await Worker.create({ connection: nconn, taskQueue: 'resume', workflowsPath: WORKFLOWS });
  const [slept, total] = await worker.runUntil(async () => {
    const h2 = client2.workflow.getHandle('resume-counter');
    await h2.signal(doneSignal);
    return Promise.all([client2.workflow.getHandle('resume-sleeper').result(), h2.result()]);
  });
  expect(typeof slept).toBe('number');
  expect(total).toBe(4);
  await nconn.close();
  await conn2.close();
  again.child.kill('SIGTERM');
  await again.exited;
});

test('a foreign or damaged file is refused and left untouched', async () => {
  const db = path.join(tmp, 'foreign.db');
  fs.writeFileSync(db, 'SQLite format 3\u0000 this is somebody else\'s database');
  const before = fs.readFileSync(db);
  const engine = await spawnEngine(['--db-filename', db]).catch((err: Error) => err);
  expect(engine).toBeInstanceOf(Error);
  expect(String((engine as Error).message)).toMatch(/foreign\.db/);
  expect(fs.readFileSync(db).equals(before)).toBe(true);
});

test('a signal retried with its request id after kill -9 is not written twice', async () => {
  const db = path.join(tmp, 'request-ids.db');
  const signal = { namespace: 'default', workflowExecution: { workflowId: 'retried' }, signalName: 'add', requestId: 'signal-once', input: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('1') }] } };
  await untilKilled(db, async (client) => {
    await client.workflow.start(counter, { taskQueue: 'nobody', workflowId: 'retried' });
    await client.workflowService.signalWorkflowExecution(signal);
  });
  await untilKilled(db, async (client) => {
    // The client never saw the answer: it sends the signal again, with the same request id.
    await client.workflowService.signalWorkflowExecution(signal);
    const events = (await client.workflow.getHandle('retried').fetchHistory()).events ?? [];
    expect(events.filter((ev) => ev.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).toHaveLength(1);
  });
});
