import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  classifyEvent,
  formatIsoDate,
  loadProgramme,
  nextCohortStart,
  parseIsoDate,
  phaseDeadline,
  programmeFingerprint,
  programmeJsonSchema,
  resolveTarget,
  rolesToNotify,
  safeLoadProgramme,
} from '../../domain';

const fixture = join(__dirname, 'fixtures', 'custom-programme.json');

test('an organisation’s own programme loads from a JSON file', () => {
  const programme = loadProgramme(readFileSync(fixture, 'utf8'));
  expect(programme.id).toBe('werkfit-groningen');
  expect(programme.version).toBe(2);
  expect(programme.partners.map((p) => p.role)).toContain('buddy');
  expect(programme.attention.quietPeriod).toEqual({ weeks: 4 });
  expect(programme.intake).toMatchObject({ mode: 'cohorts', perRegion: false });
});

test('the generic rules walk it like a built-in programme', () => {
  const programme = loadProgramme(JSON.parse(readFileSync(fixture, 'utf8')));
  const training = programme.phases[0];
  expect(formatIsoDate(phaseDeadline(training, parseIsoDate('2027-01-15'), 2)!)).toBe('2027-05-07');
  expect(classifyEvent(programme, 'werkfit', { type: 'extension-decided' }, 1).kind).toBe('extension-decision');
  expect(classifyEvent(programme, 'werkfit', { type: 'extension-decided' }, 2).kind).toBe('out-of-phase');
  expect(rolesToNotify(programme, 'phase-entered', 'proefplaatsing')).toEqual(['buddy']);
  const round = nextCohortStart(programme, parseIsoDate('2027-02-01'))!;
  expect([round.cohort.label, formatIsoDate(round.startsOn)]).toEqual(['Junironde', '2027-06-15']);
  const end = programme.phases[1].onDeadline as { advanceTo: { outcomeFrom: string[] } };
  const facts = { startedOn: parseIsoDate('2027-01-15'), firstPlacement: { on: parseIsoDate('2027-05-01'), withLks: false }, extensionsGranted: 1 };
  expect(resolveTarget(programme, end.advanceTo, facts)).toMatchObject({ outcome: { id: 'aan-het-werk' } });
});

test('editing the file gives a new fingerprint; a broken edit names its path', () => {
  const json = JSON.parse(readFileSync(fixture, 'utf8'));
  const before = programmeFingerprint(loadProgramme(json));
  json.phases[0].duration = { weeks: 10 };
  expect(programmeFingerprint(loadProgramme(json))).not.toBe(before);
  json.phases[1].transitions[0].to = { phase: 'training' };
  const result = safeLoadProgramme(json);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.programmeId).toBe('werkfit-groningen');
    expect(result.error.issues).toEqual([
      { path: 'phases[1].transitions[0].to.phase', message: 'unknown phase "training"; declared phases: "werkfit", "proefplaatsing"' },
    ]);
  }
});

test('a JSON Schema of the file format is available for editors', () => {
  const schema = programmeJsonSchema();
  expect(schema.type).toBe('object');
  expect(Object.keys(schema.properties as object)).toEqual(expect.arrayContaining(['id', 'phases', 'outcomes', 'notifications']));
});
