/**
 * The partner registry: which organisation plays which role in which
 * programme, how it is reached (a signed webhook and/or e-mail), and which
 * fields each role may receive. A JSON file, validated with zod; every problem
 * is reported with its path in the file. Secrets never sit in the file: a
 * webhook names the environment variable that holds its signing secret.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatIssuePath, slugSchema, type ProgrammeDefinition } from '../domain';

/** Fields that only some roles may ever receive, whatever a registry says. */
export const RESTRICTED_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  /** The citizen service number: only the municipality may process it. */
  bsn: Object.freeze(['municipality']),
  /** A report's free-text note may touch on health: only those who guide the participant. */
  note: Object.freeze(['case-manager', 'job-coach', 'specialist']),
  /** A home address: the municipality and the case manager. */
  address: Object.freeze(['municipality', 'case-manager']),
});

/** A field name as notifications carry them: `employer`, `lksEndDate`, `bsn`. */
const fieldNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'a field name: letters and digits, starting with a letter');

/** What one role may receive beyond the event itself (its type, date and sequence). */
export const roleDataSchema = z.strictObject({
  /** The participant's pseudonymous reference. */
  participantRef: z.boolean().default(false),
  /** The phase the trajectory is in (id and name). */
  phase: z.boolean().default(false),
  /** The event's fields this role may receive, by name; all others are left out. */
  fields: z.array(fieldNameSchema).default([]),
});

const environmentNameSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable: upper-case letters, digits and underscores');

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

export const webhookChannelSchema = z.strictObject({
  /** https, or http on the local machine only (tests, a receiver behind a local proxy). */
  url: z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' }).refine(
    (text) => {
      if (!URL.canParse(text)) return true; // reported by the URL check itself
      const url = new URL(text);
      return url.protocol === 'https:' || isLoopback(url.hostname);
    },
    { message: 'use https; plain http is allowed for localhost only' },
  ),
  /** The environment variable that holds the HMAC-SHA256 signing secret. */
  secretEnv: environmentNameSchema,
  /** How long to wait for the receiver's answer (default 10). */
  timeoutSeconds: z.number().int().min(1).max(50).default(10),
  secret: z
    .never({ error: 'never put the secret in the partner file: set it in an environment variable and name that variable in "secretEnv"' })
    .optional(),
});

export const emailChannelSchema = z.strictObject({
  /** The partner's functional mailbox(es); the SMTP connection comes from SMTP_* environment variables. */
  to: z.array(z.email({ error: 'an e-mail address' })).min(1, 'give at least one address'),
});

export const partnerEntrySchema = z
  .strictObject({
    /** A stable id for logs and the delivery log: a slug. */
    id: slugSchema,
    organisation: z.string().trim().min(1).max(200),
    /** The roles this organisation plays, per programme. */
    serves: z
      .array(z.strictObject({ programme: slugSchema, roles: z.array(slugSchema).min(1, 'name at least one role') }))
      .min(1, 'name at least one programme and role'),
    webhook: webhookChannelSchema.optional(),
    email: emailChannelSchema.optional(),
  })
  .refine((p) => p.webhook !== undefined || p.email !== undefined, { message: 'give a "webhook", an "email" channel or both' });

export const partnerRegistrySchema = z
  .strictObject({
    $schema: z.string().optional(),
    $comment: z.string().optional(),
    version: z.literal(1, { error: 'version must be 1' }),
    /** What each role may receive. Every role a partner serves must be listed. */
    roles: z.record(slugSchema, roleDataSchema),
    partners: z.array(partnerEntrySchema),
  })
  .superRefine((registry, ctx) => {
    for (const [role, data] of Object.entries(registry.roles)) {
      data.fields.forEach((field, i) => {
        const allowed = RESTRICTED_FIELDS[field];
        if (allowed && !allowed.includes(role)) {
          ctx.addIssue({ code: 'custom', path: ['roles', role, 'fields', i], message: `"${field}" may only go to ${allowed.join(', ')}` });
        }
      });
    }
    const ids = new Set<string>();
    registry.partners.forEach((partner, i) => {
      if (ids.has(partner.id)) ctx.addIssue({ code: 'custom', path: ['partners', i, 'id'], message: `partner id "${partner.id}" is used twice` });
      ids.add(partner.id);
      partner.serves.forEach((served, j) =>
        served.roles.forEach((role, k) => {
          if (!(role in registry.roles)) {
            ctx.addIssue({ code: 'custom', path: ['partners', i, 'serves', j, 'roles', k], message: `role "${role}" is not described under "roles"` });
          }
        }),
      );
    });
  });

