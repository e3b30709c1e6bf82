/**
 * Encrypted payloads in the real Temporal Web UI, in headless Chromium (Debian's `chromium`):
 * the embedded engine, a worker and a client that encrypt every payload with the EncryptionCodec
 * (privacy/payload-codec.ts), and the UI gateway with its codec endpoint (ui/gateway/codec.ts).
 * A browser that has not logged in sees the payloads as ciphertext; one that opened the login
 * link reads them. Screenshots go to dist/test-results/ui/codec-*.png.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { EncryptionCodec, Keyring } from '../../privacy';
import { startUiGateway, type RunningUiGateway } from '../../ui/gateway';
import { quietRuntime } from '../helpers/engine';
import { spawnEngine, type SpawnedEngine } from '../helpers/spawn-engine';
import { runUiWorker } from './helpers';
import { advanceSignal, uiProbe } from './workflows';

jest.setTimeout(180_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../dist/test-results/ui');
const TQ = 'ui-codec-browser';
const TOKEN = randomBytes(24).toString('base64url');
// recognisable values that must never show unless the browser has access
const INPUT_SECRET = 'Ada-Plaintext-Input-7f3a';
const SIGNAL_SECRET = 'signal-plaintext-9c1e';
const WORKFLOW_ID = 'codec-browser-probe';

const codec = new EncryptionCodec(new Keyring([{ id: 'k-ui-browser', key: randomBytes(32), createdAt: '2026-01-01T00:00:00.000Z' }]));

let engine: SpawnedEngine;
let connection: Connection;
let worker: { stop(): Promise<void> };
let gateway: RunningUiGateway;
let browser: Browser;
let runId: string;
/** The signal's payload as the engine stores it (base64 of the ciphertext). */
let signalCiphertext: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  quietRuntime();
  engine = await spawnEngine([]);
  gateway = await startUiGateway({ temporalAddress: engine.address, port: 0, codec: { codec, token: TOKEN } });
  const dataConverter = { payloadCodecs: [codec] };
  worker = await runUiWorker(engine.address, TQ, { dataConverter });
  connection = await Connection.connect({ address: engine.address });
  const client = new Client({ connection, dataConverter });
  const handle = await client.workflow.start(uiProbe, { taskQueue: TQ, workflowId: WORKFLOW_ID, args: [INPUT_SECRET] });
  runId = handle.firstExecutionRunId;
  await handle.signal(advanceSignal, SIGNAL_SECRET);
  expect(await handle.result()).toBe(`${INPUT_SECRET} ${SIGNAL_SECRET}`.toUpperCase());
  const { history } = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: WORKFLOW_ID, runId } });
  const signaled = history!.events!.find((e) => e.workflowExecutionSignaledEventAttributes)!.workflowExecutionSignaledEventAttributes!;
  const stored = signaled.input!.payloads![0];
  expect(Buffer.from(stored.metadata!.encoding!).toString()).toBe('binary/encrypted');
  signalCiphertext = Buffer.from(stored.data!).toString('base64');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await connection?.close();
  await gateway?.close();
  if (engine) {
    engine.child.kill('SIGTERM');
    await engine.exited;
  }
});

const url = (p: string) => new URL(p, gateway.url).toString();

async function openPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return page;
}

const history = () => url(`/namespaces/default/workflows/${WORKFLOW_ID}/${runId}/history`);

/** Every frame's HTML (the page and the sandboxed markdown frames), lower-cased. */
async function allContent(page: Page): Promise<string> {
  const parts = await Promise.all(page.frames().map((f) => f.content().catch(() => '')));
  return parts.join('\n').toLowerCase();
}

const plaintexts = [INPUT_SECRET, SIGNAL_SECRET].map((s) => s.toLowerCase());

/** The 401s of the codec endpoint (and Chromium's console line for each) are expected without login. */
const unexpected = (problems: string[]) =>
  problems.filter((p) => !p.startsWith(`HTTP 401 ${url('/codec/decode')}`) && p !== 'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)');

test('without login the history shows every payload as ciphertext, the signal too, with a banner naming the login page', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  try {
    const page = await openPage(context, problems);
    await page.goto(history());
    // the UI asked the codec endpoint, was refused, and says so
    await page.getByText('Payloads are encrypted. To read them, log in with the codec token:').waitFor();
    await page.getByRole('link', { name: '/codec/login' }).waitFor();
    // the input card shows the encrypted payload as stored (encoding "binary/encrypted", in base64)
    await page.getByText('"YmluYXJ5L2VuY3J5cHRlZA=="').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'codec-encrypted.png') });
    await page.getByText('Workflow Execution Signaled').click();
    await page.getByText(signalCiphertext.slice(0, 40)).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'codec-encrypted-signal.png') });
    // the decode calls were all refused, so nothing can have been decrypted
    const content = await allContent(page);
    for (const plain of plaintexts) expect(content).not.toContain(plain);
    expect(problems.some((p) => p.startsWith('HTTP 401'))).toBe(true);
    expect(unexpected(problems)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('the login form takes the token and sets an HttpOnly, SameSite=Strict session cookie, not the token', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 600 } });
  const problems: string[] = [];
  try {
    const page = await openPage(context, problems);
    await page.goto(url('/codec/login'));
    await page.getByLabel('Codec token').fill(TOKEN);
    await page.screenshot({ path: path.join(SHOTS, 'codec-login.png') });
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/namespaces\/default\/workflows/);
    const cookies = await context.cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: 'temporal_codec_session', path: '/codec', httpOnly: true, sameSite: 'Strict' })].concat(cookies.filter((c) => c.name !== 'temporal_codec_session')));
    const session = cookies.find((c) => c.name === 'temporal_codec_session')!;
    expect(session.value).not.toContain(TOKEN);
    await page.goto(url('/codec/login'));
    await page.getByText('Encrypted payloads are readable').waitFor();
    expect(unexpected(problems)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('after the login link the history shows the plain input, signal, timer summary and result; logout hides them again', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  try {
    const page = await openPage(context, problems);
    await page.goto(url(`/codec/login?token=${encodeURIComponent(TOKEN)}`));
    await page.waitForURL(/\/namespaces\/default\/workflows/);
    expect(page.url()).not.toContain(TOKEN);
    await page.goto(history());
    await page.getByText(`"${INPUT_SECRET}"`).first().waitFor();
    await page.getByText(`"${`${INPUT_SECRET} ${SIGNAL_SECRET}`.toUpperCase()}"`).first().waitFor();
    await page.getByText(`deadline of ${INPUT_SECRET}`).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'codec-decrypted.png') });
    await page.getByText('Workflow Execution Signaled').click();
    await page.getByText(`"${SIGNAL_SECRET}"`).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'codec-decrypted-signal.png') });
    expect(await page.getByText('Payloads are encrypted.').count()).toBe(0);
    expect(problems).toEqual([]);

    await page.goto(url('/codec/logout'));
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.goto(history());
    await page.getByText('Payloads are encrypted. To read them, log in with the codec token:').waitFor();
    await page.getByText('"YmluYXJ5L2VuY3J5cHRlZA=="').first().waitFor();
    const content = await allContent(page);
    for (const plain of plaintexts) expect(content).not.toContain(plain);
  } finally {
    await context.close();
  }
});
