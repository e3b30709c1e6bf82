/** Kwalificatiebanen end to end on the engine, with time skipping: the pre-track, extension, placement, aftercare and every result. */
import { deadlinePassesAt, parseIsoDate } from '../../domain';
import { partnerSignals as signal, phaseQuery, timelineQuery } from '../../workflows/api';
import { SMALL_HISTORIES_PATCH } from '../../workflows/small-histories';
import {
  currentDetailsOf,
  heard,
  historyLength,
  nextYear,
  replay,
  searchAttributes,
  skipToDate,
  startHarness,
  startTrajectory,
  timerSummaries,
  type Harness,
  withWorker,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('kwalificatiebanen');
});
afterAll(async () => {
  await h?.env.teardown();
});

const passes = (iso: string): Date => new Date(deadlinePassesAt(parseIsoDate(iso)));

test('a full trajectory: 3-month pre-track from 31 January ends 30 April, extension, placement with LKS, aftercare, result', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const handle = await startTrajectory(h, {
      participantRef: 'p-kwb-full',
      programme: 'kwalificatiebanen',
      startDate: `${y}-01-31`,
      municipality: 'Rotterdam',
      attentionAfterWeeks: 52,
    });
    expect(handle.workflowId).toBe('traject-kwalificatiebanen-p-kwb-full');

    await skipToDate(h.env, `${y}-02-01`);
    expect(await handle.query(phaseQuery)).toMatchObject({
      status: 'active',
      phaseId: 'voortraject',
      enteredOn: `${y}-01-31`,
      deadline: `${y}-04-30`,
      extensionPending: true,
    });
    expect(await currentDetailsOf(handle)).toBe(`Voortraject; Einde voortraject 30 april ${y} (besluit over verlenging nodig)`);
    expect(await searchAttributes(handle)).toEqual({
      // Set by `patched()`: running trajectories with and without the change can be told apart.
      TemporalChangeVersion: [SMALL_HISTORIES_PATCH],
      TrajectoryProgramme: 'kwalificatiebanen',
      TrajectoryPhase: 'voortraject',
      TrajectoryMunicipality: 'Rotterdam',
      TrajectoryNeedsAttention: false,
      TrajectoryNextDeadline: passes(`${y}-04-30`),
    });
    expect(await timerSummaries(handle)).toEqual(
      expect.arrayContaining([
        `Start traject op 31 januari ${y}`,
        `Einde voortraject: 30 april ${y}`,
        `Herinnering: Einde voortraject op 30 april ${y} (aan case-manager, training-company)`,
      ]),
    );

    await skipToDate(h.env, `${y}-03-01`);
    await handle.signal(signal['assessment-completed'], { conclusion: 'needs-training' });
    await skipToDate(h.env, `${y}-04-20`);
    const reminder = h.sink.forWorkflow(handle.workflowId).find((n) => n.event === 'deadline-reminder');
    expect(reminder).toMatchObject({
      occurredOn: `${y}-04-16`,
      roles: ['case-manager', 'training-company'],
      fields: { deadline: 'Einde voortraject', dueOn: `${y}-04-30`, extensionDecisionPending: true },
    });

    await handle.signal(signal['extension-decided'], { granted: true });
    expect(await handle.query(phaseQuery)).toMatchObject({ deadline: `${y}-07-31`, extensionsGranted: 1, extensionPending: false });
    expect(await currentDetailsOf(handle)).toBe(`Voortraject, verlenging toegekend; Einde voortraject 31 juli ${y}`);
    expect((await searchAttributes(handle)).TrajectoryNextDeadline).toEqual(passes(`${y}-07-31`));

    await skipToDate(h.env, `${y}-06-15`);
    await handle.signal(signal.placement, { employer: 'Havenbedrijf Rotterdam', withLks: true, lksEndDate: `${y}-12-31` });
    expect(await handle.query(phaseQuery)).toMatchObject({ phaseId: 'plaatsing-met-lks', deadline: `${y}-12-31` });
    expect(await searchAttributes(handle)).toMatchObject({ TrajectoryPhase: 'plaatsing-met-lks', TrajectoryNextDeadline: passes(`${y}-12-31`) });

    const result = await handle.result();
    expect(result).toMatchObject({
      outcome: { id: 'werk-binnen-6-maanden-met-lks', category: 'work-within-6-months' },
      startedOn: `${y}-01-31`,
      endedOn: `${y + 1}-04-01`,
      phasesVisited: ['voortraject', 'plaatsing-met-lks', 'nazorg'],
      extensionsGranted: 1,
      firstPlacement: { on: `${y}-06-15`, withLks: true },
    });
    const timeline = await handle.query(timelineQuery);
    expect(timeline.find((e) => e.kind === 'phase-entered' && e.phase === 'nazorg')).toMatchObject({ on: `${y + 1}-01-01` });
    expect(heard(h, handle.workflowId)).toEqual([
      'trajectory-started: case-manager,training-company',
      'assessment-completed: case-manager',
      'deadline-reminder: case-manager,training-company',
      'extension-decided: case-manager,training-company',
      'placement: case-manager,municipality,training-company',
      'deadline-reminder: case-manager,employer,training-company',
      'phase-entered: case-manager,employer',
      'trajectory-ended: case-manager,municipality,training-company',
    ]);
    const lksReminder = h.sink.forWorkflow(handle.workflowId).filter((n) => n.event === 'deadline-reminder')[1];
    expect(lksReminder).toMatchObject({ occurredOn: `${y}-12-03`, fields: { deadline: 'Einde LKS-periode', dueOn: `${y}-12-31` } });
    expect(await searchAttributes(handle)).toEqual({
      // Set by `patched()`: running trajectories with and without the change can be told apart.
      TemporalChangeVersion: [SMALL_HISTORIES_PATCH],
      TrajectoryProgramme: 'kwalificatiebanen',
      TrajectoryPhase: 'nazorg',
      TrajectoryMunicipality: 'Rotterdam',
      TrajectoryNeedsAttention: false,
      TrajectoryOutcome: 'werk-binnen-6-maanden-met-lks',
    });
    expect(await historyLength(handle)).toBeLessThan(150);
    await replay(h, handle);
  });
});

