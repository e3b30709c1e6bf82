/**
 * The real Temporal Web UI in headless Chromium (Debian's `chromium`), served by
 * `temporal-devserver server start-dev` on its UI port, showing workflows the SDK started.
 * Screenshots go to dist/test-results/ui/. Without Chromium this test fails: CI installs it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { EngineWithUi, startEngineWithUi } from './helpers';
import { uiProbe } from './workflows';

jest.setTimeout(180_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../dist/test-results/ui');
const TQ = 'ui-browser';

let engine: EngineWithUi;
let worker: { stop(): Promise<void> };
let context: BrowserContext;
let page: Page;
let profile: string;
const problems: string[] = [];
const runs: Record<string, string> = {};

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  engine = await startEngineWithUi(['--search-attribute', 'Programme=Keyword']);
  worker = await engine.runWorker(TQ);
  for (const [name, programme] of [['Ada', 'werkfit'], ['Bo', 'kwalificatiebaan']]) {
    const h = await engine.client.workflow.start(uiProbe, {
      taskQueue: TQ,
      workflowId: `browser-${name}`,
      args: [name],
      searchAttributes: { Programme: [programme] },
      staticSummary: `Probe for ${name}`,
    });
    runs[name] = h.firstExecutionRunId;
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
  await worker?.stop();
  await engine?.stop();
});

const url = (p: string) => new URL(p, engine.uiUrl).toString();
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

test('the workflow list shows the workflows the SDK started, and filters by search attribute', async () => {
  await page.goto(url('/namespaces/default/workflows'));
  await page.getByRole('link', { name: 'browser-Ada' }).waitFor();
  await page.getByRole('link', { name: 'browser-Bo' }).waitFor();
  await shot('workflows');

  await page.goto(url(`/namespaces/default/workflows?query=${encodeURIComponent(`Programme="werkfit"`)}`));
  await page.getByRole('link', { name: 'browser-Ada' }).waitFor();
  expect(await page.getByRole('link', { name: 'browser-Bo' }).count()).toBe(0);
  await shot('workflows-filtered');
  expect(problems).toEqual([]);
});

test("a workflow's page shows its history with the named timer, its summary and details", async () => {
  await page.goto(url('/namespaces/default/workflows'));
  await page.getByRole('link', { name: 'browser-Ada' }).click();
  await page.waitForURL(new RegExp(`/namespaces/default/workflows/browser-Ada/${runs.Ada}/history`));
  await page.getByText('Probe for Ada').first().waitFor();
  await page.getByText(/Timer\s*Started/i).first().waitFor();
  await page.getByText('deadline of Ada').first().waitFor();
  // summary and current details render as markdown in sandboxed frames served by the gateway's /render
  await page.getByText('Summary & Details').click();
  await page.getByText('Current Details').click();
  await page.frameLocator('iframe[src*="Probe%20for%20Ada"]').getByText('Probe for Ada').waitFor();
  await page.frameLocator('iframe[src*="Waiting%20for"]').locator('strong', { hasText: 'Ada' }).waitFor();
  await shot('history');
  expect(problems).toEqual([]);
});

test('the queries tab answers the workflow query', async () => {
  await page.goto(url(`/namespaces/default/workflows/browser-Ada/${runs.Ada}/query`));
  // the query types come from the workflow's own metadata query; the first one is preselected
  await page.waitForFunction(`document.querySelector('[data-testid=query-select]')?.value === 'status'`);
  await page.getByRole('button', { name: 'Run Query' }).click();
  await page.getByText(/"stage":\s*"waiting"/).first().waitFor();
  await shot('query');
  expect(problems).toEqual([]);
});
