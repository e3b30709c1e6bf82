import { loadProgramme, ProgrammeDefinitionError, safeLoadProgramme } from '../../domain';

/** A small valid definition; each test breaks one thing. */
function minimal(): Record<string, any> {
  return {
    id: 'mini',
    version: 1,
    name: 'Mini',
    operator: 'training-company',
    partners: [
      { role: 'training-company', organisation: 'Leerwerkbedrijf' },
      { role: 'case-manager', organisation: 'Gemeente (klantmanager)' },
    ],
    phases: [
      {
        id: 'pre-track',
        name: 'Voortraject',
        duration: { months: 3 },
        extension: { duration: { months: 3 }, maxCount: 1, approverRole: 'case-manager' },
        reminders: [{ before: { weeks: 2 }, notify: ['case-manager'] }],
        onDeadline: { escalateTo: ['training-company'] },
        transitions: [{ on: 'placement', to: { phase: 'aftercare' } }],
      },
      {
        id: 'aftercare',
        name: 'Nazorg',
        duration: { months: 3 },
        onDeadline: { advanceTo: { outcome: 'work' } },
      },
    ],
    outcomes: [{ id: 'work', label: 'Werk', category: 'work' }],
  };
}

function issues(definition: unknown): { path: string; message: string }[] {
  const result = safeLoadProgramme(definition);
  if (result.ok) throw new Error('expected the definition to be rejected');
  return [...result.error.issues];
}

function expectIssue(definition: unknown, path: string, message: RegExp): void {
  expect(issues(definition)).toContainEqual({ path, message: expect.stringMatching(message) });
  expect(() => loadProgramme(definition)).toThrow(path);
}

test('the minimal definition is valid and gets defaults', () => {
  const programme = loadProgramme(minimal());
  expect(programme.intake).toEqual({ mode: 'continuous' });
  expect(programme.attention.quietPeriod).toEqual({ weeks: 6 });
  expect(programme.phases[1].transitions).toEqual([]);
});

describe('references must point at something declared', () => {
  test('a transition to an unknown phase', () => {
    const def = minimal();
    def.phases[0].transitions[0].to = { phase: 'nazorg' };
    expectIssue(def, 'phases[0].transitions[0].to.phase', /unknown phase "nazorg"; declared phases: "pre-track", "aftercare"/);
  });

  test('an unknown outcome', () => {
    const def = minimal();
    def.phases[1].onDeadline = { advanceTo: { outcome: 'job' } };
    expectIssue(def, 'phases[1].onDeadline.advanceTo.outcome', /unknown outcome "job"/);
  });

  test('a reminder to a role no partner has', () => {
    const def = minimal();
    def.phases[0].reminders[0].notify = ['case-manager', 'employer'];
    expectIssue(def, 'phases[0].reminders[0].notify[1]', /unknown partner role "employer"; declared roles: "training-company", "case-manager"/);
  });

  test('an extension approver that is not a partner', () => {
    const def = minimal();
    def.phases[0].extension.approverRole = 'klantmanager';
    expectIssue(def, 'phases[0].extension.approverRole', /unknown partner role "klantmanager"/);
  });

  test('an operator that is not a partner', () => {
    const def = minimal();
    def.operator = 'employer';
    expectIssue(def, 'operator', /unknown partner role "employer"/);
  });

  test('a notification to an unknown role and with a phase filter on another event', () => {
    const def = minimal();
    def.notifications = [{ event: 'placement', phase: 'aftercare', notify: ['school'] }];
    const found = issues(def);
    expect(found).toContainEqual({ path: 'notifications[0].notify[0]', message: expect.stringMatching(/"school"/) });
    expect(found).toContainEqual({ path: 'notifications[0].phase', message: expect.stringMatching(/phase-entered/) });
  });

  test('a programme deadline anchored in an unknown phase', () => {
    const def = minimal();
    def.deadlines = [
      {
        id: 'contract',
        label: 'Contract',
        startsWhenEntering: 'balanz',
        after: { months: 23 },
        satisfiedBy: ['contract-decided'],
        escalateTo: ['training-company'],
      },
    ];
    expectIssue(def, 'deadlines[0].startsWhenEntering', /unknown phase "balanz"/);
  });
});

