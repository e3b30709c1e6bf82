/**
 * Safe to change while running: every recorded history in test/fixtures/histories
 * (complete trajectories of every programme, capacity runs) replays against the
 * current workflow code. A change that would break a running trajectory fails
 * here; see docs/changing-workflows.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { builtInProgrammeIds } from '../../domain';
import { bundleTrajectoryWorkflows, TRAJECTORY_WORKFLOWS_PATH } from '../../worker/worker';
import { CAPACITY_RELEASE_PATCH } from '../../workflows/capacity-release';
import { SMALL_HISTORIES_PATCH } from '../../workflows/small-histories';
import { historyFromJsonText } from '../fixtures/history-json';
import { quietRuntime } from '../helpers/engine';

const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');
const HISTORIES_DIR = path.join(FIXTURES_DIR, 'histories');
const index = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, 'history-index.json'), 'utf8')) as Record<
  string,
  { workflowId: string; workflowType: string; programme: string; recordedWith: string }
>;
const fixtures = fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
const load = (fixture: string): History => historyFromJsonText(fs.readFileSync(path.join(HISTORIES_DIR, `${fixture}.json`), 'utf8'));
/** Recorded before `capacity-release` existed: a Balanz trajectory started by a capacity workflow. */
const BEFORE_RELEASE = 'balanz-via-capacity';

/** Replays the fixtures; per fixture "ok" or the error's class and message. */
async function replay(workflowBundle: WorkflowBundle, histories: { fixture: string; history: History }[]): Promise<Record<string, string>> {
  const outcomes: Record<string, string> = {};
  const input = histories.map((h) => ({ workflowId: index[h.fixture].workflowId, history: h.history }));
  // One history at a time, results in the same order.
  let next = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle }, input)) {
    outcomes[histories[next++].fixture] = result.error ? `${result.error.name}: ${result.error.message}` : 'ok';
  }
  return outcomes;
}

const markerPatch = (event: NonNullable<History['events']>[number]): unknown =>
  (defaultPayloadConverter.fromPayload(event.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]) as { id?: string }).id;
const all = (value: string): Record<string, string> => Object.fromEntries(fixtures.map((f) => [f, value]));
const eventTypes = (history: History): string[] => (history.events ?? []).map((e) => String(e.eventType));

/** The current code with one patch answering true without a marker (test/workflows/variants/without-<patch>.ts). */
function bundleWithout(patchId: string): Promise<WorkflowBundle> {
  const quiet = () => undefined;
  return bundleWorkflowCode({
    workflowsPath: TRAJECTORY_WORKFLOWS_PATH,
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        alias: { ...(config.resolve?.alias as Record<string, string | false>), '@temporalio/workflow$': path.join(__dirname, 'variants', `without-${patchId}.ts`) },
      },
    }),
  });
}

let current: WorkflowBundle;
beforeAll(async () => {
  quietRuntime();
  current = await bundleTrajectoryWorkflows();
});

test('the fixtures are complete trajectories of every programme, plus capacity runs, each indexed', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(builtInProgrammeIds.length);
  expect(Object.keys(index).sort()).toEqual(fixtures);
  const programmes = new Set<string>();
  for (const fixture of fixtures) {
    const history = load(fixture);
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(started?.workflowType?.name).toBe(index[fixture].workflowType);
    const last = history.events?.at(-1);
    if (index[fixture].workflowType === 'trajectory') {
      expect([fixture, last?.workflowExecutionCompletedEventAttributes ? 'completed' : 'not completed']).toEqual([fixture, 'completed']);
      const input = defaultPayloadConverter.fromPayload<{ programme: { id: string } }>(started!.input!.payloads![0]);
      expect(input.programme.id).toBe(index[fixture].programme);
      programmes.add(input.programme.id);
    }
  }
  expect([...programmes].sort()).toEqual([...builtInProgrammeIds].sort());
});

test('every recorded history replays against the current workflow code', async () => {
  expect(await replay(current, fixtures.map((fixture) => ({ fixture, history: load(fixture) })))).toEqual(all('ok'));
});

