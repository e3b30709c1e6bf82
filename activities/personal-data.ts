/**
 * Opens a notification's sealed personal data for delivery, and only what the
 * receiving roles may have: the participant's details (name, e-mail, phone,
 * address, BSN) and a report's note arrive sealed with the participant's own
 * data key (domain/personal.ts). After the participant was erased the key is
 * gone and the values stay closed: the message then carries no personal data.
 */
import { NOTE_FIELD, PERSONAL_FIELDS, personalDetailsSchema, type SealedValue } from '../domain';
import type { PartnerNotification } from '../workflows/activities-api';

export type UnsealResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: 'erased' | 'damaged' };

/** What opens sealed values (privacy/sealed.ts with the participant key store). */
export interface SealedOpener {
  open(sealed: SealedValue): UnsealResult;
}

export interface OpenedPersonalData {
  /** Personal values by field name, only those asked for. */
  readonly values: Readonly<Record<string, string>>;
  /** Why some asked-for values could not be opened (never the values themselves). */
  readonly unavailable?: 'erased' | 'damaged' | 'no-key';
}

const PERSONAL = new Set<string>(PERSONAL_FIELDS);

/** True when `fields` names any field that only sealed data can fill. */
export function wantsPersonalData(fields: ReadonlySet<string>): boolean {
  for (const field of fields) if (PERSONAL.has(field) || field === NOTE_FIELD) return true;
  return false;
}

/** Opens what `wanted` asks for; a field not asked for is never decrypted. */
export function openPersonalData(notification: PartnerNotification, opener: SealedOpener | undefined, wanted: ReadonlySet<string>): OpenedPersonalData {
  const values: Record<string, string> = {};
  let unavailable: OpenedPersonalData['unavailable'];
  const open = (sealed: SealedValue): unknown => {
    // Sealed for another participant (a tool's mistake): never sent under this one's name.
    if (!sealed.keyId.startsWith(`${notification.participantRef}.`)) {
      unavailable = 'damaged';
      return undefined;
    }
    if (!opener) {
      unavailable = 'no-key';
      return undefined;
    }
    const result = opener.open(sealed);
    if (result.ok) return result.value;
    unavailable = result.reason;
    return undefined;
  };
  if (notification.personal && PERSONAL_FIELDS.some((f) => wanted.has(f))) {
    const details = personalDetailsSchema.safeParse(open(notification.personal));
    if (details.success) {
      for (const field of PERSONAL_FIELDS) {
        const value = details.data[field];
        if (value !== undefined && wanted.has(field)) values[field] = value;
      }
    } else unavailable ??= 'damaged';
  }
  if (notification.note && wanted.has(NOTE_FIELD)) {
    const note = open(notification.note);
    if (typeof note === 'string') values[NOTE_FIELD] = note;
    else unavailable ??= 'damaged';
  }
  return unavailable ? { values, unavailable } : { values };
}
