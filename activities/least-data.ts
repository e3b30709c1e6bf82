/**
 * Least data per partner: the one place that decides what of a notification
 * leaves the worker for a partner. Webhook bodies and e-mails are rendered from
 * a `PartnerMessage` only, never from the notification itself, so a field the
 * partner's roles may not receive cannot reach it. The workflow's free text, the
 * workflow id and the raw idempotency key (both contain the participant's
 * reference) never leave; the message carries a derived event key instead.
 */
import { createHash } from 'node:crypto';
import { findBuiltInProgramme } from '../domain';
import type { NotificationEventType, PartnerNotification } from '../workflows/activities-api';
import { RESTRICTED_FIELDS, type PartnerEntry, type PartnerRegistry } from './partner-registry';
import { summaryText } from './templates';

export type FieldValue = string | number | boolean;

/** Exactly what one partner receives about one trajectory event. */
export interface PartnerMessage {
  /** The stable key of the trajectory event (also the `Idempotency-Key` header): the same on every retry. */
  readonly id: string;
  readonly event: NotificationEventType;
  /** The event's number on the trajectory's timeline. */
  readonly sequence: number;
  readonly occurredAt: string;
  readonly occurredOn: string;
  readonly programme: { readonly id: string; readonly name: string };
  readonly recipient: { readonly partner: string; readonly organisation: string; readonly roles: readonly string[] };
  /** Only for roles that may receive it. */
  readonly participantRef?: string;
  readonly phase?: { readonly id: string; readonly name: string };
  /** One Dutch sentence, written from the fields below only. */
  readonly summary: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/** The stable, opaque key of a trajectory event: sha-256 of the workflow's idempotency key, 32 hex digits. */
export function eventKey(idempotencyKey: string): string {
  return createHash('sha256').update(`partner-notification\n${idempotencyKey}`).digest('hex').slice(0, 32);
}

/** What the roles together may receive: the union of their allowances, restricted fields only where allowed. */
export function allowance(registry: PartnerRegistry, roles: readonly string[]): { participantRef: boolean; phase: boolean; fields: Set<string> } {
  const fields = new Set<string>();
  let participantRef = false;
  let phase = false;
  for (const role of roles) {
    const data = registry.roles[role];
    if (!data) continue;
    participantRef ||= data.participantRef;
    phase ||= data.phase;
    for (const field of data.fields) {
      const restricted = RESTRICTED_FIELDS[field];
      // Checked when the registry is loaded; checked again here so no registry can send it elsewhere.
      if (restricted && !restricted.includes(role)) continue;
      fields.add(field);
    }
  }
  return { participantRef, phase, fields };
}

export function programmeName(programmeId: string): string {
  return findBuiltInProgramme(programmeId)?.name ?? programmeId;
}

/**
 * The message for `partner`, who hears of this event in `roles`. `personal`
 * holds the opened personal values (activities/personal-data.ts); only those
 * the roles may receive are copied, like every other field.
 */
export function partnerMessage(
  registry: PartnerRegistry,
  notification: PartnerNotification,
  partner: Pick<PartnerEntry, 'id' | 'organisation'>,
  roles: readonly string[],
  personal: Readonly<Record<string, string>> = {},
): PartnerMessage {
  const allowed = allowance(registry, roles);
  const fields: Record<string, FieldValue> = {};
  for (const [name, value] of [...Object.entries(notification.fields), ...Object.entries(personal)]) {
    if (allowed.fields.has(name)) fields[name] = value;
  }
  return {
    id: eventKey(notification.idempotencyKey),
    event: notification.event,
    sequence: notification.sequence,
    occurredAt: notification.occurredAt,
    occurredOn: notification.occurredOn,
    programme: { id: notification.programmeId, name: programmeName(notification.programmeId) },
    recipient: { partner: partner.id, organisation: partner.organisation, roles: [...roles] },
    ...(allowed.participantRef ? { participantRef: notification.participantRef } : {}),
    ...(allowed.phase && notification.phase ? { phase: { id: notification.phase.id, name: notification.phase.name } } : {}),
    summary: summaryText(notification.event, fields),
    fields,
  };
}
