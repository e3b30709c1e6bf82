/**
 * Signals: one per event a partner reports, named after the event type
 * (`placement`, `extension-decided`, …). Payloads are validated with zod inside
 * the workflow; they carry codes and organisation names. Free text about the
 * participant (which may touch on health) travels only as a sealed `note`,
 * encrypted with the participant's own data key (domain/personal.ts).
 */
import { defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { isoDateSchema, NOTE_FIELD, PARTNER_EVENT_TYPES, sealedValueSchema, slugSchema, type PartnerEventType } from '../domain';

/** Optional on every report: the partner's own id for it, so a report sent twice counts once. */
const reportId = z.string().regex(/^[A-Za-z0-9._:-]{1,80}$/, 'reportId: 1–80 letters, digits, dots, colons, underscores or hyphens');
const organisation = z.string().trim().min(1).max(120);
/** A code such as "ready-for-placement" or "contract-ended": a slug, not a sentence. */
const code = slugSchema.max(60);
const name = z.string().trim().min(1).max(120);

function report<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject({ reportId: reportId.optional(), [NOTE_FIELD]: sealedValueSchema.optional(), ...shape });
}

export const placementReportSchema = report({
  employer: organisation,
  withLks: z.boolean().default(false),
  /** Last day of the wage-cost subsidy (LKS), YYYY-MM-DD; required with LKS. */
  lksEndDate: isoDateSchema.optional(),
})
  .refine((p) => !p.withLks || p.lksEndDate !== undefined, {
    message: 'a placement with LKS needs lksEndDate (YYYY-MM-DD)',
    path: ['lksEndDate'],
  })
  .refine((p) => p.withLks || p.lksEndDate === undefined, {
    message: 'lksEndDate only goes with withLks: true',
    path: ['lksEndDate'],
  });

/** The payload schema of every partner event. */
export const reportSchemas = {
  'assessment-completed': report({ conclusion: code }),
  'extension-decided': report({ granted: z.boolean() }),
  placement: placementReportSchema,
  'assignment-started': report({ employer: organisation }),
  'assignment-ended': report({ employer: organisation }),
  dropout: report({ reason: code }),
  'diploma-obtained': report({ diploma: name }),
  'contract-decided': report({ offered: z.boolean() }),
  'case-manager-changed': report({ caseManagerRef: code.optional() }),
  withdrawal: report({ reason: code }),
  'advice-delivered': report({ followUp: code.optional() }),
  'education-started': report({ education: name }),
  'support-requested': report({ level: z.enum(['heavier', 'specialist']) }),
  'support-concluded': report({}),
} satisfies Record<PartnerEventType, z.ZodType>;

export type ReportPayloads = { [T in PartnerEventType]: z.input<(typeof reportSchemas)[T]> };
export type ValidReport = { [T in PartnerEventType]: z.output<(typeof reportSchemas)[T]> }[PartnerEventType];

export type ReportCheck =
  | { readonly ok: true; readonly payload: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string };

/** Validates a payload for an event type; the reason names each problem and its field. */
export function checkReport(type: PartnerEventType, raw: unknown): ReportCheck {
  const result = reportSchemas[type].safeParse(raw ?? {});
  if (result.success) return { ok: true, payload: result.data as Readonly<Record<string, unknown>> };
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
  return { ok: false, reason: `invalid "${type}" payload: ${problems.join('; ')}` };
}

type PartnerSignals = { readonly [T in PartnerEventType]: ReturnType<typeof defineSignal<[ReportPayloads[T]]>> };

/** Signal definitions by event type; the signal name is the event type. */
export const partnerSignals: PartnerSignals = Object.fromEntries(
  PARTNER_EVENT_TYPES.map((type) => [type, defineSignal<[unknown]>(type)]),
) as unknown as PartnerSignals;

export const assessmentCompletedSignal = partnerSignals['assessment-completed'];
export const extensionDecidedSignal = partnerSignals['extension-decided'];
export const placementSignal = partnerSignals.placement;
export const assignmentStartedSignal = partnerSignals['assignment-started'];
export const assignmentEndedSignal = partnerSignals['assignment-ended'];
export const dropoutSignal = partnerSignals.dropout;
export const diplomaObtainedSignal = partnerSignals['diploma-obtained'];
export const contractDecidedSignal = partnerSignals['contract-decided'];
export const caseManagerChangedSignal = partnerSignals['case-manager-changed'];
export const withdrawalSignal = partnerSignals.withdrawal;
export const adviceDeliveredSignal = partnerSignals['advice-delivered'];
export const educationStartedSignal = partnerSignals['education-started'];
export const supportRequestedSignal = partnerSignals['support-requested'];
export const supportConcludedSignal = partnerSignals['support-concluded'];
