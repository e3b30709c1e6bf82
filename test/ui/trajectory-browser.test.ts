/**
 * Trajectories in the real Temporal Web UI, in headless Chromium (Debian's `chromium`):
 * the embedded engine (`temporal-devserver server start-dev`, UI on its UI port), the
 * trajectory search attributes, the real trajectory worker, and two trajectories of
 * different programmes. Screenshots go to dist/test-results/ui/ (trajectory-*.png).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { formatIsoDate, getBuiltInProgramme } from '../../domain';
import { MemoryNotificationSink } from '../../activities/notify';
import { trajectoryStartOptions, TRAJECTORY_WORKFLOW_TYPE, type PhaseView, type DeadlineView } from '../../workflows/api';
import { bundleTrajectoryWorkflows, createTrajectoryWorker, registerTrajectorySearchAttributes } from '../../worker';
import { EngineWithUi, startEngineWithUi } from './helpers';

jest.setTimeout(240_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../dist/test-results/ui');
const TQ = 'ui-trajectories';

let engine: EngineWithUi;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let context: BrowserContext;
let page: Page;
let profile: string;
const problems: string[] = [];
const started: Record<'kb' | 'ws', { workflowId: string; runId: string; summary: string }> = {} as never;

function today(): string {
  const d = new Date();
  return formatIsoDate({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() });
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  engine = await startEngineWithUi();
  await registerTrajectorySearchAttributes(engine.connection);
  nativeConnection = await NativeConnection.connect({ address: engine.address });
  worker = await createTrajectoryWorker({
    connection: nativeConnection,
    taskQueue: TQ,
    workflowBundle: await bundleTrajectoryWorkflows(),
    sink: new MemoryNotificationSink(),
  });
  running = worker.run();
  const inputs = {
    kb: { participantRef: 'p-ui-kb01', programme: getBuiltInProgramme('kwalificatiebanen'), startDate: today(), attentionAfterWeeks: 52 },
    ws: { participantRef: 'p-ui-ws01', programme: getBuiltInProgramme('welslagen'), region: 'zeeland', startDate: today(), attentionAfterWeeks: 52 },
  };
  for (const key of ['kb', 'ws'] as const) {
    const options = trajectoryStartOptions(inputs[key], TQ);
    const handle = await engine.client.workflow.start(TRAJECTORY_WORKFLOW_TYPE, options);
    started[key] = { workflowId: options.workflowId, runId: handle.firstExecutionRunId, summary: options.staticSummary };
  }
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 1000 },
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
});

afterAll(async () => {
  await context?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  if (worker) {
    worker.shutdown();
    await running;
  }
  await nativeConnection?.close();
  await engine?.stop();
});

const url = (p: string) => new URL(p, engine.uiUrl).toString();
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

test('the workflow list shows both trajectories and filters by programme', async () => {
  await page.goto(url('/namespaces/default/workflows'));
  await page.getByRole('link', { name: started.kb.workflowId }).waitFor();
  await page.getByRole('link', { name: started.ws.workflowId }).waitFor();
  await shot('trajectory-workflows');

  await page.goto(url(`/namespaces/default/workflows?query=${encodeURIComponent(`TrajectoryProgramme="welslagen"`)}`));
  await page.getByRole('link', { name: started.ws.workflowId }).waitFor();
  expect(await page.getByRole('link', { name: started.kb.workflowId }).count()).toBe(0);
  await shot('trajectory-workflows-filtered');
  expect(problems).toEqual([]);
});

test("a trajectory's page shows its history, the named deadline timer, its summary and current details", async () => {
  const { workflowId, runId, summary } = started.kb;
  const handle = engine.client.workflow.getHandle(workflowId, runId);
  const deadlines = await handle.query<DeadlineView[]>('deadlines');
  const phase = await handle.query<PhaseView>('phase');
  expect(deadlines.length).toBeGreaterThan(0);

  await page.goto(url(`/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/history`));
  await page.getByText(summary).first().waitFor();
  await page.getByText(/Timer\s*Started/i).first().waitFor();
  // a pending deadline timer, named by its deadline ("Einde voortraject: …")
  await page.getByText(/Einde [^:]+: \d{1,2} \w+ \d{4}/).first().waitFor();
  // Rendered as markdown in a sandboxed frame served by the gateway's /render; the same line as the
  // phase query's `details`. The UI asks for the details once, as the page loads, and never again
  // for a running workflow: on a machine busy with other suites that one answer can come too late
  // (the CI run of 22 November failed here once), so the page is loaded again, at most twice.
  const details = page.frameLocator(`iframe[src*="content=${encodeURIComponent(phase.details)}&"]`).getByText(phase.details);
  for (let load = 1; ; load++) {
    await page.getByText('Summary & Details').click();
    await page.getByText('Current Details').click();
    try {
      await details.waitFor({ timeout: 30_000 });
      break;
    } catch (err) {
      if (load === 3) throw err;
      console.warn(`current details not shown after page load ${load}; loading the page again`);
      await page.reload();
      await page.getByText(summary).first().waitFor();
    }
  }
  await shot('trajectory-history');
  // the timeline itself, with the summary and details folded away (docs/images/trajectory-in-web-ui.png is one of these)
  await page.getByText('Summary & Details').click();
  await page.setViewportSize({ width: 1400, height: 1400 });
  await page.getByText(/Einde [^:]+: \d{1,2} \w+ \d{4}/).first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'trajectory-history-timeline.png') });
  await page.setViewportSize({ width: 1400, height: 1000 });
  expect(problems).toEqual([]);
});

test("the queries tab answers the trajectory's phase query", async () => {
  const { workflowId, runId } = started.kb;
  await page.goto(url(`/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/query`));
  // the query types come from the workflow's metadata query; pick `phase`
  await page.waitForFunction(`(document.querySelector('[data-testid=query-select]')?.value ?? '') !== ''`);
  await page.locator('[data-testid=query-select-button]').click();
  await page.getByRole('option', { name: /^phase/ }).click();
  await page.waitForFunction(`document.querySelector('[data-testid=query-select]')?.value === 'phase'`);
  await page.getByRole('button', { name: 'Run Query' }).click();
  await page.getByText(/"phaseName":/).first().waitFor();
  await shot('trajectory-query');
  expect(problems).toEqual([]);
});
