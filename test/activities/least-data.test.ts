/**
 * Least data per partner: for every role and every event type, what leaves
 * (the exact webhook body, the e-mail subject, text and Message-ID) holds the
 * fields the role may receive and nothing else; the BSN only for the municipality.
 */
import type { z } from 'zod';
import { emailMessageId } from '../../activities/email';
import { partnerMessage } from '../../activities/least-data';
import { parsePartnerRegistry, type PartnerRegistry } from '../../activities/partner-registry';
import { EVENT_TITLES, FIELD_LABELS, renderEmail } from '../../activities/templates';
import { renderWebhookBody } from '../../activities/webhook';
import { KNOWN_PARTNER_ROLES } from '../../domain';
import { NOTIFICATION_EVENT_TYPES, reportSchemas, type PartnerNotification } from '../../workflows/api';
import { exampleRoles, notification } from './helpers/setup';

/** Fields partners report (the signal payloads) … */
const reportedFields = [
  ...new Set(Object.values(reportSchemas).flatMap((schema) => Object.keys((schema as unknown as z.ZodObject).shape))),
].filter((name) => name !== 'reportId');
/** … fields the workflow adds to its own events, a BSN, and a field nobody has heard of yet. */
const workflowFields = ['programmeVersion', 'startDate', 'fingerprint', 'phaseId', 'enteredOn', 'dueOn', 'quietSince', 'deadline', 'deadlineId', 'extensionDecisionPending', 'outcome', 'category'];
const ALL_FIELDS = [...new Set([...reportedFields, ...workflowFields, 'bsn', 'healthNote'])];

const sentinel = (name: string): string => `zz${name}Value`;
const REF = 'p-sentinel-ref';
const RUN = 'run-sentinel-9d2';
const TEXT = 'TEXTSENTINEL';
const PHASE = 'FASESENTINEL';

/** A notification carrying every field there is, each with a value that can be searched for. */
function loaded(event: PartnerNotification['event']): PartnerNotification {
  return notification({
    event,
    idempotencyKey: `traject-kwalificatiebanen-${REF}/${RUN}/7`,
    workflowId: `traject-kwalificatiebanen-${REF}`,
    participantRef: REF,
    text: TEXT,
    phase: { id: 'voortraject', name: PHASE },
    fields: Object.fromEntries(ALL_FIELDS.map((name) => [name, sentinel(name)])),
  });
}

/** Everything that leaves for this partner, as text. */
function leaving(registry: PartnerRegistry, n: PartnerNotification, roles: string[]): { outputs: string[]; body: Record<string, unknown> } {
  const message = partnerMessage(registry, n, { id: 'partner-x', organisation: 'Organisatie X' }, roles);
  const body = renderWebhookBody(message);
  const mail = renderEmail(message);
  return { outputs: [body, mail.subject, mail.text, emailMessageId(message, 'trajecten@meldingen.example')], body: JSON.parse(body) as Record<string, unknown> };
}

const registry = parsePartnerRegistry({ version: 1, roles: exampleRoles(), partners: [] });
const ROLES = [...new Set([...KNOWN_PARTNER_ROLES, ...Object.keys(registry.roles), 'unlisted-role'])];
const ENVELOPE = ['id', 'event', 'sequence', 'occurredAt', 'occurredOn', 'programme', 'recipient', 'summary', 'fields'];

test('the test covers every field the workflow and partners produce, and the templates label them all', () => {
  expect(reportedFields).toEqual(expect.arrayContaining(['employer', 'withLks', 'lksEndDate', 'reason', 'conclusion', 'level']));
  for (const name of [...reportedFields, ...workflowFields, 'bsn']) expect(FIELD_LABELS[name]).toBeDefined();
  const titles = NOTIFICATION_EVENT_TYPES.map((event) => EVENT_TITLES[event]);
  expect(new Set(titles).size).toBe(NOTIFICATION_EVENT_TYPES.length);
  expect(ROLES.length).toBeGreaterThanOrEqual(12);
});

describe.each(ROLES)('role %s', (role) => {
  const allowed = registry.roles[role] ?? { participantRef: false, phase: false, fields: [] };

  test.each([...NOTIFICATION_EVENT_TYPES])('event %s: only the allowed fields leave', (event) => {
    const { outputs, body } = leaving(registry, loaded(event), [role]);
    const contains = (value: string): boolean => outputs.some((text) => text.includes(value));
    for (const name of ALL_FIELDS) {
      expect({ field: name, leaves: contains(sentinel(name)) }).toEqual({ field: name, leaves: allowed.fields.includes(name) });
    }
    expect(contains(sentinel('bsn'))).toBe(role === 'municipality');
    expect(contains(REF)).toBe(allowed.participantRef);
    expect(contains(PHASE)).toBe(allowed.phase);
    // Never: the workflow's free text, its id, the raw idempotency key (its run id).
    expect(contains(TEXT)).toBe(false);
    expect(contains(RUN)).toBe(false);
    expect(contains(`traject-kwalificatiebanen-${REF}`)).toBe(false);
    // The body holds the envelope and the allowed extras, nothing else.
    const extras = [...(allowed.participantRef ? ['participantRef'] : []), ...(allowed.phase ? ['phase'] : [])];
    expect(Object.keys(body).sort()).toEqual([...ENVELOPE, ...extras].sort());
    expect(Object.keys(body.fields as object).sort()).toEqual(ALL_FIELDS.filter((name) => allowed.fields.includes(name)).sort());
  });
});

test('a partner with several roles receives the union of what those roles may receive', () => {
  const { body } = leaving(registry, loaded('placement'), ['municipality', 'case-manager']);
  const union = new Set([...registry.roles.municipality.fields, ...registry.roles['case-manager'].fields]);
  expect(Object.keys(body.fields as object).sort()).toEqual(ALL_FIELDS.filter((name) => union.has(name)).sort());
  expect((body.fields as Record<string, unknown>).bsn).toBe(sentinel('bsn'));
});

test('the BSN stays with the municipality even when a registry that skipped validation lists it for another role', () => {
  const unchecked: PartnerRegistry = { ...registry, roles: { ...registry.roles, employer: { participantRef: true, phase: true, fields: ['bsn', 'employer'] } } };
  const { outputs, body } = leaving(unchecked, loaded('placement'), ['employer']);
  expect(body.fields).toEqual({ employer: sentinel('employer') });
  expect(outputs.some((text) => text.includes(sentinel('bsn')))).toBe(false);
});

test('the summary speaks only of allowed fields: an employer hears of a placement without the reason or the conclusion', () => {
  const n = notification({ event: 'dropout', fields: { reason: 'medische-redenen', employer: 'Havenbedrijf Voorbeeld' } });
  const forEmployer = leaving(registry, n, ['employer']);
  const forCaseManager = leaving(registry, n, ['case-manager']);
  expect(forEmployer.body.summary).toBe('De deelnemer is uitgevallen.');
  expect(forEmployer.outputs.join('\n')).not.toContain('medische-redenen');
  expect(forCaseManager.body.summary).toBe('De deelnemer is uitgevallen (reden: medische-redenen).');
});
