import {
  classifyEvent,
  deadlineEscalationTargets,
  deadlinePassesAt,
  deadlinesStartingIn,
  formatDutchDate,
  formatIsoDate,
  getBuiltInProgramme,
  getPhase,
  nextCohortStart,
  parseIsoDate,
  phaseDeadline,
  programmeDeadlineDate,
  reminderInstant,
  reminderSchedule,
  resolveTarget,
  rolesToNotify,
  type Target,
  type TrajectoryFacts,
} from '../../domain';

const d = parseIsoDate;
const iso = formatIsoDate;
const kwb = getBuiltInProgramme('kwalificatiebanen');

describe('phase deadlines are calendar arithmetic', () => {
  const preTrack = getPhase(kwb, 'voortraject');

  test('a pre-track from 31 January ends on 30 April, and on 31 July once extended', () => {
    expect(iso(phaseDeadline(preTrack, d('2027-01-31'))!)).toBe('2027-04-30');
    expect(formatDutchDate(phaseDeadline(preTrack, d('2027-01-31'))!)).toBe('30 april 2027');
    expect(iso(phaseDeadline(preTrack, d('2027-01-31'), 1)!)).toBe('2027-07-31');
    expect(iso(phaseDeadline(preTrack, d('2027-11-30'), 0)!)).toBe('2028-02-29');
  });

  test('reminders go out ahead of the deadline at 09:00 Amsterdam time; the deadline passes at the end of its day', () => {
    const deadline = phaseDeadline(preTrack, d('2027-01-31'))!;
    const [reminder] = reminderSchedule(preTrack.reminders, deadline);
    expect(iso(reminder.date)).toBe('2027-04-16');
    expect(reminder.notify).toEqual(['case-manager', 'training-company']);
    expect(new Date(reminderInstant(reminder.date)).toISOString()).toBe('2027-04-16T07:00:00.000Z');
    expect(new Date(deadlinePassesAt(deadline)).toISOString()).toBe('2027-04-30T22:00:00.000Z');
    expect(new Date(deadlinePassesAt(d('2027-01-31'))).toISOString()).toBe('2027-01-31T23:00:00.000Z');
  });

  test('the LKS phase ends on the date the placement reported', () => {
    const lks = getPhase(kwb, 'plaatsing-met-lks');
    expect(iso(phaseDeadline(lks, d('2027-05-01'), 0, { withLks: true, lksEndDate: '2028-01-15' })!)).toBe('2028-01-15');
    expect(iso(phaseDeadline(lks, d('2027-05-01'), 0, { lksEndDate: { year: 2028, month: 2, day: 29 } })!)).toBe('2028-02-29');
    expect(phaseDeadline(lks, d('2027-05-01'), 0, { withLks: true })).toBeUndefined();
    expect(phaseDeadline(getPhase(getBuiltInProgramme('iss-inclusief'), 'begeleiding-werkvloer'), d('2027-05-01'))).toBeUndefined();
  });

  test('the 23-month Balanz deadline counts from the start at Balanz', () => {
    const balanz = getBuiltInProgramme('balanz-at-work-kerkrade');
    const [deadline] = deadlinesStartingIn(balanz, 'kennismaking');
    const date = programmeDeadlineDate(deadline, d('2027-06-01'));
    expect(iso(date)).toBe('2029-05-01');
    expect(reminderSchedule(deadline.reminders, date).map((r) => iso(r.date))).toEqual(['2029-03-01', '2029-04-17']);
    expect(deadlinesStartingIn(balanz, 'opleiding')).toEqual([]);
  });

  test('WelSlagen: 20 weeks from the autumn round', () => {
    const welslagen = getBuiltInProgramme('welslagen');
    const round = nextCohortStart(welslagen, d('2027-06-15'))!;
    expect([round.cohort.id, iso(round.startsOn)]).toEqual(['najaar', '2027-09-01']);
    expect(iso(phaseDeadline(welslagen.phases[0], round.startsOn)!)).toBe('2028-01-19');
    expect(iso(nextCohortStart(welslagen, d('2027-09-02'))!.startsOn)).toBe('2028-03-01');
    expect(iso(nextCohortStart(welslagen, d('2027-03-01'))!.startsOn)).toBe('2027-03-01');
    expect(nextCohortStart(kwb, d('2027-03-01'))).toBeUndefined();
  });
});

