/** The intake's fast start options are exactly what workflows/start-options.ts makes, for every programme. */
import { rowInputSchema, rowStartOptions } from '../../client/intake/options';
import { builtInProgrammes } from '../../domain';
import { trajectoryInputSchema } from '../../workflows/input';
import { trajectoryStartOptions } from '../../workflows/start-options';

describe('rowStartOptions', () => {
  it.each(builtInProgrammes.map((p) => [p.id, p] as const))('equals trajectoryStartOptions for %s', (_id, programme) => {
    const region = programme.regions[0];
    const rows = [
      { participantRef: 'p-plain', programme, startDate: '2027-01-31' },
      {
        participantRef: 'p-full',
        programme,
        startDate: '2027-03-01',
        region: region?.id,
        municipality: region?.municipalities?.[0] ?? (region ? undefined : 'Rotterdam'),
        attentionAfterWeeks: 8,
      },
    ];
    for (const row of rows) {
      expect(rowInputSchema.safeParse(row).success).toBe(true);
      expect(rowStartOptions(row, 'queue-a')).toEqual(trajectoryStartOptions(row, 'queue-a'));
    }
  });

  it('applies the workflow input rules to the row fields, as the workflow input schema does', () => {
    const programme = builtInProgrammes.find((p) => p.id === 'welslagen')!;
    const rows = [
      { participantRef: 'p-1', programme, startDate: '2027-02-30', region: 'utrecht' },
      { participantRef: 'p-1', programme, startDate: '2027-03-01', region: 'utrecht' },
      { participantRef: '123456782', programme, startDate: '2027-03-01', attentionAfterWeeks: 0 },
    ];
    for (const row of rows) {
      const fast = rowInputSchema.safeParse(row);
      const full = trajectoryInputSchema.safeParse(row);
      expect(fast.success).toBe(false);
      expect(fast.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual(full.error?.issues.map((i) => [i.path.join('.'), i.message]));
    }
  });
});
