/** Invalid and out-of-phase signals change nothing and are recorded as rejected, with the reason, in a query. */
import { partnerSignals as signal, phaseQuery, rejectedSignalsQuery, timelineQuery } from '../../workflows/api';
import { nextYear, skipToDate, startHarness, startTrajectory, withWorker, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('signals');
});
afterAll(async () => {
  await h?.env.teardown();
});

test('invalid, out-of-phase, early, duplicate and unknown signals are rejected with their reason and change nothing', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const handle = await startTrajectory(h, { participantRef: 'p-rejects', programme: 'kwalificatiebanen', startDate: `${y}-01-31`, attentionAfterWeeks: 52 });

    await handle.signal(signal['assessment-completed'], { conclusion: 'ready-for-placement' });
    await skipToDate(h.env, `${y}-02-10`);
    await handle.signal(signal['assessment-completed'], { conclusion: 'ready-for-placement', reportId: 'work2-assess-1' });
    const phaseBefore = await handle.query(phaseQuery);
    const timelineBefore = await handle.query(timelineQuery);

    await handle.signal(signal['contract-decided'], { offered: true });
    await handle.signal(signal.placement, { withLks: false } as never);
    await handle.signal(signal.placement, { employer: 'Havenbedrijf', withLks: true });
    await handle.signal(signal['extension-decided'], { granted: 'yes' } as never);
    await handle.signal(signal['extension-decided'], { granted: true, participantName: 'Jan Jansen' } as never);
    await handle.signal(signal.placement, { employer: 'Havenbedrijf', withLks: true, lksEndDate: `${y}-02-01` });
    await handle.signal(signal['assessment-completed'], { conclusion: 'ready-for-placement', reportId: 'work2-assess-1' });
    await handle.signal('placement-confirmed', { employer: 'Havenbedrijf' });

    expect(await handle.query(phaseQuery)).toEqual(phaseBefore);
    expect(await handle.query(timelineQuery)).toEqual(timelineBefore);
    const rejected = await handle.query(rejectedSignalsQuery);
    expect(rejected.map((r) => [r.signal, r.phase, r.reason])).toEqual([
      ['assessment-completed', undefined, `het traject start pas op 31 januari ${y}`],
      ['contract-decided', 'voortraject', '"contract-decided" is not expected in phase "Voortraject"'],
      ['placement', 'voortraject', 'invalid "placement" payload: employer: Invalid input: expected string, received undefined'],
      ['placement', 'voortraject', 'invalid "placement" payload: lksEndDate: a placement with LKS needs lksEndDate (YYYY-MM-DD)'],
      ['extension-decided', 'voortraject', expect.stringMatching(/^invalid "extension-decided" payload: granted: /)],
      ['extension-decided', 'voortraject', expect.stringMatching(/^invalid "extension-decided" payload: .*participantName/)],
      ['placement', 'voortraject', `lksEndDate ${y}-02-01 is in the past`],
      ['assessment-completed', 'voortraject', 'report "work2-assess-1" was already received'],
      ['placement-confirmed', 'voortraject', 'unknown signal "placement-confirmed"'],
    ]);
    expect(rejected[1]).toMatchObject({ on: `${y}-02-10`, payload: '{"offered":true}' });

    await handle.signal(signal['extension-decided'], { granted: true });
    await handle.signal(signal['extension-decided'], { granted: true });
    expect((await handle.query(rejectedSignalsQuery)).at(-1)?.reason).toBe('"Voortraject" is already extended the maximum of 1 time(s)');
    expect(await handle.query(phaseQuery)).toMatchObject({ deadline: `${y}-07-31`, extensionsGranted: 1 });

    await handle.signal(signal.placement, { employer: 'Havenbedrijf', withLks: true, lksEndDate: `${y + 1}-02-10` });
    await handle.signal(signal.placement, { employer: 'Tweede werkgever', withLks: false });
    expect((await handle.query(rejectedSignalsQuery)).at(-1)?.reason).toBe('"placement" is not expected in phase "Plaatsing met loonkostensubsidie"');
    await handle.signal(signal.withdrawal, { reason: 'by-participant' });
    expect((await handle.result()).outcome.id).toBe('teruggetrokken');
    const notified = h.sink.forWorkflow(handle.workflowId).map((n) => n.event);
    expect(notified.filter((e) => e === 'extension-decided')).toHaveLength(1);
  });
});
