/** Deadlines that pass: escalation instead of moving on, the 23-month contract deadline, "needs attention", calendar edges. */
import {
  addDays,
  amsterdamInstant,
  deadlinePassesAt,
  formatIsoDate,
  isLeapYear,
  isoWeekday,
  parseIsoDate,
  reminderInstant,
  type CalendarDate,
} from '../../domain';
import { deadlinesQuery, partnerSignals as signal, phaseQuery } from '../../workflows/api';
import {
  currentDetailsOf,
  nextYear,
  searchAttributes,
  skipToDate,
  startHarness,
  startTrajectory,
  withWorker,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('deadlines');
});
afterAll(async () => {
  await h?.env.teardown();
});

const passes = (iso: string): Date => new Date(deadlinePassesAt(parseIsoDate(iso)));
/** Workflow ids a Web UI / CLI list filter finds. */
async function listed(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of h.env.client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}
const events = (workflowId: string, event: string) => h.sink.forWorkflow(workflowId).filter((n) => n.event === event);

test('a pre-track deadline passed without an extension decision escalates and waits; a late decision moves it on', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const handle = await startTrajectory(h, { participantRef: 'p-no-decision', programme: 'kwalificatiebanen', startDate: `${y}-01-31`, attentionAfterWeeks: 52 });
    await skipToDate(h.env, `${y}-05-03`);

    const [escalation] = events(handle.workflowId, 'deadline-escalation');
    expect(escalation).toMatchObject({
      occurredOn: `${y}-05-01`,
      roles: ['case-manager', 'training-company'],
      fields: { deadline: 'Einde voortraject', dueOn: `${y}-04-30`, reason: 'extension-decision-missing' },
    });
    expect(await handle.query(phaseQuery)).toMatchObject({ status: 'active', phaseId: 'voortraject', deadlineOverdue: true, extensionPending: true });
    expect((await handle.query(deadlinesQuery))[0]).toMatchObject({ kind: 'phase-deadline', date: `${y}-04-30`, overdue: true });
    expect((await searchAttributes(handle)).TrajectoryNextDeadline).toEqual(passes(`${y}-04-30`));
    expect(await currentDetailsOf(handle)).toBe(`Voortraject; Einde voortraject op 30 april ${y} verstreken, wacht op besluit`);

    await handle.signal(signal['extension-decided'], { granted: true });
    expect(await handle.query(phaseQuery)).toMatchObject({ deadline: `${y}-07-31`, deadlineOverdue: false, extensionPending: false });
    expect((await searchAttributes(handle)).TrajectoryNextDeadline).toEqual(passes(`${y}-07-31`));

    await skipToDate(h.env, `${y}-08-02`);
    const escalations = events(handle.workflowId, 'deadline-escalation');
    expect(escalations).toHaveLength(2);
    expect(escalations[1]).toMatchObject({ roles: ['training-company', 'case-manager'], fields: { dueOn: `${y}-07-31`, reason: 'decision-missing' } });
    await handle.signal(signal['advice-delivered'], {});
    expect((await handle.result()).outcome.id).toBe('geen-plaatsing-met-advies');
  });
});

test('after a refused extension the passed deadline escalates to the partners responsible for the phase', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const handle = await startTrajectory(h, { participantRef: 'p-refused', programme: 'kwalificatiebanen', startDate: `${y}-02-15`, attentionAfterWeeks: 52 });
    await skipToDate(h.env, `${y}-05-01`);
    await handle.signal(signal['extension-decided'], { granted: false });
    expect(await currentDetailsOf(handle)).toBe(`Voortraject, verlenging afgewezen; Einde voortraject 15 mei ${y}`);
    await skipToDate(h.env, `${y}-05-20`);
    expect(events(handle.workflowId, 'deadline-escalation')).toEqual([
      expect.objectContaining({ occurredOn: `${y}-05-16`, roles: ['training-company', 'case-manager'], fields: expect.objectContaining({ reason: 'decision-missing' }) }),
    ]);
    await handle.signal(signal.withdrawal, { reason: 'by-municipality' });
    expect((await handle.result()).outcome.id).toBe('teruggetrokken');
  });
});