describe('what a reported event does in a phase', () => {
  test('placement with LKS moves to the LKS phase; without LKS it ends with a result', () => {
    const withLks = classifyEvent(kwb, 'voortraject', { type: 'placement', payload: { withLks: true, lksEndDate: '2028-01-15' } });
    expect(withLks).toMatchObject({ kind: 'transition', transition: { to: { phase: 'plaatsing-met-lks' } } });
    const without = classifyEvent(kwb, 'voortraject', { type: 'placement', payload: { withLks: false } });
    expect(without).toMatchObject({ kind: 'transition', transition: { to: { outcomeFrom: expect.any(Array) } } });
  });

  test('extension decisions go to the extension option, at most once', () => {
    expect(classifyEvent(kwb, 'voortraject', { type: 'extension-decided', payload: { granted: true } })).toMatchObject({
      kind: 'extension-decision',
      extension: { approverRole: 'case-manager' },
    });
    expect(classifyEvent(kwb, 'voortraject', { type: 'extension-decided' }, 1)).toMatchObject({
      kind: 'out-of-phase',
      reason: expect.stringContaining('maximum of 1'),
    });
    expect(classifyEvent(kwb, 'nazorg', { type: 'extension-decided' }).kind).toBe('out-of-phase');
  });

  test('dropout during LKS means re-placement; in the pre-track it ends the trajectory', () => {
    expect(classifyEvent(kwb, 'plaatsing-met-lks', { type: 'dropout' })).toMatchObject({
      transition: { to: { phase: 'herplaatsing' } },
    });
    expect(classifyEvent(kwb, 'voortraject', { type: 'dropout' })).toMatchObject({ transition: { to: { outcome: 'uitval' } } });
    expect(classifyEvent(kwb, 'nazorg', { type: 'withdrawal' })).toMatchObject({ transition: { to: { outcome: 'teruggetrokken' } } });
  });

  test('informational events are recorded; anything else is out of phase, with a reason', () => {
    expect(classifyEvent(kwb, 'voortraject', { type: 'assessment-completed' })).toEqual({ kind: 'recorded' });
    expect(classifyEvent(kwb, 'nazorg', { type: 'case-manager-changed' })).toEqual({ kind: 'recorded' });
    expect(classifyEvent(kwb, 'nazorg', { type: 'diploma-obtained' })).toEqual({
      kind: 'out-of-phase',
      reason: '"diploma-obtained" is not expected in phase "Nazorg"',
    });
    expect(classifyEvent(kwb, 'voortraject', { type: 'placement', payload: {} })).toMatchObject({
      kind: 'out-of-phase',
      reason: expect.stringContaining('matches no transition'),
    });
  });

  test('ISS: a support request in the work-floor phase goes to Jobstap', () => {
    const iss = getBuiltInProgramme('iss-inclusief');
    expect(classifyEvent(iss, 'begeleiding-werkvloer', { type: 'support-requested', payload: { level: 'specialist' } })).toMatchObject({
      transition: { to: { phase: 'ondersteuning-jobstap' } },
    });
    expect(classifyEvent(iss, 'ondersteuning-jobstap', { type: 'support-concluded' })).toMatchObject({
      transition: { to: { phase: 'begeleiding-werkvloer' } },
    });
  });
});

describe('escalation and notification targets', () => {
  const preTrack = getPhase(kwb, 'voortraject');

  test('an undecided extension escalates to the case manager; a final deadline to the training company', () => {
    expect(deadlineEscalationTargets(preTrack, 0, true)).toEqual(['case-manager', 'training-company']);
    expect(deadlineEscalationTargets(preTrack, 0, false)).toEqual(['training-company', 'case-manager']);
    expect(deadlineEscalationTargets(preTrack, 1, true)).toEqual(['training-company', 'case-manager']);
    expect(deadlineEscalationTargets(getPhase(kwb, 'nazorg'), 0, false)).toEqual([]);
  });

  test('phase-entered rules can be limited to one phase', () => {
    const balanz = getBuiltInProgramme('balanz-at-work-kerkrade');
    expect(rolesToNotify(balanz, 'phase-entered', 'kennismaking')).toEqual(['employer', 'case-manager']);
    expect(rolesToNotify(balanz, 'phase-entered', 'opleiding')).toEqual([]);
    expect(rolesToNotify(balanz, 'trajectory-ended')).toContain('employer');
  });
});

describe("Kwalificatiebanen's results", () => {
  const afterAftercare = (getPhase(kwb, 'nazorg').onDeadline as { advanceTo: Target }).advanceTo;
  const facts = (on: string, withLks: boolean, extensionsGranted = 0): TrajectoryFacts => ({
    startedOn: d('2027-01-31'),
    firstPlacement: { on: d(on), withLks },
    extensionsGranted,
  });
  const outcomeOf = (f: TrajectoryFacts): string => {
    const resolved = resolveTarget(kwb, afterAftercare, f);
    if (!('outcome' in resolved)) throw new Error('expected an outcome');
    return resolved.outcome.id;
  };

  test('1. regular work within 3 months, with or without LKS (30 April still counts)', () => {
    expect(outcomeOf(facts('2027-03-15', true))).toBe('werk-binnen-3-maanden');
    expect(outcomeOf(facts('2027-04-30', false))).toBe('werk-binnen-3-maanden');
  });

  test('2. and 3. regular work within 6 months after the extension, with and without LKS', () => {
    expect(outcomeOf(facts('2027-05-01', true, 1))).toBe('werk-binnen-6-maanden-met-lks');
    expect(outcomeOf(facts('2027-07-31', false, 1))).toBe('werk-binnen-6-maanden');
  });

  test('4. no placement after 6 months: the substantiated advice', () => {
    const advice = classifyEvent(kwb, 'voortraject', { type: 'advice-delivered' }, 1);
    if (advice.kind !== 'transition') throw new Error('expected a transition');
    const resolved = resolveTarget(kwb, advice.transition.to, { startedOn: d('2027-01-31'), extensionsGranted: 1 });
    expect(resolved).toMatchObject({ outcome: { id: 'geen-plaatsing-met-advies', category: 'no-placement' } });
  });

  test('a placement later than 6 months falls back to the last listed outcome', () => {
    expect(outcomeOf(facts('2027-08-01', true, 1))).toBe('werk-na-6-maanden');
  });

  test('a phase target resolves to the phase', () => {
    expect(resolveTarget(kwb, { phase: 'nazorg' }, facts('2027-03-15', true))).toMatchObject({ phase: { name: 'Nazorg' } });
  });
});