export type PartnerRegistryInput = z.input<typeof partnerRegistrySchema>;
export type PartnerRegistry = z.output<typeof partnerRegistrySchema>;
export type PartnerEntry = PartnerRegistry['partners'][number];
export type RoleData = z.output<typeof roleDataSchema>;

export class PartnerRegistryError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: invalid partner registry:\n  ${problems.join('\n  ')}`);
    this.name = 'PartnerRegistryError';
  }
}

/** Validates parsed JSON; `source` names it in errors (a file path). */
export function parsePartnerRegistry(raw: unknown, source = 'partner registry'): PartnerRegistry {
  const result = partnerRegistrySchema.safeParse(raw);
  if (result.success) return result.data;
  throw new PartnerRegistryError(
    source,
    result.error.issues.map((issue) => {
      const message = issue.code === 'invalid_key' ? `not a valid name: ${issue.issues.map((i) => i.message).join('; ')}` : issue.message;
      return `${formatIssuePath(issue.path)}: ${message}`;
    }),
  );
}

export function loadPartnerRegistry(file: string): PartnerRegistry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PartnerRegistryError(file, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PartnerRegistryError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parsePartnerRegistry(raw, file);
}

/** The partners that serve any of `roles` in `programmeId`, each with the roles it serves there. */
export function routeNotification(
  registry: PartnerRegistry,
  programmeId: string,
  roles: readonly string[],
): { targets: { partner: PartnerEntry; roles: string[] }[]; unrouted: string[] } {
  const targets: { partner: PartnerEntry; roles: string[] }[] = [];
  const routed = new Set<string>();
  for (const partner of registry.partners) {
    const served = new Set(partner.serves.filter((s) => s.programme === programmeId).flatMap((s) => s.roles));
    const matched = roles.filter((role) => served.has(role));
    if (matched.length === 0) continue;
    matched.forEach((role) => routed.add(role));
    targets.push({ partner, roles: [...new Set(matched)] });
  }
  return { targets, unrouted: [...new Set(roles.filter((role) => !routed.has(role)))] };
}

/** `programme/role` pairs a programme declares that no partner in the registry serves. */
export function unservedRoles(registry: PartnerRegistry, programmes: readonly ProgrammeDefinition[]): string[] {
  const missing: string[] = [];
  for (const programme of programmes) {
    for (const role of new Set(programme.partners.map((p) => p.role))) {
      if (routeNotification(registry, programme.id, [role]).unrouted.length > 0) missing.push(`${programme.id}/${role}`);
    }
  }
  return missing;
}

/** Minimum length of a webhook signing secret (e.g. `openssl rand -hex 32` gives 64). */
export const MIN_SECRET_LENGTH = 32;

/**
 * Reads every webhook's signing secret from the environment; throws naming the
 * variables that are missing or too short (never their values).
 */
export function webhookSecrets(registry: PartnerRegistry, env: NodeJS.ProcessEnv): Map<string, string> {
  const secrets = new Map<string, string>();
  const problems: string[] = [];
  for (const partner of registry.partners) {
    if (!partner.webhook) continue;
    const name = partner.webhook.secretEnv;
    const value = env[name];
    if (value === undefined || value === '') problems.push(`partner "${partner.id}": environment variable ${name} is not set`);
    else if (value.length < MIN_SECRET_LENGTH) {
      problems.push(`partner "${partner.id}": ${name} is shorter than ${MIN_SECRET_LENGTH} characters (try: openssl rand -hex 32)`);
    } else secrets.set(partner.id, value);
  }
  if (problems.length > 0) throw new Error(`webhook signing secrets missing:\n  ${problems.join('\n  ')}`);
  return secrets;
}
