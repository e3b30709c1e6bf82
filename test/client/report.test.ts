/** Report figures from trajectory timelines (pure: no server). */
import { trajectoryFacts } from '../../client/report/facts';
import { programmeReport } from '../../client/report/figures';
import { funnelSvg } from '../../client/report/svg';
import { getBuiltInProgramme } from '../../domain';
import type { TimelineEntry } from '../../workflows/state';

let seq = 0;
function entry(kind: TimelineEntry['kind'], on: string, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  seq += 1;
  return { seq, kind, at: `${on}T10:00:00.000Z`, on, text: kind, ...extra };
}
const started = (on: string, phaseId: string) => [
  entry('trajectory-started', on, { fields: { startDate: on } }),
  entry('phase-entered', on, { fields: { phaseId, enteredOn: on } }),
];

const kwalificatiebanen = getBuiltInProgramme('kwalificatiebanen');
const balanz = getBuiltInProgramme('balanz-at-work-kerkrade');

describe('report figures', () => {
  it('counts placements within 3 and 6 calendar months, with and without LKS, and aftercare results', () => {
    const facts = [
      // placed with LKS after 4 months, through aftercare into work
      trajectoryFacts('traject-kwalificatiebanen-a', kwalificatiebanen, [
        ...started('2026-01-31', 'voortraject'),
        entry('reported', '2026-03-01', { event: 'extension-decided', fields: { granted: true } }),
        entry('reported', '2026-05-31', { event: 'placement', fields: { employer: 'X', withLks: true, lksEndDate: '2026-11-30' } }),
        entry('phase-entered', '2026-05-31', { fields: { phaseId: 'plaatsing-met-lks' } }),
        entry('phase-entered', '2026-12-01', { fields: { phaseId: 'nazorg' } }),
        entry('trajectory-ended', '2027-03-01', { phase: 'nazorg', fields: { outcome: 'werk-binnen-6-maanden-met-lks', category: 'work-within-6-months' } }),
      ]),
      // placed without LKS on the last day of the 3 months (31 January + 3 months = 30 April)
      trajectoryFacts('traject-kwalificatiebanen-b', kwalificatiebanen, [
        ...started('2026-01-31', 'voortraject'),
        entry('reported', '2026-04-30', { event: 'placement', fields: { employer: 'X', withLks: false } }),
        entry('trajectory-ended', '2026-04-30', { fields: { outcome: 'werk-binnen-3-maanden', category: 'work-within-3-months' } }),
      ]),
      // dropped out during aftercare, re-placed
      trajectoryFacts('traject-kwalificatiebanen-c', kwalificatiebanen, [
        ...started('2026-02-01', 'voortraject'),
        entry('reported', '2026-03-01', { event: 'placement', fields: { withLks: true } }),
        entry('phase-entered', '2026-09-01', { fields: { phaseId: 'nazorg' } }),
        entry('reported', '2026-10-01', { event: 'dropout', fields: { reason: 'x' } }),
        entry('reported', '2026-10-10', { event: 'placement', fields: { withLks: false } }),
        entry('trajectory-ended', '2026-10-10', { fields: { outcome: 'werk-binnen-3-maanden', category: 'work-within-3-months' } }),
      ]),
      trajectoryFacts('traject-kwalificatiebanen-d', kwalificatiebanen, [], '2027-05-01'),
    ];
    const report = programmeReport(kwalificatiebanen, facts, {}, '2027-04-01');
    const value = (id: string) => report.figures.find((f) => f.id === id);
    expect(value('trajectories')?.value).toBe(4);
    expect(value('started')).toMatchObject({ value: 3, of: 4 });
    expect(value('work-within-3-months-with-lks')).toMatchObject({ value: 1, of: 3 });
    expect(value('work-within-3-months-without-lks')).toMatchObject({ value: 1, of: 3 });
    expect(value('work-within-6-months-with-lks')).toMatchObject({ value: 2, of: 3 });
    expect(value('extension-rate')).toMatchObject({ value: 1, of: 3, expected: 0.4 });
    expect(value('dropouts')).toMatchObject({ value: 1 });
    expect(value('re-placements')?.value).toBe(1);
    expect(value('in-work-after-aftercare')).toMatchObject({ value: 2, of: 2 });
    expect(report.funnel.map((s) => s.count)).toEqual([4, 3, 3, 3]);

    const period = programmeReport(kwalificatiebanen, facts, { from: '2026-02-01', to: '2026-12-31' }, '2027-04-01');
    expect(period.figures.find((f) => f.id === 'trajectories')?.value).toBe(1);
  });

  it('judges contract decisions against the 23-month deadline', () => {
    const facts = [
      trajectoryFacts('traject-balanz-at-work-kerkrade-a', balanz, [
        ...started('2025-01-01', 'voorschakeltraject'),
        entry('phase-entered', '2025-04-01', { fields: { phaseId: 'kennismaking', enteredOn: '2025-04-01' } }),
        entry('reported', '2027-03-01', { event: 'contract-decided', fields: { offered: true } }),
        entry('trajectory-ended', '2027-03-01', { fields: { outcome: 'vast-contract', category: 'permanent-contract' } }),
      ]),
      trajectoryFacts('traject-balanz-at-work-kerkrade-b', balanz, [
        ...started('2025-01-01', 'voorschakeltraject'),
        entry('phase-entered', '2025-04-01', { fields: { phaseId: 'kennismaking', enteredOn: '2025-04-01' } }),
        entry('reported', '2027-03-02', { event: 'contract-decided', fields: { offered: true } }),
        entry('trajectory-ended', '2027-03-02', { fields: { outcome: 'vast-contract', category: 'permanent-contract' } }),
      ]),
    ];
    const report = programmeReport(balanz, facts, {}, '2027-04-01');
    const contract = report.figures.find((f) => f.id === 'contract-within-deadline-contractbesluit-23-maanden');
    expect(contract).toMatchObject({ value: 1, of: 2, note: expect.stringContaining('late 1') });
    expect(report.figures.find((f) => f.id === 'places-used')).toMatchObject({ value: 0, of: 10 });
    expect(report.figures.find((f) => f.id === 'places-waiting')).toMatchObject({ value: null });
    // With the programme-capacity workflow's answer, places and the waiting list come from it.
    const withCapacity = programmeReport(balanz, facts, {}, '2027-04-01', { placesUsed: 10, waiting: 3 });
    expect(withCapacity.figures.find((f) => f.id === 'places-used')).toMatchObject({ value: 10, of: 10 });
    expect(withCapacity.figures.find((f) => f.id === 'places-waiting')).toMatchObject({ value: 3 });

    const svg = funnelSvg([report], 'Funnel <test> & co');
    expect(svg).toContain('Funnel &lt;test&gt; &amp; co');
    expect(svg).toContain('Balanz@Work Kerkrade (v1)');
  });
});
