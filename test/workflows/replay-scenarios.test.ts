/**
 * Small histories: every fixture scenario (complete trajectories of every
 * programme, a Balanz trajectory through the capacity workflow) run against
 * the current code reaches its outcome in under 150 history events, and its
 * fresh history replays. No polling: every event is a report, a timer, a
 * notification or a start/end.
 */
import { Worker } from '@temporalio/worker';
import { builtInProgrammeIds } from '../../domain';
import { scenarios, type ScenarioRun } from '../fixtures/scenarios';
import { startHarness, withWorker, type Harness } from './harness';

/** The budget of issue 3, part 8. */
const MAX_EVENTS = 150;
/** A capacity run continues as new past its limit (20 in the scenarios) plus the request in flight. */
const MAX_CAPACITY_RUN_EVENTS = 40;

let h: Harness;
beforeAll(async () => {
  h = await startHarness('scenarios');
});
afterAll(async () => {
  await h?.env.teardown();
});

interface Measured {
  readonly fixture: string;
  readonly programme: string;
  readonly kind: ScenarioRun['kind'];
  readonly outcome: string | undefined;
  readonly events: number;
  readonly replay: string;
}

let measured: Measured[] = [];
beforeAll(async () => {
  measured = await withWorker(h, async () => {
    const out: Measured[] = [];
    for (const scenario of scenarios) {
      for (const run of await scenario.run(h, 'live')) {
        const history = await run.handle.fetchHistory();
        const result = run.kind === 'trajectory' ? ((await run.handle.result()) as { outcome: { id: string } }) : undefined;
        let replay = 'ok';
        await Worker.runReplayHistory({ workflowBundle: h.workflowBundle }, history, run.handle.workflowId).catch((error: unknown) => {
          replay = String(error);
        });
        out.push({ fixture: run.fixture, programme: scenario.programme, kind: run.kind, outcome: result?.outcome.id, events: history.events?.length ?? 0, replay });
        if (run.outcome !== undefined) expect([run.fixture, result?.outcome.id]).toEqual([run.fixture, run.outcome]);
      }
    }
    return out;
  });
}, 300_000);

test('every scenario reaches its outcome and its fresh history replays', () => {
  const expected = scenarios.flatMap((s) => s.fixtures);
  expect(measured.map((m) => m.fixture)).toEqual(expected);
  expect(measured.filter((m) => m.replay !== 'ok')).toEqual([]);
});

test('a complete trajectory of every programme stays under 150 history events, every path', () => {
  const trajectories = measured.filter((m) => m.kind === 'trajectory');
  expect(trajectories.filter((m) => m.events >= MAX_EVENTS).map((m) => `${m.fixture}: ${m.events}`)).toEqual([]);
  expect([...new Set(trajectories.map((m) => m.programme))].sort()).toEqual([...builtInProgrammeIds].sort());
});

test("a capacity workflow's runs stay bounded by continue-as-new", () => {
  const runs = measured.filter((m) => m.kind === 'capacity');
  expect(runs.length).toBeGreaterThan(0);
  expect(runs.filter((m) => m.events >= MAX_CAPACITY_RUN_EVENTS).map((m) => `${m.fixture}: ${m.events}`)).toEqual([]);
});
