/**
 * Least data for personal data: a trajectory's sealed details (name, e-mail,
 * phone, address, BSN) and a report's sealed note are opened only for the
 * fields a receiving role may have; for every role and event, nothing else
 * leaves. After erasure (the opener says "erased") no personal value leaves.
 */
import { emailMessageId } from '../../activities/email';
import { allowance, partnerMessage } from '../../activities/least-data';
import { openPersonalData, wantsPersonalData, type SealedOpener } from '../../activities/personal-data';
import { parsePartnerRegistry, RESTRICTED_FIELDS } from '../../activities/partner-registry';
import { FIELD_LABELS, renderEmail } from '../../activities/templates';
import { renderWebhookBody } from '../../activities/webhook';
import { KNOWN_PARTNER_ROLES, NOTE_FIELD, PERSONAL_FIELDS, SEALED_ALGORITHM, type SealedValue } from '../../domain';
import { NOTIFICATION_EVENT_TYPES, type PartnerNotification } from '../../workflows/api';
import { exampleRoles, notification } from './helpers/setup';

const DETAILS = { name: 'Sanne de Vries-Sentinel', email: 'sanne.sentinel@example.nl', phone: '+31 6 1234 5678', address: 'Sentinelstraat 12, Rotterdam', bsn: '111222333' };
const NOTE = 'Sentinel-notitie: rugklachten, alleen zittend werk';
const VALUES: Record<string, string> = { ...DETAILS, [NOTE_FIELD]: NOTE };

const sealed = (tag: string, ref = 'p-7f3a9c'): SealedValue => ({ sealed: SEALED_ALGORITHM, keyId: `${ref}.${tag}abcdefgh`, iv: 'AAAA', data: 'AAAA' });
const PERSONAL = sealed('personal');
const NOTE_SEALED = sealed('note');

/** Opens the two test values; counts what it was asked to open. */
function opener(state: 'open' | 'erased' = 'open'): SealedOpener & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    open(value) {
      opened.push(value.keyId);
      if (state === 'erased') return { ok: false, reason: 'erased' };
      return { ok: true, value: value.keyId === PERSONAL.keyId ? DETAILS : NOTE };
    },
  };
}

const registry = parsePartnerRegistry({ version: 1, roles: exampleRoles(), partners: [] });
const ROLES = [...new Set([...KNOWN_PARTNER_ROLES, ...Object.keys(registry.roles), 'unlisted-role'])];
const carrying = (event: PartnerNotification['event']): PartnerNotification => notification({ event, personal: PERSONAL, note: NOTE_SEALED });

function leaving(n: PartnerNotification, roles: string[], open: SealedOpener): string {
  const wanted = allowance(registry, roles).fields;
  const personal = wantsPersonalData(wanted) ? openPersonalData(n, open, wanted) : { values: {} };
  const message = partnerMessage(registry, n, { id: 'partner-x', organisation: 'Organisatie X' }, roles, personal.values);
  const mail = renderEmail(message);
  return [renderWebhookBody(message), mail.subject, mail.text, emailMessageId(message, 'trajecten@meldingen.example')].join('\n');
}

test('every personal field has a Dutch label; BSN, address and note are restricted', () => {
  for (const field of [...PERSONAL_FIELDS, NOTE_FIELD]) expect(FIELD_LABELS[field]).toBeDefined();
  expect(RESTRICTED_FIELDS.bsn).toEqual(['municipality']);
  expect(RESTRICTED_FIELDS.note).not.toContain('employer');
  expect(RESTRICTED_FIELDS.address).not.toContain('employer');
});

describe.each(ROLES)('role %s', (role) => {
  const allowed = new Set(registry.roles[role]?.fields ?? []);

  test.each([...NOTIFICATION_EVENT_TYPES])('event %s: only the allowed personal values leave', (event) => {
    const text = leaving(carrying(event), [role], opener());
    for (const [field, value] of Object.entries(VALUES)) {
      expect({ field, leaves: text.includes(value) }).toEqual({ field, leaves: allowed.has(field) });
    }
    expect(text.includes(DETAILS.bsn)).toBe(role === 'municipality');
    // Sealed values never leave as such.
    expect(text).not.toContain(PERSONAL.keyId);
    expect(text).not.toContain(SEALED_ALGORITHM);
  });
});

test('nothing is decrypted for roles that may not receive personal data', () => {
  const open = opener();
  leaving(carrying('placement'), ['knowledge-centre'], open);
  expect(open.opened).toEqual([]);
  leaving(carrying('placement'), ['employer'], open);
  expect(open.opened).toEqual([PERSONAL.keyId]); // the employer may have the name, not the note
});

test('after erasure no personal value leaves, for any role, and the reason is given without values', () => {
  for (const role of ROLES) {
    const text = leaving(carrying('placement'), [role], opener('erased'));
    for (const value of Object.values(VALUES)) expect(text).not.toContain(value);
  }
  const wanted = allowance(registry, ['case-manager']).fields;
  expect(openPersonalData(carrying('placement'), opener('erased'), wanted)).toEqual({ values: {}, unavailable: 'erased' });
  expect(openPersonalData(carrying('placement'), undefined, wanted)).toEqual({ values: {}, unavailable: 'no-key' });
});

test("a value sealed for another participant is never opened under this one's name", () => {
  const open = opener();
  const foreign = notification({ event: 'placement', personal: sealed('personal', 'p-someone-else') });
  const wanted = allowance(registry, ['municipality']).fields;
  expect(openPersonalData(foreign, open, wanted)).toEqual({ values: {}, unavailable: 'damaged' });
  expect(open.opened).toEqual([]);
});

test('a trajectory without personal data sends what it always sent', () => {
  const plain = notification({ event: 'placement' });
  const wanted = allowance(registry, ['municipality']).fields;
  expect(openPersonalData(plain, opener(), wanted)).toEqual({ values: {} });
});
