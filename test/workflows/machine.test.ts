/** The trajectory state machine on its own (no engine): catching up on a calendar, keys, bounds, input checks. */
import { amsterdamInstant, getBuiltInProgramme, parseIsoDate } from '../../domain';
import { checkTrajectoryInput, looksLikeBsn } from '../../workflows/input';
import { REJECTED_KEPT, TrajectoryMachine } from '../../workflows/machine';
import { plan } from '../../workflows/plan';

const at = (iso: string, hour = 12): number => amsterdamInstant(parseIsoDate(iso), { hour });

function machine(programmeId: string, startDate: string, now: number): TrajectoryMachine {
  const checked = checkTrajectoryInput({ participantRef: 'p-unit', programme: getBuiltInProgramme(programmeId), startDate, attentionAfterWeeks: 104 });
  if (!checked.ok) throw new Error(checked.message);
  return new TrajectoryMachine({ input: checked.input, fingerprint: checked.fingerprint, workflowId: 'traject-x-p-unit', runKey: 'run-1' }, now);
}

test('a trajectory started after its start date catches up: no late reminder, the passed deadline escalates', () => {
  const m = machine('kwalificatiebanen', '2027-01-31', at('2027-05-05'));
  m.fireDue(at('2027-05-05'));
  expect(m.timeline.map((e) => e.kind)).toEqual(['trajectory-started', 'phase-entered', 'deadline-escalated']);
  expect(m.drainOutbox().map((n) => [n.event, n.idempotencyKey])).toEqual([
    ['trajectory-started', 'traject-x-p-unit/run-1/1'],
    ['deadline-escalation', 'traject-x-p-unit/run-1/3'],
  ]);
  expect(m.drainOutbox()).toEqual([]);
});

test('phases entered by a passed deadline start the day after it; a chain of passed deadlines settles in one go', () => {
  const m = machine('kwalificatiebanen', '2027-01-31', at('2027-01-31', 0));
  m.fireDue(at('2027-01-31', 0));
  expect(m.report('placement', { employer: 'Werkgever', withLks: true, lksEndDate: '2027-06-30' }, at('2027-03-01'))).toBe(true);
  m.fireDue(at('2027-10-15'));
  expect(m.visited).toEqual(['voortraject', 'plaatsing-met-lks', 'nazorg']);
  expect(m.timeline.find((e) => e.kind === 'phase-entered' && e.phase === 'nazorg')?.fields).toMatchObject({ enteredOn: '2027-07-01', dueOn: '2027-10-01' });
  expect(m.status).toBe('ended');
  expect(m.outcome?.id).toBe('werk-binnen-3-maanden');
  expect(m.endedOn).toEqual(parseIsoDate('2027-10-01'));
  expect(m.report('dropout', { reason: 'late' }, at('2027-10-16'))).toBe(false);
  expect(m.rejected.at(-1)?.reason).toBe('het traject is al afgerond');
  expect(plan(m)).toEqual([]);
});

test('a granted extension moves the deadline timer and its reminders; other timers keep their keys', () => {
  const m = machine('kwalificatiebanen', '2027-01-31', at('2027-01-31', 0));
  m.fireDue(at('2027-01-31', 0));
  const before = plan(m).map((i) => i.key);
  m.report('extension-decided', { granted: true }, at('2027-03-01'));
  const after = plan(m).map((i) => i.key);
  expect(before.filter((k) => k.includes(':deadline:'))).toEqual(['phase-1-voortraject:deadline:2027-04-30']);
  expect(after.filter((k) => k.includes(':deadline:'))).toEqual(['phase-1-voortraject:deadline:2027-07-31']);
  expect(after.filter((k) => k.includes(':reminder:'))).toEqual(['phase-1-voortraject:reminder:2027-07-17:0']);
  expect(plan(m).find((i) => i.kind === 'phase-deadline')?.summary).toBe('Einde voortraject: 31 juli 2027');
});

test('rejected signals are kept up to a bound, and counted', () => {
  const m = machine('welslagen', '2027-03-01', at('2027-03-01', 0));
  m.fireDue(at('2027-03-01', 0));
  for (let i = 0; i < REJECTED_KEPT + 5; i++) m.report('contract-decided', { offered: true }, at('2027-03-02'));
  expect(m.rejected).toHaveLength(REJECTED_KEPT);
  expect(m.rejectedTotal).toBe(REJECTED_KEPT + 5);
  expect(m.timeline).toHaveLength(2);
});

test('references that look like a BSN or a name are refused', () => {
  expect(looksLikeBsn('p-123456782')).toBe(true);
  expect(looksLikeBsn('p-123456789')).toBe(false);
  expect(looksLikeBsn('p-1234567820')).toBe(false);
  const check = (participantRef: string) => checkTrajectoryInput({ participantRef, programme: getBuiltInProgramme('welslagen'), startDate: '2027-03-01' });
  expect(check('p-7f3a9c').ok).toBe(true);
  expect(check('111222333').ok).toBe(false);
  expect(check('jan.jansen@example.nl').ok).toBe(false);
  const invalidDate = checkTrajectoryInput({ participantRef: 'p-ok', programme: getBuiltInProgramme('welslagen'), startDate: '2027-02-29' });
  expect(invalidDate).toMatchObject({ ok: false, message: expect.stringContaining('startDate') });
});