test('"needs attention" after the configured weeks without a report; a report clears it, a rejected signal does not count', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const handle = await startTrajectory(h, { participantRef: 'p-quiet', programme: 'welslagen', region: 'zeeland', startDate: `${y}-03-01`, attentionAfterWeeks: 3 });
    await skipToDate(h.env, `${y}-03-22`, 8);
    expect((await searchAttributes(handle)).TrajectoryNeedsAttention).toBe(false);
    await skipToDate(h.env, `${y}-03-22`, 10);
    expect((await searchAttributes(handle)).TrajectoryNeedsAttention).toBe(true);
    expect(await handle.query(phaseQuery)).toMatchObject({ needsAttention: true });
    expect(await listed('TrajectoryNeedsAttention = true AND TrajectoryRegion = "zeeland"')).toEqual([handle.workflowId]);
    expect(await currentDetailsOf(handle)).toMatch(/; aandacht nodig$/);
    expect(events(handle.workflowId, 'needs-attention')).toEqual([
      expect.objectContaining({ occurredOn: `${y}-03-22`, roles: ['job-coach', 'project-lead'], fields: { quietSince: `${y}-03-01` } }),
    ]);

    await skipToDate(h.env, `${y}-03-25`);
    await handle.signal(signal['case-manager-changed'], {});
    expect((await searchAttributes(handle)).TrajectoryNeedsAttention).toBe(false);
    expect(await listed('TrajectoryNeedsAttention = true AND TrajectoryRegion = "zeeland"')).toEqual([]);
    const attention = (await handle.query(deadlinesQuery)).find((d) => d.kind === 'attention');
    expect(attention).toMatchObject({ date: `${y}-04-15`, at: new Date(reminderInstant(parseIsoDate(`${y}-04-15`))).toISOString() });

    await skipToDate(h.env, `${y}-04-10`);
    await handle.signal(signal['education-started'], { education: '' });
    await skipToDate(h.env, `${y}-04-16`);
    expect(events(handle.workflowId, 'needs-attention').map((n) => n.occurredOn)).toEqual([`${y}-03-22`, `${y}-04-15`]);
    await handle.signal(signal.dropout, { reason: 'personal-circumstances' });
    expect((await handle.result()).outcome.id).toBe('uitval');
  });
});

test('the Balanz 23-month contract deadline: reminders ahead, escalation when it passes undecided, none when decided in time', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const start = (ref: string) => startTrajectory(h, { participantRef: ref, programme: 'balanz-at-work-kerkrade', startDate: `${y}-01-04`, municipality: 'Kerkrade', attentionAfterWeeks: 104 });
    const [late, onTime] = await Promise.all([start('p-balanz-late'), start('p-balanz-ontime')]);
    await skipToDate(h.env, `${y}-03-01`);
    for (const handle of [late, onTime]) await handle.signal(signal['assessment-completed'], { conclusion: 'ready-for-placement' });
    expect((await late.query(deadlinesQuery)).find((d) => d.kind === 'programme-deadline')).toMatchObject({ date: `${y + 2}-02-01`, notify: ['employer', 'municipality'] });

    await skipToDate(h.env, `${y}-09-01`);
    for (const handle of [late, onTime]) await handle.signal(signal['diploma-obtained'], { diploma: 'Basis Opleiding Schoonmaak' });
    await skipToDate(h.env, `${y + 1}-12-20`);
    await onTime.signal(signal['contract-decided'], { offered: true });
    expect((await onTime.result()).outcome.id).toBe('vast-contract');

    await skipToDate(h.env, `${y + 2}-02-03`);
    expect(events(late.workflowId, 'deadline-reminder').map((n) => [n.occurredOn, n.roles.join(',')])).toEqual([
      [`${y + 1}-12-01`, 'employer,municipality,training-company'],
      [`${y + 2}-01-18`, 'employer,municipality'],
    ]);
    expect(events(late.workflowId, 'deadline-escalation')).toEqual([
      expect.objectContaining({ occurredOn: `${y + 2}-02-02`, roles: ['employer', 'municipality'], fields: expect.objectContaining({ deadlineId: 'contractbesluit-23-maanden', dueOn: `${y + 2}-02-01` }) }),
    ]);
    expect(events(onTime.workflowId, 'deadline-escalation')).toEqual([]);
    expect(await late.query(phaseQuery)).toMatchObject({ status: 'active', phaseId: 'werken-met-diploma' });
    expect((await searchAttributes(late)).TrajectoryNextDeadline).toEqual(passes(`${y + 2}-02-01`));
    await late.signal(signal['contract-decided'], { offered: true });
    expect((await late.result()).outcome.id).toBe('vast-contract');
  });
});