test('each of the four results, and work found only after six months', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const start = (ref: string) =>
      startTrajectory(h, { participantRef: ref, programme: 'kwalificatiebanen', startDate: `${y}-01-31`, attentionAfterWeeks: 52 });
    const [within3, within6, advice, after6] = await Promise.all([start('p-r1'), start('p-r3'), start('p-r4'), start('p-late')]);

    await skipToDate(h.env, `${y}-04-15`);
    await within3.signal(signal.placement, { employer: 'Zorgcentrum Zuid', withLks: false });
    await skipToDate(h.env, `${y}-04-25`);
    for (const handle of [within6, advice, after6]) await handle.signal(signal['extension-decided'], { granted: true });
    await skipToDate(h.env, `${y}-07-20`);
    await within6.signal(signal.placement, { employer: 'Bouwbedrijf West', withLks: false });
    await advice.signal(signal['advice-delivered'], { followUp: 'zorgtraject' });
    await skipToDate(h.env, `${y}-08-15`);
    expect(await after6.query(phaseQuery)).toMatchObject({ phaseId: 'voortraject', deadline: `${y}-07-31`, deadlineOverdue: true });
    await after6.signal(signal.placement, { employer: 'Logistiek Rijnmond', withLks: false });

    // One result() at a time: in time-skipping mode each call unlocks and relocks the clock.
    const outcomes: string[] = [];
    for (const handle of [within3, within6, advice, after6]) outcomes.push((await handle.result()).outcome.id);
    expect(outcomes).toEqual(['werk-binnen-3-maanden', 'werk-binnen-6-maanden', 'geen-plaatsing-met-advies', 'werk-na-6-maanden']);
    expect((await within3.result()).endedOn).toBe(`${y}-04-15`);
  });
});

test('dropout during LKS leads to re-placement within four weeks, escalated when it does not come', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const handle = await startTrajectory(h, { participantRef: 'p-kwb-drop', programme: 'kwalificatiebanen', startDate: `${y}-03-01`, attentionAfterWeeks: 52 });
    await skipToDate(h.env, `${y}-04-01`);
    await handle.signal(signal.placement, { employer: 'Schoonmaak BV', withLks: true, lksEndDate: `${y}-12-31` });
    await skipToDate(h.env, `${y}-06-10`);
    await handle.signal(signal.dropout, { reason: 'contract-ended' });
    expect(await handle.query(phaseQuery)).toMatchObject({ phaseId: 'herplaatsing', enteredOn: `${y}-06-10`, deadline: `${y}-07-08` });

    await skipToDate(h.env, `${y}-07-12`);
    const escalation = h.sink.forWorkflow(handle.workflowId).find((n) => n.event === 'deadline-escalation');
    expect(escalation).toMatchObject({ occurredOn: `${y}-07-09`, roles: ['training-company', 'case-manager'], fields: { deadline: 'Doorplaatsing', reason: 'decision-missing' } });
    expect(await handle.query(phaseQuery)).toMatchObject({ phaseId: 'herplaatsing', deadlineOverdue: true });
    expect(await currentDetailsOf(handle)).toBe(`Directe doorplaatsing na uitval; Doorplaatsing op 8 juli ${y} verstreken, wacht op besluit`);

    await handle.signal(signal.placement, { employer: 'Kantoorservice Noord', withLks: true, lksEndDate: `${y + 1}-01-31` });
    expect(await handle.query(phaseQuery)).toMatchObject({ phaseId: 'plaatsing-met-lks', deadline: `${y + 1}-01-31`, deadlineOverdue: false });
    const result = await handle.result();
    expect(result.phasesVisited).toEqual(['voortraject', 'plaatsing-met-lks', 'herplaatsing', 'plaatsing-met-lks', 'nazorg']);
    expect(result.outcome.id).toBe('werk-binnen-3-maanden');
    expect(result.firstPlacement).toEqual({ on: `${y}-04-01`, withLks: true });
    expect(heard(h, handle.workflowId)).toContain('dropout: case-manager,municipality,training-company');
  });
});
