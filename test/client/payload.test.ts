/** Signal payloads from flags and CSV cells, typed and checked with the workflow's own schemas. */
import { checkBatchRows } from '../../client/signal/batch';
import { checkPayload, payloadFromFlags } from '../../client/signal/payload';

describe('signal payloads', () => {
  it('types flag values by the schema (booleans from true/false/ja/nee) and validates them', () => {
    const payload = payloadFromFlags('placement', ['employer=ISS', 'withLks=ja', 'lksEndDate=2027-06-30']);
    expect(payload).toEqual({ employer: 'ISS', withLks: true, lksEndDate: '2027-06-30' });
    expect(checkPayload('placement', payload)).toEqual({ ok: true, payload });
    expect(payloadFromFlags('contract-decided', ['offered=nee'])).toEqual({ offered: false });
    expect(payloadFromFlags('assessment-completed', ['conclusion=true'])).toEqual({ conclusion: 'true' });
  });

  it('names each bad field and never its value', () => {
    const check = checkPayload('placement', { employer: 'ISS', withLks: 'misschien', bsn: '123456782' });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => p.field).sort()).toEqual(['bsn', 'withLks']);
    expect(JSON.stringify(check.problems)).not.toContain('123456782');
    expect(JSON.stringify(check.problems)).not.toContain('misschien');
  });

  it('checks every row of a batch export before anything is sent', () => {
    const { rows, problems } = checkBatchRows([
      { line: 2, values: { participantRef: 'p-1', conclusion: 'ready-for-placement', reportId: 'r-1' } },
      { line: 3, values: { participantRef: 'p-2', event: 'extension-decided', granted: 'ja' } },
      { line: 4, values: { participantRef: 'Jan', conclusion: 'Klaar!' } },
      { line: 5, values: { participantRef: 'p-3', event: 'promotion' } },
      { line: 6, values: { conclusion: 'ready-for-placement' } },
    ]);
    expect(rows).toEqual([
      { line: 2, ref: 'p-1', programme: undefined, event: 'assessment-completed', payload: { conclusion: 'ready-for-placement', reportId: 'r-1' } },
      { line: 3, ref: 'p-2', programme: undefined, event: 'extension-decided', payload: { granted: true } },
    ]);
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [4, 'participantRef'],
      [4, 'conclusion'],
      [5, 'event'],
      [6, 'participantRef'],
    ]);
    expect(JSON.stringify(problems)).not.toContain('Klaar!');
  });
});