test('the capacity-release change without its patch would break trajectories running before it (and dropping the patch too early, those after)', async () => {
  const before = load(BEFORE_RELEASE);
  // The precondition: recorded before the patch, so there is no marker and no signal to the capacity workflow.
  expect(index[BEFORE_RELEASE].recordedWith).toMatch(/before the capacity-release patch/);
  expect(before.events?.[0]?.workflowExecutionStartedEventAttributes?.parentWorkflowExecution?.workflowId).toMatch(/^capaciteit-/);
  expect(eventTypes(before).some((t) => /MARKER_RECORDED|SIGNAL_EXTERNAL/.test(t))).toBe(false);
  // A newer history carries the patch marker.
  const after = (load('balanz-capacity-release').events ?? []).filter((e) => e.markerRecordedEventAttributes);
  expect(after.map((e) => defaultPayloadConverter.fromPayload(e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]))).toEqual([
    { id: CAPACITY_RELEASE_PATCH, deprecated: false },
  ]);

  // The current code with `capacity-release` answering true: the same change, made without a patch.
  const outcomes = await replay(await bundleWithout(CAPACITY_RELEASE_PATCH), fixtures.map((fixture) => ({ fixture, history: load(fixture) })));
  expect(outcomes).toEqual({
    ...all('ok'),
    // Recorded before the change: the new signal command meets the old completion.
    [BEFORE_RELEASE]: expect.stringMatching(/^DeterminismViolationError: .*Nondeterminism error: Signal external WF machine does not handle this event: .*WorkflowExecutionCompleted/),
    // Recorded with the patch: dropping `patched()` without `deprecatePatch()` first breaks it too.
    'balanz-capacity-release': expect.stringMatching(/^DeterminismViolationError: .*Non-deprecated patch marker encountered for change capacity-release/),
  });
});

test('the small-histories change without its patch would break every trajectory recorded before it', async () => {
  // Every fixture was recorded before the change: no marker, notifications scheduled as activities.
  for (const fixture of fixtures) expect([fixture, (load(fixture).events ?? []).some((e) => e.markerRecordedEventAttributes && markerPatch(e) === SMALL_HISTORIES_PATCH)]).toEqual([fixture, false]);
  const outcomes = await replay(await bundleWithout(SMALL_HISTORIES_PATCH), fixtures.map((fixture) => ({ fixture, history: load(fixture) })));
  const broken = fixtures.filter((f) => index[f].workflowType === 'trajectory');
  expect(broken.length).toBeGreaterThanOrEqual(builtInProgrammeIds.length);
  expect(outcomes).toEqual({
    ...all('ok'),
    // The first notification: a local activity's marker where the history has ActivityTaskScheduled.
    ...Object.fromEntries(broken.map((f) => [f, expect.stringMatching(/^DeterminismViolationError: .*Nondeterminism error: .*ActivityTaskScheduled/)])),
  });
});

test('replay detects a deliberately altered copy of a history', async () => {
  const fixture = 'kwalificatiebanen-extension-lks-aftercare';
  const altered = load(fixture);
  const scheduled = altered.events?.find((e) => e.activityTaskScheduledEventAttributes)?.activityTaskScheduledEventAttributes;
  expect(scheduled?.activityType?.name).toBe('notifyPartners');
  scheduled!.activityType = { name: 'notifyPartnersByFax' };
  // And a copy with the first timer's events dropped, as if the code had started one timer fewer.
  const fewerTimers = load('welslagen-bbl');
  const timerId = fewerTimers.events?.find((e) => e.timerStartedEventAttributes)?.timerStartedEventAttributes?.timerId;
  fewerTimers.events = (fewerTimers.events ?? []).filter(
    (e) => e.timerStartedEventAttributes?.timerId !== timerId && e.timerFiredEventAttributes?.timerId !== timerId && e.timerCanceledEventAttributes?.timerId !== timerId,
  );

  const outcomes = await replay(current, [
    { fixture, history: altered },
    { fixture: 'welslagen-bbl', history: fewerTimers },
  ]);
  expect(outcomes[fixture]).toMatch(/^DeterminismViolationError: .*Nondeterminism error: Activity type of scheduled event 'notifyPartnersByFax' does not match/);
  expect(outcomes['welslagen-bbl']).toMatch(/^(DeterminismViolationError|ReplayError): /);
});
