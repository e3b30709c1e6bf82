import {
  builtInProgrammeDefinitions,
  builtInProgrammeIds,
  builtInProgrammes,
  canonicalJson,
  findBuiltInProgramme,
  getBuiltInProgramme,
  getPhase,
  loadProgramme,
  maximumPhaseDuration,
  operatorOf,
  programmeFingerprint,
  rolesToNotify,
} from '../../domain';

test('the five programmes of DOMAIN.md are built in', () => {
  expect(builtInProgrammeIds).toEqual([
    'kwalificatiebanen',
    'balanz-at-work-kerkrade',
    'welslagen',
    'logistiek-west-brabant',
    'iss-inclusief',
  ]);
  expect(findBuiltInProgramme('nope')).toBeUndefined();
  expect(() => getBuiltInProgramme('nope')).toThrow('built-in programmes: kwalificatiebanen');
});

test.each(builtInProgrammeDefinitions.map((d) => [d.id, d] as const))(
  '%s validates, and validates again after a round-trip through a JSON file',
  (_id, definition) => {
    const loaded = loadProgramme(definition);
    expect(loadProgramme(JSON.parse(JSON.stringify(definition)))).toEqual(loaded);
    expect(loadProgramme(JSON.stringify(definition))).toEqual(loaded);
  },
);

test('built-in programmes are frozen so a running trajectory cannot change them', () => {
  const programme = getBuiltInProgramme('kwalificatiebanen');
  expect(Object.isFrozen(programme)).toBe(true);
  expect(Object.isFrozen(programme.phases[0].transitions)).toBe(true);
});

