/**
 * Benchmarks of the embedded engine (figures, not tests): `npm run bench`.
 * The engine runs as its own process, the worker runs here, and the throughput benchmark's client
 * runs in a third process (this file again, with --bench-client), so that the CPU of each is
 * measured apart.
 */
import { fork, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, Runtime, DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startEngineProcess, cpuSeconds, rssBytes, ENGINE } from './engine-process';
import { answerWithTimers } from './raw-driver';

const WORKFLOWS = require.resolve('./workflows');
/** Long enough for the JIT to settle: 2,000 workflows measure about 5% more engine CPU each. */
const COUNT = Number(process.env.BENCH_WORKFLOWS ?? 5000);
const OPEN = Number(process.env.BENCH_OPEN ?? 100_000);
const CLIENT_FLAG = '--bench-client';
/** Workflows run before measuring (BENCH_WARMUP; a few thousand more show the fully warmed-up figures). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
/** Workflows the client keeps running at once. */
const CONCURRENCY = 100;
let tmp = '';
let nextPort = 27233;

interface Row { name: string; value: string; target: string; ok?: boolean }
const rows: Row[] = [];

/** Starts and awaits `n` workflows of one activity each, CONCURRENCY at a time. */
async function executeMany(client: Client, n: number, prefix: string): Promise<void> {
  let next = 0;
  const one = async () => {
    while (next < n) {
      const i = next++;
      await client.workflow.execute('oneActivity', { taskQueue: 'bench', workflowId: `${prefix}-${i}`, args: [i] });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, one));
}

interface ClientRun { n: number; prefix: string }
interface ClientDone { cpuSeconds?: number; error?: string }

/** The client process: runs the batches it is sent and answers with the CPU seconds each took. */
function clientProcess(address: string): void {
  const client = Connection.connect({ address }).then((connection) => new Client({ connection }));
  process.on('message', (msg: ClientRun) => {
    client
      .then(async (c) => {
        const c0 = process.cpuUsage();
        await executeMany(c, msg.n, msg.prefix);
        const used = process.cpuUsage(c0);
        return { cpuSeconds: (used.user + used.system) / 1e6 };
      })
      .catch((err) => ({ error: String(err?.stack ?? err) }))
      .then((done: ClientDone) => process.send!(done));
  });
  process.on('disconnect', () => process.exit(0));
}

function startClientProcess(address: string): { run(n: number, prefix: string): Promise<number>; stop(): void } {
  const child: ChildProcess = fork(__filename, [CLIENT_FLAG, address], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    run: (n, prefix) =>
      new Promise<number>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`bench client exited (${code}) before finishing`));
        child.once('exit', onExit);
        child.once('message', (done: ClientDone) => {
          child.off('exit', onExit);
          if (done.error !== undefined) reject(new Error(`bench client: ${done.error}`));
          else resolve(done.cpuSeconds!);
        });
        child.send({ n, prefix } satisfies ClientRun);
      }),
    stop: () => child.disconnect(),
  };
}

async function throughput(durable: boolean, bundle: { code: string }) {
  const engine = await startEngineProcess(nextPort++, durable ? ['--db-filename', path.join(tmp, `tp-${Date.now()}.db`)] : []);
  const nconn = await NativeConnection.connect({ address: engine.address });
  const client = startClientProcess(engine.address);
  const worker = await Worker.create({
    connection: nconn,
    taskQueue: 'bench',
    workflowBundle: bundle,
    activities: { noop: async (n: number) => n },
    maxConcurrentWorkflowTaskExecutions: 200,
    maxConcurrentActivityTaskExecutions: 200,
    // One workflow thread per core. With the SDK's default of one, activations queue behind that
    // thread while a fifth of both cores stays idle (196 vs 227 workflows/s here, same CPU per workflow).
    workflowThreadPoolSize: 2,
  });
  const result = await worker.runUntil(async () => {
    await client.run(WARMUP, 'warmup');
    const e0 = cpuSeconds(engine.child.pid!);
    const w0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const clientCpu = await client.run(COUNT, 'measured');
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const w = process.cpuUsage(w0);
    const engineCpu = cpuSeconds(engine.child.pid!) - e0;
    // This process now runs the worker alone (with the SDK's Rust core and workflow threads).
    const workerCpu = (w.user + w.system) / 1e6;
    return { perSecond: COUNT / seconds, engineCpu, workerCpu, clientCpu };
  });
  client.stop();
  await nconn.close();
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

/** BENCH_ONLY=throughput,skip,open runs a subset (`durable`: the durable throughput run alone). */
const only = new Set((process.env.BENCH_ONLY ?? 'throughput,skip,open').split(','));

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-bench-'));
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: new DefaultLogger('ERROR') });
  if (only.has('throughput') || only.has('durable')) await throughputRows(bundle, only.has('throughput'));
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

