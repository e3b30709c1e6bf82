/**
 * Personal data through the whole chain: an intake with a name, e-mail,
 * address and BSN, a report with a note, real webhook receivers for three
 * partners. Each receives exactly the personal fields its role allows (the BSN
 * only the municipality, the note only the case manager), opened by the worker
 * from the sealed values the histories hold.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isoDay, MainJob, tempDir, writeFile } from './cli';

jest.setTimeout(180_000);

interface Received {
  readonly partner: string;
  readonly ref?: string;
  readonly event: string;
  readonly raw: string;
  readonly fields: Record<string, unknown>;
}

const PERSON = { name: 'Ketenproef Sentinel', email: 'ketenproef@voorbeeld-deelnemer.nl', address: 'Ketenweg 7, Rotterdam', bsn: '987100002' };
const NOTE = 'Ketennotitie: alleen ochtenddiensten in verband met behandeling';
const PARTNERS = { gemeente: 'municipality', klantmanager: 'case-manager', opleider: 'training-company' } as const;

describe('personal data reaches each partner as its role allows', () => {
  let dir: string;
  let job: MainJob;
  let server: http.Server;
  const received: Received[] = [];
  let waiting: (() => void)[] = [];
  const until = async (check: () => boolean): Promise<void> => {
    while (!check()) await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const of = (partner: string, event: string, ref = 'k-1') => received.find((r) => r.partner === partner && r.event === event && r.ref === ref);

  beforeAll(async () => {
    dir = tempDir('personal-partners');
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(raw) as { fields: Record<string, unknown>; participantRef?: string };
        received.push({ partner: (req.url ?? '').slice(1), ref: body.participantRef, event: String(req.headers['x-trajectory-event']), raw, fields: body.fields });
        res.writeHead(200).end();
        const wake = waiting;
        waiting = [];
        for (const w of wake) w();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const registry = writeFile(
      dir,
      'partners.json',
      JSON.stringify({
        version: 1,
        roles: {
          municipality: { participantRef: true, fields: ['name', 'address', 'bsn', 'employer'] },
          'case-manager': { participantRef: true, fields: ['name', 'email', 'note', 'conclusion', 'employer'] },
          'training-company': { participantRef: true, fields: ['name', 'employer'] },
        },
        partners: Object.entries(PARTNERS).map(([id, role]) => ({
          id,
          organisation: id,
          serves: [{ programme: 'kwalificatiebanen', roles: [role] }],
          webhook: { url: `http://127.0.0.1:${port}/${id}`, secretEnv: `SECRET_${id.toUpperCase()}` },
        })),
      }),
    );
    const secrets = Object.fromEntries(Object.keys(PARTNERS).map((id) => [`SECRET_${id.toUpperCase()}`, `secret-of-${id}-with-at-least-32-characters`]));
    job = await MainJob.start({ dataDir: path.join(dir, 'data'), extraArgs: ['--partners', registry], env: secrets });
  });

  afterAll(async () => {
    await job?.interrupt();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the municipality gets the BSN, the case manager the note, the training company only the name', async () => {
    const intake = writeFile(dir, 'intake.csv', `participantRef,programme,startDate,name,email,address,bsn\nk-1,kwalificatiebanen,${isoDay()},${PERSON.name},${PERSON.email},"${PERSON.address}",${PERSON.bsn}\n`);
    expect((await job.run(['intake', intake])).code).toBe(0);
    const assessed = await job.run(['signal', 'k-1', 'assessment-completed', '-f', 'conclusion=ready-for-placement', '--note', NOTE]);
    expect({ code: assessed.code, err: assessed.stderr }).toEqual({ code: 0, err: '' });
    expect((await job.run(['signal', 'k-1', 'placement', '-f', 'employer=Havenbedrijf Voorbeeld', '-f', 'withLks=false'])).code).toBe(0);
    await until(() => ['gemeente', 'klantmanager', 'opleider'].every((p) => of(p, 'trajectory-ended')) && of('klantmanager', 'assessment-completed') !== undefined);

    expect(of('gemeente', 'placement')?.fields).toEqual({ name: PERSON.name, address: PERSON.address, bsn: PERSON.bsn, employer: 'Havenbedrijf Voorbeeld' });
    expect(of('klantmanager', 'assessment-completed')?.fields).toEqual({ name: PERSON.name, email: PERSON.email, note: NOTE, conclusion: 'ready-for-placement' });
    expect(of('opleider', 'placement')?.fields).toEqual({ name: PERSON.name, employer: 'Havenbedrijf Voorbeeld' });
    const everything = (partner: string) => received.filter((r) => r.partner === partner).map((r) => r.raw).join('\n');
    expect(everything('klantmanager')).not.toContain(PERSON.bsn);
    expect(everything('opleider')).not.toContain(PERSON.bsn);
    expect(everything('opleider')).not.toContain(PERSON.email);
    expect(everything('gemeente')).not.toContain(NOTE);
    expect(everything('opleider')).not.toContain(NOTE);
    // The worker's log names events and partners, never the values it sent.
    const log = job.lines.map((l) => JSON.stringify(l)).join('\n');
    for (const value of [...Object.values(PERSON), NOTE]) expect(log).not.toContain(value);
  });

  it('partners hear of the withdrawal an erasure makes without the personal data being erased', async () => {
    const intake = writeFile(dir, 'leaving.csv', `participantRef,programme,startDate,name,bsn\nk-2,kwalificatiebanen,${isoDay()},Vertrekkende Sentinel,${PERSON.bsn}\n`);
    expect((await job.run(['intake', intake])).code).toBe(0);
    await until(() => of('klantmanager', 'trajectory-started', 'k-2') !== undefined);
    expect(of('klantmanager', 'trajectory-started', 'k-2')?.fields).toEqual(expect.objectContaining({ name: 'Vertrekkende Sentinel' }));
    const erased = await job.run(['--data-dir', job.dataDir, 'erase', 'k-2']);
    expect({ code: erased.code, err: erased.stderr }).toEqual({ code: 0, err: '' });
    await until(() => ['gemeente', 'klantmanager', 'opleider'].every((p) => of(p, 'trajectory-ended', 'k-2')));
    const afterwards = received.filter((r) => r.ref === 'k-2' && r.event !== 'trajectory-started');
    expect(afterwards.map((r) => r.raw).join('\n')).not.toContain('Vertrekkende Sentinel');
    expect(afterwards.map((r) => r.raw).join('\n')).not.toContain(PERSON.bsn);
  });
});
