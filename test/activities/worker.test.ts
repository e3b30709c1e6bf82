/**
 * Through a real worker and the embedded engine (time skipping): a trajectory's
 * notifications reach the partners of the registry by webhook and e-mail, a 500
 * is retried by Temporal's retry policy, and each partner processes each event once.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { eventKey } from '../../activities/least-data';
import { getBuiltInProgramme } from '../../domain';
import { registerTrajectorySearchAttributes } from '../../worker/search-attributes';
import { bundleTrajectoryWorkflows, createTrajectoryWorker } from '../../worker/worker';
import { trajectory } from '../../workflows';
import { partnerSignals, timelineQuery, trajectoryStartOptions } from '../../workflows/api';
import { nextYear, skipToDate } from '../workflows/harness';
import { timeSkippingEnv } from '../helpers/engine';
import { deliverySetup } from './helpers/deliveries';
import { Receiver } from './helpers/receiver';
import { SmtpTestServer } from './helpers/smtp';

let env: TestWorkflowEnvironment;
let receiver: Receiver;
let smtp: SmtpTestServer;
let workflowBundle: WorkflowBundle;
beforeAll(async () => {
  [workflowBundle, env] = await Promise.all([bundleTrajectoryWorkflows(), timeSkippingEnv()]);
  await registerTrajectorySearchAttributes(env.connection, 'default');
  receiver = await Receiver.start();
  smtp = await SmtpTestServer.start();
});
afterAll(async () => {
  await receiver?.close();
  await smtp?.close();
  await env?.teardown();
});

test('a trajectory notifies its partners by signed webhook and e-mail; a 500 is retried; each partner sees each event once', async () => {
  const setup = deliverySetup(
    [
      { id: 'work2', roles: ['training-company'], webhook: true, email: true },
      { id: 'gemeente-rotterdam', roles: ['municipality', 'case-manager'], webhook: true, email: false },
    ],
    { receiver, smtp },
  );
  Object.assign(receiver.secrets, setup.secrets);
  let refused = false;
  receiver.answerFor = (request) => {
    if (refused || request.partner !== 'work2') return undefined;
    refused = true;
    return { status: 500 };
  };

  const worker = await createTrajectoryWorker({
    connection: env.nativeConnection,
    taskQueue: 'partner-delivery',
    workflowBundle,
    partnerRegistryPath: setup.registryPath,
    deliveryLogPath: setup.deliveryLogPath,
    logger: setup.logger,
    env: setup.env,
  });
  const y = await nextYear(env);
  const result = await worker.runUntil(async () => {
    const options = trajectoryStartOptions(
      { participantRef: 'p-worker-1', programme: getBuiltInProgramme('kwalificatiebanen'), startDate: `${y}-01-05`, attentionAfterWeeks: 52 },
      'partner-delivery',
    );
    const handle = await env.client.workflow.start(trajectory, { ...options, args: options.args });
    await skipToDate(env, `${y}-01-06`);
    await handle.signal(partnerSignals.placement, { employer: 'Havenbedrijf Voorbeeld', withLks: false });
    const ended = await handle.result();
    return { ended, timeline: await handle.query(timelineQuery), runId: handle.firstExecutionRunId ?? '' };
  });

  expect(result.ended.outcome?.id).toBe('werk-binnen-3-maanden');
  expect(result.timeline.filter((entry) => entry.kind === 'notification-failed')).toEqual([]);
  expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
  expect(receiver.requests.filter((r) => r.status === 500).map((r) => r.partner)).toEqual(['work2']);
  expect(receiver.seen().sort()).toEqual([
    'gemeente-rotterdam: placement',
    'gemeente-rotterdam: trajectory-ended',
    'gemeente-rotterdam: trajectory-started',
    'work2: placement',
    'work2: trajectory-ended',
    'work2: trajectory-started',
  ]);
  // The retried request carried the same key as the refused one.
  const work2Keys = receiver.requests.filter((r) => r.partner === 'work2').map((r) => r.headers['idempotency-key']);
  expect(work2Keys).toHaveLength(4);
  expect(new Set(work2Keys).size).toBe(3);

  // The keys are those of the workflow's events; e-mail carries the same key in its Message-ID.
  const notified = result.timeline.filter((entry) => entry.notified !== undefined);
  const keys = notified.map((entry) => eventKey(`traject-kwalificatiebanen-p-worker-1/${result.runId}/${entry.seq}`));
  expect(new Set(receiver.processed.map((p) => p.key))).toEqual(new Set(keys));
  expect(smtp.mails.map((m) => m.messageId).sort()).toEqual(keys.map((key) => `<${key}.work2@meldingen.example>`).sort());
  expect(smtp.mails.map((m) => m.subject).sort()).toEqual([
    'Kwalificatiebanen: Plaatsing (deelnemer p-worker-1)',
    'Kwalificatiebanen: Traject afgerond (deelnemer p-worker-1)',
    'Kwalificatiebanen: Traject gestart (deelnemer p-worker-1)',
  ]);

  // The placement as each partner saw it: its roles' fields only.
  const placement = receiver.processed.filter((p) => p.body.event === 'placement');
  expect(placement.map((p) => p.body.fields)).toEqual([
    { employer: 'Havenbedrijf Voorbeeld', withLks: false },
    { employer: 'Havenbedrijf Voorbeeld', withLks: false },
  ]);
  expect(setup.logText()).not.toContain('p-worker-1');
  expect(setup.logText()).not.toContain('Havenbedrijf');
});

test('without a registry the worker logs each notification (the default); a broken registry stops it at start-up', async () => {
  const logged: Record<string, unknown>[] = [];
  const { default: pino } = await import('pino');
  const { Writable } = await import('node:stream');
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const worker = await createTrajectoryWorker({ connection: env.nativeConnection, taskQueue: 'no-registry', workflowBundle, logger });
  const y = await nextYear(env);
  await worker.runUntil(async () => {
    const options = trajectoryStartOptions({ participantRef: 'p-worker-2', programme: getBuiltInProgramme('kwalificatiebanen'), startDate: `${y}-01-05` }, 'no-registry');
    const handle = await env.client.workflow.start(trajectory, { ...options, args: options.args });
    await skipToDate(env, `${y}-01-06`);
    await handle.signal(partnerSignals.withdrawal, { reason: 'test-done' });
    await handle.result();
  });
  expect(logged.filter((line) => line.msg === 'partner notification').map((line) => [line.component, line.event])).toEqual([
    ['partner-notifications', 'trajectory-started'],
    ['partner-notifications', 'trajectory-ended'],
  ]);

  const broken = deliverySetup([{ id: 'work2', roles: ['training-company'], webhook: true, email: false }], { receiver });
  await expect(
    createTrajectoryWorker({ connection: env.nativeConnection, taskQueue: 'broken', partnerRegistryPath: broken.registryPath, env: {}, logger }),
  ).rejects.toThrow('partner "work2": environment variable PARTNER_WORK2_SECRET is not set');
});
