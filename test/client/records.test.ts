/** Reading intake and export files: line numbers for every record, and no cell ever echoed in a problem. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkIntakeRows, intakeColumn, INTAKE_UNKNOWN_HINT } from '../../client/intake/rows';
import { elementLines, readRecordFile } from '../../client/records';
import { amsterdamInstant, parseIsoDate } from '../../domain';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trajectory-records-'));
function file(name: string, content: string): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, content);
  return full;
}
const read = (name: string, content: string) => readRecordFile(file(name, content), intakeColumn, INTAKE_UNKNOWN_HINT);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readRecordFile', () => {
  it('gives each CSV record the line it starts on, past comments, blank lines and quoted line breaks', () => {
    const result = read('a.csv', '\ufeff# comment\nParticipant Ref,programme,municipality\n\np-1,welslagen,"Etten-\nLeur"\np-2,welslagen,\n');
    expect(result.problems).toEqual([]);
    expect(result.records).toEqual([
      { line: 4, values: { participantRef: 'p-1', programme: 'welslagen', municipality: 'Etten-\nLeur' } },
      { line: 6, values: { participantRef: 'p-2', programme: 'welslagen' } },
    ]);
  });

  it('reads semicolon-separated exports (Dutch spreadsheets)', () => {
    const result = read('b.csv', 'participant_ref;programme;start_date\np-1;welslagen;2027-03-01\n');
    expect(result.records).toEqual([{ line: 2, values: { participantRef: 'p-1', programme: 'welslagen', startDate: '2027-03-01' } }]);
  });

  it('refuses unknown and repeated columns on the header line', () => {
    const result = read('c.csv', 'participantRef,programme,diagnose,programme\n');
    expect(result.problems.map((p) => [p.line, p.field])).toEqual([[1, 'diagnose'], [1, 'programme']]);
  });

  it('finds the line of every element of a JSON array, skipping strings with brackets', () => {
    const text = '[\n  {"participantRef": "p-[1]", "programme": "x"},\n\n  {\n    "participantRef": "p-2"\n  }, {"participantRef": "p-3"}\n]';
    expect(elementLines(text, 1)).toEqual([2, 4, 6]);
    expect(read('d.json', text).records.map((r) => r.line)).toEqual([2, 4, 6]);
    expect(read('e.json', '{"trajectories": [\n{"participantRef": "p-1"},\n{"diagnosis": "x"}\n]}').problems).toEqual([
      { line: 3, field: 'diagnosis', reason: expect.stringContaining('unknown field "diagnosis"') },
    ]);
  });

  it('reads JSON Lines', () => {
    const result = read('f.jsonl', '{"participantRef":"p-1","programme":"welslagen"}\nnot json\n');
    expect(result.records.map((r) => r.line)).toEqual([1]);
    expect(result.problems).toEqual([{ line: 2, reason: 'not valid JSON' }]);
  });
});

describe('checkIntakeRows', () => {
  const now = amsterdamInstant(parseIsoDate('2026-11-22'), { hour: 12 });

  it('defaults the start date to today, or to the next intake round for a programme with rounds', () => {
    const { valid } = checkIntakeRows(
      [
        { line: 2, values: { participantRef: 'p-1', programme: 'kwalificatiebanen' } },
        { line: 3, values: { participantRef: 'p-2', programme: 'welslagen' } },
      ],
      'trajectories',
      now,
    );
    expect(valid.map((v) => [v.workflowId, v.startDate])).toEqual([
      ['traject-kwalificatiebanen-p-1', '2026-11-22'],
      ['traject-welslagen-p-2', '2027-03-01'],
    ]);
    expect(valid[0].options.typedSearchAttributes.map((p) => p.key.name)).toEqual(['TrajectoryProgramme', 'TrajectoryPhase', 'TrajectoryNeedsAttention']);
  });

  it('never quotes a value in a reason', () => {
    const { problems } = checkIntakeRows(
      [{ line: 2, values: { participantRef: 'p-1', programme: 'logistiek-west-brabant', region: 'hart-van-west-brabant', municipality: 'J. de Vries' } }],
      'trajectories',
      now,
    );
    expect(problems).toEqual([{ line: 2, field: 'municipality', reason: expect.stringContaining('(the value given) is not in region') }]);
    expect(JSON.stringify(problems)).not.toContain('de Vries');
  });
});
