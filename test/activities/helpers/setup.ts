/** Shared pieces of the notification tests: registries, secrets, notifications, a logger that keeps its lines. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { PartnerRegistryInput } from '../../../activities/partner-registry';
import type { PartnerNotification } from '../../../workflows/activities-api';

export const EXAMPLE_REGISTRY = path.resolve(__dirname, '../../../examples/partners.json');

/** The example registry's role allowances (what each role may receive). */
export function exampleRoles(): PartnerRegistryInput['roles'] {
  return (JSON.parse(readFileSync(EXAMPLE_REGISTRY, 'utf8')) as PartnerRegistryInput).roles;
}

export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'partners-'));
}

/** Writes a registry file into `dir`; returns its path. */
export function writeRegistry(dir: string, registry: PartnerRegistryInput, name = 'partners.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(registry, null, 2));
  return file;
}

export function secretEnvName(partner: string): string {
  return `PARTNER_${partner.toUpperCase().replace(/-/g, '_')}_SECRET`;
}

/** A notification as the trajectory workflow sends it. */
export function notification(overrides: Partial<PartnerNotification> = {}): PartnerNotification {
  const sequence = overrides.sequence ?? 5;
  return {
    idempotencyKey: `traject-kwalificatiebanen-p-7f3a9c/2b6f0c1e-run/${sequence}`,
    workflowId: 'traject-kwalificatiebanen-p-7f3a9c',
    programmeId: 'kwalificatiebanen',
    participantRef: 'p-7f3a9c',
    sequence,
    event: 'placement',
    roles: ['training-company', 'case-manager'],
    occurredAt: '2027-06-15T10:00:00.000Z',
    occurredOn: '2027-06-15',
    phase: { id: 'voortraject', name: 'Voortraject' },
    text: 'Geplaatst bij Havenbedrijf Voorbeeld, met LKS tot en met 31 december 2027',
    fields: { employer: 'Havenbedrijf Voorbeeld', withLks: true, lksEndDate: '2027-12-31' },
    ...overrides,
  };
}

/** A pino logger whose JSON lines the test can read (and search for personal data). */
export function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  return {
    logger,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