describe('phases must fit together', () => {
  test('duplicate ids', () => {
    const def = minimal();
    def.phases[1].id = 'pre-track';
    expectIssue(def, 'phases[1].id', /duplicate phase id "pre-track"/);
  });

  test('an extension without a duration to extend', () => {
    const def = minimal();
    delete def.phases[0].duration;
    delete def.phases[0].reminders;
    delete def.phases[0].onDeadline;
    expectIssue(def, 'phases[0].extension', /needs the phase to have a duration/);
  });

  test('a deadline without onDeadline', () => {
    const def = minimal();
    delete def.phases[1].onDeadline;
    def.phases[1].transitions = [{ on: 'dropout', to: { outcome: 'work' } }];
    expectIssue(def, 'phases[1].onDeadline', /must say what happens when it passes/);
  });

  test('a reminder longer than the phase', () => {
    const def = minimal();
    def.phases[0].reminders[0].before = { months: 3 };
    expectIssue(def, 'phases[0].reminders[0].before', /before the phase starts/);
  });

  test('a phase nobody can enter', () => {
    const def = minimal();
    def.phases[0].transitions = [{ on: 'placement', to: { outcome: 'work' } }];
    expectIssue(def, 'phases[1].id', /"aftercare" can never be entered/);
  });

  test('a phase with no way out', () => {
    const def = minimal();
    def.phases[1] = { id: 'aftercare', name: 'Nazorg' };
    expectIssue(def, 'phases[1].transitions', /no way out/);
  });

  test('a transition hidden behind an earlier one for the same event', () => {
    const def = minimal();
    def.phases[0].transitions.push({ on: 'placement', when: { withLks: true }, to: { outcome: 'work' } });
    expectIssue(def, 'phases[0].transitions[1]', /never used/);
  });

  test('the first phase cannot end on a payload date', () => {
    const def = minimal();
    delete def.phases[0].duration;
    delete def.phases[0].extension;
    def.phases[0].endsOnPayloadDate = 'lksEndDate';
    expectIssue(def, 'phases[0].endsOnPayloadDate', /first phase/);
  });

  test('extension decisions belong to the extension option', () => {
    const def = minimal();
    def.phases[0].accepts = ['extension-decided'];
    expectIssue(def, 'phases[0].extension', /handled by the extension option/);
  });

  test('outcomeFrom needs a fallback without criteria at the end', () => {
    const def = minimal();
    def.outcomes.push({ id: 'fast', label: 'Snel', category: 'work-within-3-months', criteria: { placedWithin: { months: 3 } } });
    def.phases[1].onDeadline = { advanceTo: { outcomeFrom: ['work', 'fast'] } };
    expectIssue(def, 'phases[1].onDeadline.advanceTo.outcomeFrom[1]', /must have no criteria/);
  });

  test('an expected extension rate without any extension option', () => {
    const def = minimal();
    delete def.phases[0].extension;
    def.expectations = { extensionRate: 0.4 };
    expectIssue(def, 'expectations.extensionRate', /extension option/);
  });
});

describe('field shapes', () => {
  test('negative, fractional and empty durations', () => {
    const def = minimal();
    def.phases[0].duration = { months: -1 };
    def.phases[1].duration = {};
    def.phases[0].reminders[0].before = { weeks: 1.5 };
    const paths = issues(def).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['phases[0].duration.months', 'phases[1].duration', 'phases[0].reminders[0].before.weeks']),
    );
  });

  test('ids must be slugs, events must be known, unknown keys are refused', () => {
    const def = minimal();
    def.id = 'Mini Programme';
    def.phases[0].transitions[0].on = 'plaatsing';
    def.phases[0].durationMonths = 3;
    const paths = issues(def).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'phases[0].transitions[0].on', 'phases[0]']));
    expect(issues(def).find((i) => i.path === 'id')?.message).toMatch(/slug/);
  });

  test('rates are fractions', () => {
    const def = minimal();
    def.expectations = { extensionRate: 40 };
    expect(issues(def).map((i) => i.path)).toContain('expectations.extensionRate');
  });

  test('the error names the programme and lists every path', () => {
    const def = minimal();
    def.operator = 'employer';
    def.phases[0].transitions[0].to = { phase: 'nazorg' };
    try {
      loadProgramme(def);
      throw new Error('not rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(ProgrammeDefinitionError);
      const message = (error as Error).message;
      expect(message).toContain('invalid programme definition "mini"');
      expect(message).toContain('  - operator: unknown partner role "employer"');
      expect(message).toContain('  - phases[0].transitions[0].to.phase: unknown phase "nazorg"');
    }
  });

  test('not an object at all', () => {
    expect(issues(null)[0].path).toBe('(root)');
    expect(issues('{ not json')[0]).toEqual({ path: '(root)', message: expect.stringMatching(/not valid JSON/) });
  });
});
