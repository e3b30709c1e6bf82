/**
 * What starts a trajectory: a pseudonymous participant reference, the full
 * programme definition it is pinned to, the start date and where it runs.
 * Validated with zod inside the workflow (and by starters before they start).
 */
import { z } from 'zod';
import {
  isoDateSchema,
  programmeDefinitionSchema,
  PARTICIPANT_REF_PATTERN,
  passesElfproef,
  programmeFingerprint,
  sealedValueSchema,
  slugSchema,
  textSchema,
  type ProgrammeDefinition,
  type ProgrammeDefinitionInput,
  type SealedValue,
} from '../domain';

/** True when a run of nine digits passes the BSN "elfproef" (so it may be a citizen service number). */
export function looksLikeBsn(text: string): boolean {
  for (const match of text.matchAll(/(?<!\d)\d{9}(?!\d)/g)) if (passesElfproef(match[0])) return true;
  return false;
}

/**
 * A pseudonymous participant reference: lower-case letters, digits and hyphens,
 * 3–40 characters, never a name or a BSN. It appears in the workflow id.
 */
export const participantRefSchema = z
  .string()
  .regex(PARTICIPANT_REF_PATTERN, 'use a pseudonymous reference: 3–40 lower-case letters, digits and hyphens')
  .refine((ref) => !/^\d+$/.test(ref), { message: 'a reference of digits only looks like a personal number; use a pseudonym' })
  .refine((ref) => !looksLikeBsn(ref), { message: 'this reference contains what looks like a BSN; use a pseudonym' });

export const trajectoryInputSchema = z
  .strictObject({
    participantRef: participantRefSchema,
    /** The full definition; the trajectory keeps it for its whole life. */
    programme: programmeDefinitionSchema,
    /** First day of the trajectory (YYYY-MM-DD, Europe/Amsterdam). */
    startDate: isoDateSchema,
    /** One of the programme's regions (its id), when it declares regions. */
    region: slugSchema.optional(),
    /** The paying municipality (a place name, not personal data). */
    municipality: textSchema.max(100).optional(),
    /** Override of the programme's quiet period: weeks without any reported event before "needs attention". */
    attentionAfterWeeks: z.number().int().min(1).max(104).optional(),
    /** The participant's personal details, sealed with their own data key (domain/personal.ts); never plain. */
    personal: sealedValueSchema.optional(),
  })
  .superRefine((input, ctx) => {
    const regions = input.programme.regions;
    if (input.region === undefined) return;
    const region = regions.find((r) => r.id === input.region);
    if (!region) {
      const known = regions.map((r) => `"${r.id}"`).join(', ') || '(none)';
      ctx.addIssue({ code: 'custom', path: ['region'], message: `programme "${input.programme.id}" has no region "${input.region}"; its regions: ${known}` });
      return;
    }
    if (input.municipality !== undefined && region.municipalities && !region.municipalities.includes(input.municipality)) {
      ctx.addIssue({
        code: 'custom',
        path: ['municipality'],
        message: `"${input.municipality}" is not in region "${region.name}" (${region.municipalities.join(', ')})`,
      });
    }
  });

/** What a starter passes: the definition may still lack its defaults. */
export interface TrajectoryInput {
  readonly participantRef: string;
  readonly programme: ProgrammeDefinition | ProgrammeDefinitionInput;
  readonly startDate: string;
  readonly region?: string;
  readonly municipality?: string;
  readonly attentionAfterWeeks?: number;
  readonly personal?: SealedValue;
}

/** A validated input, with the definition's defaults applied. */
export type ValidTrajectoryInput = z.output<typeof trajectoryInputSchema>;

export type InputCheck =
  | { readonly ok: true; readonly input: ValidTrajectoryInput; readonly fingerprint: string }
  | { readonly ok: false; readonly message: string };

/** Validates an input; the message names the path of every problem. */
export function checkTrajectoryInput(raw: unknown): InputCheck {
  const result = trajectoryInputSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    return { ok: false, message: `invalid trajectory input:\n  - ${lines.join('\n  - ')}` };
  }
  return { ok: true, input: result.data, fingerprint: programmeFingerprint(result.data.programme) };
}

/** Memo keys that record which definition a trajectory is pinned to. */
export const PINNED_MEMO = { id: 'programmeId', version: 'programmeVersion', fingerprint: 'programmeFingerprint' } as const;

export const WORKFLOW_ID_PREFIX = 'traject-';

/** Readable and free of personal data: `traject-kwalificatiebanen-p-7f3a9c`. */
export function trajectoryWorkflowId(programmeId: string, participantRef: string): string {
  return `${WORKFLOW_ID_PREFIX}${programmeId}-${participantRef}`;
}

/** The participant reference in a workflow id `traject-<programme>-<ref>`, given the programme. */
export function participantRefOf(workflowId: string, programmeId: string | undefined): string | undefined {
  const prefix = `${WORKFLOW_ID_PREFIX}${programmeId ?? ''}-`;
  return programmeId && workflowId.startsWith(prefix) ? workflowId.slice(prefix.length) : undefined;
}