function lastSunday(year: number, month: number): CalendarDate {
  let day: CalendarDate = { year, month, day: 31 };
  while (isoWeekday(day) !== 7) day = addDays(day, -1);
  return day;
}

test('deadlines on daylight-saving days pass at midnight Amsterdam time; month ends clamp', async () => {
  const y = (await nextYear(h.env)) + 1;
  const spring = lastSunday(y, 3);
  const autumn = lastSunday(y, 10);
  await withWorker(h, async () => {
    // ISS matching lasts 3 months: entered 3 months before the spring switch, it ends on it.
    const iss = await startTrajectory(h, { participantRef: 'p-dst-spring', programme: 'iss-inclusief', startDate: formatIsoDate({ ...spring, year: y - 1, month: 12 }), attentionAfterWeeks: 52 });
    // WelSlagen's 20 weeks (140 days) end on the autumn switch.
    const wel = await startTrajectory(h, { participantRef: 'p-dst-autumn', programme: 'welslagen', region: 'drechtsteden', startDate: formatIsoDate(addDays(autumn, -140)), attentionAfterWeeks: 52 });
    // A 3-month pre-track from 30 November ends on the last day of February.
    const kwb = await startTrajectory(h, { participantRef: 'p-month-end', programme: 'kwalificatiebanen', startDate: `${y}-11-30`, attentionAfterWeeks: 52 });
    await skipToDate(h.env, `${y}-12-01`);
    expect((await kwb.query(phaseQuery)).deadline).toBe(`${y + 1}-02-${isLeapYear(y + 1) ? 29 : 28}`);

    const fired = (workflowId: string, event: string): number => Date.parse(events(workflowId, event)[0].occurredAt);
    const springEnd = amsterdamInstant(addDays(spring, 1));
    expect(new Date(springEnd).toISOString()).toMatch(/T22:00:00.000Z$/);
    expect(fired(iss.workflowId, 'deadline-escalation') - springEnd).toBeGreaterThanOrEqual(0);
    expect(fired(iss.workflowId, 'deadline-escalation') - springEnd).toBeLessThan(60_000);
    const springReminder = reminderInstant(addDays(spring, -14));
    expect(new Date(springReminder).toISOString()).toMatch(/T08:00:00.000Z$/);
    expect(fired(iss.workflowId, 'deadline-reminder') - springReminder).toBeLessThan(60_000);

    const autumnEnd = amsterdamInstant(addDays(autumn, 1));
    expect(new Date(autumnEnd).toISOString()).toMatch(/T23:00:00.000Z$/);
    expect(fired(wel.workflowId, 'deadline-escalation') - autumnEnd).toBeGreaterThanOrEqual(0);
    expect(fired(wel.workflowId, 'deadline-escalation') - autumnEnd).toBeLessThan(60_000);
    const autumnReminder = reminderInstant(addDays(autumn, -28));
    expect(new Date(autumnReminder).toISOString()).toMatch(/T07:00:00.000Z$/);
    expect(fired(wel.workflowId, 'deadline-reminder') - autumnReminder).toBeLessThan(60_000);

    for (const handle of [iss, wel, kwb]) {
      await handle.signal(signal.withdrawal, { reason: 'test-done' });
      expect((await handle.result()).outcome.id).toBe('teruggetrokken');
    }
  });
});
