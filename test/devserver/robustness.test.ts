import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Client } from '@temporalio/client';
import { spawnEngine, connect, freePort } from '../helpers/spawn-engine';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-robust-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function rawCall(address: string, method: string, body: Buffer): Promise<{ code: number; details: string }> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(method, (b: Buffer) => b, (b: Buffer) => b, body, (err) => {
      client.close();
      resolve({ code: err ? err.code : grpc.status.OK, details: err ? err.details : '' });
    });
  });
}

test('malformed requests get errors; the engine and its file survive them', async () => {
  const db = path.join(tmp, 'robust.db');
  const port = await freePort();
  const engine = await spawnEngine(['--db-filename', db], port);
  const svc = '/temporal.api.workflowservice.v1.WorkflowService/';
  const garbage = [Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.from('not a protobuf at all, just text'), Buffer.alloc(64, 0x0a)];
  for (const method of ['StartWorkflowExecution', 'SignalWorkflowExecution', 'RespondWorkflowTaskCompleted', 'PollActivityTaskQueue', 'ListWorkflowExecutions']) {
    for (const body of garbage) {
      const r = await rawCall(engine.address, svc + method, body);
      expect(r.code).not.toBe(grpc.status.OK);
    }
  }
  // An unknown method is UNIMPLEMENTED naming the call.
  const unknown = await rawCall(engine.address, svc + 'CreateSchedule', Buffer.alloc(0));
  expect(unknown.code).toBe(grpc.status.UNIMPLEMENTED);
  expect(unknown.details).toContain('CreateSchedule');
  // Task tokens from nowhere are refused, not trusted.
  const conn = await connect(engine.address);
  await expect(conn.workflowService.respondActivityTaskCompleted({ namespace: 'default', taskToken: Buffer.from('{"k":"a"}') })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  const client = new Client({ connection: conn });
  await client.workflow.start('anything', { taskQueue: 'robust', workflowId: 'still-alive' });
  await conn.close();
  engine.child.kill('SIGTERM');
  await engine.exited;
  // The file reopens with what was acknowledged.
  const again = await spawnEngine(['--db-filename', db], port);
  const conn2 = await connect(again.address);
  const desc = await new Client({ connection: conn2 }).workflow.getHandle('still-alive').describe();
  expect(desc.status.name).toBe('RUNNING');
  await conn2.close();
  again.child.kill('SIGTERM');
  await again.exited;
});