test('the fingerprint identifies the content of a definition', () => {
  const programme = getBuiltInProgramme('welslagen');
  const copy = JSON.parse(JSON.stringify(programme));
  expect(programmeFingerprint(copy)).toBe(programmeFingerprint(programme));
  expect(programmeFingerprint(programme)).toMatch(/^[0-9a-f]{16}$/);
  copy.phases[0].duration = { weeks: 21 };
  expect(programmeFingerprint(copy)).not.toBe(programmeFingerprint(programme));
  expect(canonicalJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe('{"a":[2,{"d":3}],"b":1}');
  expect(new Set(builtInProgrammes.map(programmeFingerprint)).size).toBe(5);
});

describe('Kwalificatiebanen', () => {
  const p = getBuiltInProgramme('kwalificatiebanen');
  const preTrack = getPhase(p, 'voortraject');

  test('Work2 runs it for Rotterdam; 3-month pre-track, extended once by 3 months with the case manager, 6 at most', () => {
    expect(operatorOf(p).organisation).toBe('Work2');
    expect(p.phases[0].id).toBe('voortraject');
    expect(preTrack.duration).toEqual({ months: 3 });
    expect(preTrack.extension).toMatchObject({ duration: { months: 3 }, maxCount: 1, approverRole: 'case-manager' });
    expect(preTrack.extension?.grounds).toHaveLength(3);
    expect(maximumPhaseDuration(preTrack)).toEqual({ months: 6 });
    expect(p.expectations?.extensionRate).toBe(0.4);
  });

  test('placement with or without LKS; LKS ends on its own date, then 3 months of aftercare; dropout means re-placement', () => {
    const placements = preTrack.transitions.filter((t) => t.on === 'placement');
    expect(placements.map((t) => t.when)).toEqual([{ withLks: true }, { withLks: false }]);
    const lks = getPhase(p, 'plaatsing-met-lks');
    expect(lks.endsOnPayloadDate).toBe('lksEndDate');
    expect(lks.onDeadline).toEqual({ advanceTo: { phase: 'nazorg' } });
    expect(lks.transitions).toContainEqual(expect.objectContaining({ on: 'dropout', to: { phase: 'herplaatsing' } }));
    expect(getPhase(p, 'nazorg').duration).toEqual({ months: 3 });
  });

  test('the four results of the source are outcomes', () => {
    expect(p.outcomes.slice(0, 4).map((o) => [o.label, o.category])).toEqual([
      ['Uitstroom naar regulier werk binnen 3 maanden met of zonder LKS', 'work-within-3-months'],
      ['Uitstroom naar regulier werk binnen 6 maanden met of zonder LKS', 'work-within-6-months'],
      ['Uitstroom naar regulier werk binnen 6 maanden', 'work-within-6-months'],
      ['Uitstroom zonder plaatsing na 6 maanden met een onderbouwd advies voor een vervolgtraject', 'no-placement'],
    ]);
  });

  test('the case manager hears of extension decisions, placements and dropouts', () => {
    for (const event of ['extension-decided', 'placement', 'dropout'] as const) {
      expect(rolesToNotify(p, event)).toContain('case-manager');
    }
  });
});

describe('Balanz@Work Kerkrade', () => {
  const p = getBuiltInProgramme('balanz-at-work-kerkrade');

  test('10 places a year with a waiting list; Relim, then Balanz', () => {
    expect(p.capacity).toEqual({ placesPerYear: 10, waitingList: true });
    expect(p.partners.map((x) => x.organisation)).toEqual(
      expect.arrayContaining(['Gemeente Kerkrade', 'Relim', 'Balanz Facilitair']),
    );
    expect(p.phases.map((x) => x.id)).toEqual(['voorschakeltraject', 'kennismaking', 'opleiding', 'werken-met-diploma']);
  });

  test('3 months of introduction, then training to the Basis Opleiding Schoonmaak diploma', () => {
    expect(getPhase(p, 'kennismaking').duration).toEqual({ months: 3 });
    expect(getPhase(p, 'kennismaking').onDeadline).toEqual({ advanceTo: { phase: 'opleiding' } });
    expect(getPhase(p, 'opleiding').description).toContain('Basis Opleiding Schoonmaak');
    expect(getPhase(p, 'opleiding').transitions[0]).toMatchObject({ on: 'diploma-obtained' });
  });

  test('permanent contract decision at the latest 23 months after starting at Balanz, escalated when missed', () => {
    expect(p.deadlines).toEqual([
      expect.objectContaining({
        startsWhenEntering: 'kennismaking',
        after: { months: 23 },
        satisfiedBy: ['contract-decided'],
        escalateTo: ['employer', 'municipality'],
      }),
    ]);
    expect(p.outcomes.find((o) => o.category === 'permanent-contract')?.id).toBe('vast-contract');
  });
});

describe('WelSlagen', () => {
  const p = getBuiltInProgramme('welslagen');

  test('20 weeks: 3 days internship, 1 day ROC, keeping the benefit, with a job coach; then BBL', () => {
    const track = getPhase(p, 'toeleidingstraject');
    expect(track.duration).toEqual({ weeks: 20 });
    expect(track.keepsBenefit).toBe(true);
    expect(track.weeklySchedule?.map((w) => [w.daysPerWeek, w.at])).toEqual([[3, 'employer'], [1, 'school']]);
    expect(track.responsibleRole).toBe('job-coach');
    expect(track.transitions[0]).toEqual(expect.objectContaining({ on: 'education-started', to: { outcome: 'doorstroom-bbl' } }));
  });

  test('cohorts each autumn and spring in West-Brabant, Zeeland and Drechtsteden; diversity variant in West-Brabant', () => {
    expect(p.regions.map((r) => r.name)).toEqual(['West-Brabant', 'Zeeland', 'Drechtsteden']);
    expect(p.intake).toMatchObject({ mode: 'cohorts', perRegion: true });
    expect(p.variants[0]).toMatchObject({ id: 'diversiteitsvariant', regions: ['west-brabant'] });
    expect(p.expectations?.cohortSize).toBe(20);
  });
});

describe('Logistics pilot West-Brabant', () => {
  const p = getBuiltInProgramme('logistiek-west-brabant');

  test('the six municipalities of Werkplein Hart van West-Brabant', () => {
    expect(p.regions[0].municipalities).toEqual(['Etten-Leur', 'Halderberge', 'Moerdijk', 'Rucphen', 'Roosendaal', 'Zundert']);
  });

  test('WVS learning-work track, then a one-year contract across one or more employers', () => {
    expect(getPhase(p, 'leerwerktraject').responsibleRole).toBe('training-company');
    const contract = getPhase(p, 'jaarcontract');
    expect(contract.duration).toEqual({ months: 12 });
    expect(contract.accepts).toEqual(expect.arrayContaining(['assignment-started', 'assignment-ended']));
    expect(p.outcomes[0]).toMatchObject({ id: 'doorgestroomd-naar-werk', category: 'work' });
  });
});

describe('ISS inclusive placements', () => {
  const p = getBuiltInProgramme('iss-inclusief');

  test('five target groups, regions Zwolle and Drechtsteden', () => {
    expect(p.targetGroups).toHaveLength(5);
    expect(p.targetGroups.map((t) => t.id)).toContain('statushouders');
    expect(p.regions.map((r) => r.id)).toEqual(['regio-zwolle', 'drechtsteden']);
  });

  test('heavier or specialist support escalates to Jobstap and returns to the work floor', () => {
    const floor = getPhase(p, 'begeleiding-werkvloer');
    expect(floor.transitions[0]).toMatchObject({ on: 'support-requested', to: { phase: 'ondersteuning-jobstap' } });
    expect(getPhase(p, 'ondersteuning-jobstap').responsibleRole).toBe('specialist');
    expect(p.partners.find((x) => x.role === 'specialist')?.organisation).toBe('Jobstap');
    expect(rolesToNotify(p, 'support-requested')).toContain('specialist');
  });
});