/** Durable throughput and CPU; with `inMemory` also the in-memory run they are compared with. */
async function throughputRows(bundle: { code: string }, inMemory: boolean) {
  const mem = inMemory ? await throughput(false, bundle) : undefined;
  if (mem) rows.push({ name: 'throughput, in memory (workflows/s, one activity each)', value: mem.perSecond.toFixed(0), target: '-' });
  const dur = await throughput(true, bundle);
  const ms = (cpu: number) => ((cpu * 1000) / COUNT).toFixed(2);
  const ratio = dur.engineCpu / dur.workerCpu;
  const withClient = dur.engineCpu / (dur.workerCpu + dur.clientCpu);
  rows.push({ name: 'throughput, durable (workflows/s)', value: dur.perSecond.toFixed(0), target: '>= 200', ok: dur.perSecond >= 200 });
  rows.push({ name: 'CPU ms per workflow, durable: engine / worker / client', value: `${ms(dur.engineCpu)} / ${ms(dur.workerCpu)} / ${ms(dur.clientCpu)}`, target: '-' });
  rows.push({ name: 'engine CPU s / worker CPU s, durable', value: `${ratio.toFixed(3)} (${dur.engineCpu.toFixed(1)} / ${dur.workerCpu.toFixed(1)})`, target: '<= 0.25', ok: ratio <= 0.25 });
  rows.push({ name: 'engine CPU s / (worker + client) CPU s, durable', value: `${withClient.toFixed(3)} (${dur.engineCpu.toFixed(1)} / ${(dur.workerCpu + dur.clientCpu).toFixed(1)})`, target: '-' });
  if (mem) {
    rows.push({ name: 'durable / in-memory throughput', value: (dur.perSecond / mem.perSecond).toFixed(2), target: '>= 0.7', ok: dur.perSecond / mem.perSecond >= 0.7 });
    rows.push({ name: 'engine CPU s / worker CPU s, in memory', value: `${(mem.engineCpu / mem.workerCpu).toFixed(3)} (${ms(mem.engineCpu)} / ${ms(mem.workerCpu)} ms per workflow)`, target: '-' });
  }
}

function printTable() {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`\n${'benchmark'.padEnd(w)} | ${'measured'.padEnd(24)} | target`);
  console.log(`${'-'.repeat(w)}-|-${'-'.repeat(24)}-|-------`);
  for (const r of rows) console.log(`${r.name.padEnd(w)} | ${r.value.padEnd(24)} | ${r.target}${r.ok === undefined ? '' : r.ok ? ' ok' : ' MISSED'}`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

if (process.argv[2] === CLIENT_FLAG) clientProcess(process.argv[3]);
else {
  let finished = false;
  // Node exits with 0 when its event loop runs empty, even while a benchmark still awaits
  // something; say so and fail instead of ending without a table.
  process.on('beforeExit', () => {
    if (finished) return;
    console.error('bench: the event loop ran empty before the benchmarks finished; no figures');
    process.exit(1);
  });
  main().then(
    () => {
      finished = true;
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
