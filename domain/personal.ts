/**
 * Personal data of a participant, and the sealed form in which it travels.
 *
 * A trajectory never holds personal data in the clear: the starter seals the
 * participant's details (and a partner seals a report's free-text note) with a
 * data key of that participant's own (privacy/participant-keys.ts). Workflows
 * carry the sealed value untouched; only an activity that sends to a partner
 * allowed to receive a field opens it. Erasing the participant deletes the data
 * key, so every sealed copy (histories, backups) becomes unreadable.
 */
import { z } from 'zod';

/** The algorithm tag of a sealed value; a new algorithm gets a new tag. */
export const SEALED_ALGORITHM = 'aes-256-gcm/participant-key/v1';

/** Base64 text (standard alphabet, with padding). */
export const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');

const REF = '[a-z0-9][a-z0-9-]{1,38}[a-z0-9]';
/** A pseudonymous participant reference: 3–40 lower-case letters, digits and hyphens (workflows/input.ts adds the BSN checks). */
export const PARTICIPANT_REF_PATTERN = new RegExp(`^${REF}$`);
/** A participant data key id, `<participantRef>.<8–32 base64url characters>`; the first group is the reference. */
export const DATA_KEY_ID_PATTERN = new RegExp(`^(${REF})\\.[A-Za-z0-9_-]{8,32}$`);

/** A value sealed with a participant's data key: opaque outside privacy/. */
export const sealedValueSchema = z.strictObject({
  sealed: z.literal(SEALED_ALGORITHM),
  /** Which participant data key; `<participantRef>.<random>`, no personal data. */
  keyId: z.string().regex(DATA_KEY_ID_PATTERN, 'not a participant data key id'),
  /** 12-byte nonce, base64. */
  iv: base64Schema,
  /** Ciphertext followed by the 16-byte GCM tag, base64. */
  data: base64Schema,
});
export type SealedValue = z.infer<typeof sealedValueSchema>;

/** True when nine digits pass the BSN "elfproef". */
export function passesElfproef(nineDigits: string): boolean {
  const digits = nineDigits.split('').map(Number);
  const sum = digits.slice(0, 8).reduce((acc, d, i) => acc + d * (9 - i), 0) - digits[8];
  return sum % 11 === 0;
}

/** A citizen service number: nine digits passing the elfproef, not all zeros. */
export function isValidBsn(text: string): boolean {
  return /^\d{9}$/.test(text) && text !== '000000000' && passesElfproef(text);
}

/**
 * The participant's details as an intake file gives them. Every field is
 * optional; a partner receives only those its roles allow (docs/partners.md),
 * the BSN only the municipality.
 */
export const personalDetailsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email('not an e-mail address').max(200).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{6,20}$/, 'not a phone number (digits, spaces, +, -, parentheses)')
    .optional(),
  address: z.string().trim().min(1).max(300).optional(),
  bsn: z
    .string()
    .trim()
    .refine(isValidBsn, { message: 'not a valid BSN (nine digits passing the elfproef)' })
    .optional(),
});
export type PersonalDetails = z.infer<typeof personalDetailsSchema>;

/** The personal fields, as partner notifications and the registry name them. */
export const PERSONAL_FIELDS = ['name', 'email', 'phone', 'address', 'bsn'] as const;
/** A report's sealed free text (may touch on health): the `note` field. */
export const NOTE_FIELD = 'note';
/** The longest note a partner may attach to a report. */
export const NOTE_MAX_LENGTH = 2000;
