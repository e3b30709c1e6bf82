/**
 * Benchmarks of the embedded engine (figures, not tests): `npm run bench`.
 * The engine runs as its own process; the worker and client run here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, Runtime, DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startEngineProcess, cpuSeconds, rssBytes, ENGINE } from './engine-process';
import { answerWithTimers } from './raw-driver';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const WORKFLOWS = require.resolve('./workflows');
const COUNT = Number(process.env.BENCH_WORKFLOWS ?? 2000);
const OPEN = Number(process.env.BENCH_OPEN ?? 100_000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-bench-'));
let nextPort = 27233;

interface Row { name: string; value: string; target: string; ok?: boolean }
const rows: Row[] = [];

async function throughput(durable: boolean, bundle: { code: string }) {
  const engine = await startEngineProcess(nextPort++, durable ? ['--db-filename', path.join(tmp, `tp-${Date.now()}.db`)] : []);
  const nconn = await NativeConnection.connect({ address: engine.address });
  const conn = await Connection.connect({ address: engine.address });
  const client = new Client({ connection: conn });
  const worker = await Worker.create({
    connection: nconn,
    taskQueue: 'bench',
    workflowBundle: bundle,
    activities: { noop: async (n: number) => n },
    maxConcurrentWorkflowTaskExecutions: 200,
    maxConcurrentActivityTaskExecutions: 200,
  });
  const run = async (n: number, prefix: string) => {
    let next = 0;
    const one = async () => {
      while (next < n) {
        const i = next++;
        await client.workflow.execute('oneActivity', { taskQueue: 'bench', workflowId: `${prefix}-${i}`, args: [i] });
      }
    };
    await Promise.all(Array.from({ length: 100 }, one));
  };
  const result = await worker.runUntil(async () => {
    await run(200, 'warmup');
    const e0 = cpuSeconds(engine.child.pid!);
    const w0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await run(COUNT, 'measured');
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const w = process.cpuUsage(w0);
    const engineCpu = cpuSeconds(engine.child.pid!) - e0;
    const workerCpu = (w.user + w.system) / 1e6;
    return { perSecond: COUNT / seconds, cpuRatio: engineCpu / workerCpu, engineCpu, workerCpu };
  });
  await nconn.close();
  await conn.close();
  await engine.stop();
  return result;
}

async function timeSkipping(bundle: { code: string }) {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: ENGINE } } });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'skip', workflowBundle: bundle });
  const seconds = await worker.runUntil(async () => {
    const t0 = process.hrtime.bigint();
    await env.client.workflow.execute('sleepSteps', { taskQueue: 'skip', workflowId: 'months', args: [30 * 86_400_000, 23] });
    return Number(process.hrtime.bigint() - t0) / 1e9;
  });
  await env.teardown();
  return seconds;
}

async function openWorkflows() {
  const db = path.join(tmp, 'open.db');
  const port = nextPort++;
  let engine = await startEngineProcess(port, ['--db-filename', db]);
  const baseline = rssBytes(engine.child.pid!);
  const liveBaseline = await engine.liveMemory();
  const conn = await Connection.connect({ address: engine.address });
  const client = new Client({ connection: conn });
  const answering = answerWithTimers(conn, 'open', OPEN);
  let next = 0;
  const one = async () => {
    while (next < OPEN) {
      const i = next++;
      await client.workflow.start('waitLong', { taskQueue: 'open', workflowId: `open-${i}` });
    }
  };
  await Promise.all(Array.from({ length: 64 }, one));
  await answering; // every workflow has run its first task and waits on its timer
  const perWorkflow = (rssBytes(engine.child.pid!) - baseline) / OPEN;
  const livePerWorkflow = ((await engine.liveMemory()) - liveBaseline) / OPEN;
  await conn.close();
  await engine.stop();
  const t0 = process.hrtime.bigint();
  engine = await startEngineProcess(port, ['--db-filename', db]);
  const conn2 = await Connection.connect({ address: engine.address });
  await new Client({ connection: conn2 }).workflow.getHandle(`open-${OPEN - 1}`).describe();
  const restart = Number(process.hrtime.bigint() - t0) / 1e9;
  await conn2.close();
  await engine.stop();
  return { perWorkflow, livePerWorkflow, restart };
}

/** BENCH_ONLY=throughput,skip,open runs a subset. */
const only = new Set((process.env.BENCH_ONLY ?? 'throughput,skip,open').split(','));

async function main() {
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: new DefaultLogger('ERROR') });
  if (only.has('throughput')) await throughputRows(bundle);
  if (only.has('skip')) {
    const skip = await timeSkipping(bundle);
    rows.push({ name: 'time skipping: 23 months in 23 sleeps (wall s)', value: skip.toFixed(3), target: '<= 0.5', ok: skip <= 0.5 });
  }
  if (only.has('open') && OPEN > 0) {
    const open = await openWorkflows();
    rows.push({ name: `engine live memory per open workflow (${OPEN} on timers, bytes)`, value: open.livePerWorkflow.toFixed(0), target: '<= 4096', ok: open.livePerWorkflow <= 4096 });
    rows.push({ name: `engine RSS growth per open workflow (bytes)`, value: open.perWorkflow.toFixed(0), target: '-' });
    rows.push({ name: `restart from file until served (${OPEN} workflows, s)`, value: open.restart.toFixed(2), target: '<= 10', ok: open.restart <= 10 });
  }
  printTable();
}

async function throughputRows(bundle: { code: string }) {
  const mem = await throughput(false, bundle);
  rows.push({ name: 'throughput, in memory (workflows/s, one activity each)', value: mem.perSecond.toFixed(0), target: '-' });
  const dur = await throughput(true, bundle);
  rows.push({ name: 'throughput, durable (workflows/s)', value: dur.perSecond.toFixed(0), target: '>= 200', ok: dur.perSecond >= 200 });
  rows.push({ name: 'engine CPU s / worker CPU s, durable', value: `${dur.cpuRatio.toFixed(3)} (${dur.engineCpu.toFixed(1)} / ${dur.workerCpu.toFixed(1)})`, target: '<= 0.25', ok: dur.cpuRatio <= 0.25 });
  rows.push({ name: 'durable / in-memory throughput', value: (dur.perSecond / mem.perSecond).toFixed(2), target: '>= 0.7', ok: dur.perSecond / mem.perSecond >= 0.7 });
}

function printTable() {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`\n${'benchmark'.padEnd(w)} | ${'measured'.padEnd(24)} | target`);
  console.log(`${'-'.repeat(w)}-|-${'-'.repeat(24)}-|-------`);
  for (const r of rows) console.log(`${r.name.padEnd(w)} | ${r.value.padEnd(24)} | ${r.target}${r.ok === undefined ? '' : r.ok ? ' ok' : ' MISSED'}`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
