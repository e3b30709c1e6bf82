/**
 * The contract between the trajectory workflow and its activities. The workflow
 * only knows this interface; `activities/notify.ts` implements it (issue 4
 * replaces the sink with webhook / e-mail delivery).
 */
import { z } from 'zod';
import { NOTIFIABLE_EVENT_TYPES, sealedValueSchema, type NotifiableEventType } from '../domain';

/** Events the workflow tells partners about: the definition's events plus reminders and escalations. */
export const NOTIFICATION_EVENT_TYPES = [...NOTIFIABLE_EVENT_TYPES, 'deadline-reminder', 'deadline-escalation'] as const;
export type NotificationEventType = NotifiableEventType | 'deadline-reminder' | 'deadline-escalation';

/** Plain values only: codes, dates, organisation names; never personal data. */
export type NotificationFields = Readonly<Record<string, string | number | boolean>>;

export const partnerNotificationSchema = z.strictObject({
  /** Unique per trajectory event: `<workflowId>/<first run id>/<sequence>`; deliver at most once per key. */
  idempotencyKey: z.string().min(1),
  workflowId: z.string().min(1),
  programmeId: z.string().min(1),
  /** Pseudonymous participant reference. */
  participantRef: z.string().min(1),
  /** The event's number on the trajectory's timeline (1, 2, …). */
  sequence: z.number().int().min(1),
  event: z.enum(NOTIFICATION_EVENT_TYPES),
  /** Partner roles to tell, as the programme definition names them. */
  roles: z.array(z.string().min(1)).min(1),
  /** When it happened (ISO 8601, UTC) and on which Amsterdam calendar date. */
  occurredAt: z.string().min(1),
  occurredOn: z.string().min(1),
  phase: z.strictObject({ id: z.string(), name: z.string() }).optional(),
  /** A one-line Dutch description. */
  text: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** The participant's sealed personal details, when the trajectory has them: opened only for roles allowed a personal field. */
  personal: sealedValueSchema.optional(),
  /** The report's sealed free-text note, when it has one. */
  note: sealedValueSchema.optional(),
});

export type PartnerNotification = z.infer<typeof partnerNotificationSchema>;

export interface NotifyResult {
  /** False when this idempotency key was delivered before (a retry or a replay). */
  readonly delivered: boolean;
}

export interface TrajectoryActivities {
  notifyPartners(notification: PartnerNotification): Promise<NotifyResult>;
}
