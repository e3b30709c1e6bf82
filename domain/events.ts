/**
 * Names of the events a trajectory reacts to. Programme definitions refer to
 * them by name; the workflow validates each signal's payload.
 */

/**
 * Events that partners report (sent to the trajectory as signals). The payload
 * fields named here are the ones programme definitions may match on in a
 * transition's `when`.
 */
export const PARTNER_EVENT_TYPES = [
  /** An assessment is done; `conclusion` e.g. 'ready-for-placement', 'not-suitable'. */
  'assessment-completed',
  /** The approver decided on an extension of the current phase; `granted: boolean`. */
  'extension-decided',
  /** Start of paid work; `employer`, `withLks: boolean`, `lksEndDate` (YYYY-MM-DD) when with LKS. */
  'placement',
  /** Start of an assignment at an employer (one contract, several employers); `employer`. */
  'assignment-started',
  /** End of an assignment at an employer; `employer`. */
  'assignment-ended',
  /** The participant left work or the track early; `reason`. */
  'dropout',
  /** A diploma or certificate was obtained; `diploma`. */
  'diploma-obtained',
  /** The employer decided on a (permanent) contract; `offered: boolean`. */
  'contract-decided',
  /** A new case manager (klantmanager) took over. */
  'case-manager-changed',
  /** The trajectory is stopped by the municipality or the participant; `reason`. */
  'withdrawal',
  /** A substantiated advice (onderbouwd advies) for a follow-up trajectory was delivered. */
  'advice-delivered',
  /** The participant started an education, e.g. a BBL track; `education`. */
  'education-started',
  /** Heavier or specialist support is needed; `level: 'heavier' | 'specialist'`. */
  'support-requested',
  /** The heavier or specialist support ended; guidance returns to the work floor. */
  'support-concluded',
] as const;

export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

/** Events the trajectory itself produces; partners can be notified of them. */
export const TRAJECTORY_EVENT_TYPES = [
  'trajectory-started',
  'phase-entered',
  'needs-attention',
  'trajectory-ended',
] as const;

export type TrajectoryEventType = (typeof TRAJECTORY_EVENT_TYPES)[number];

/** Every event type a notification rule may name. */
export const NOTIFIABLE_EVENT_TYPES = [...PARTNER_EVENT_TYPES, ...TRAJECTORY_EVENT_TYPES] as const;

export type NotifiableEventType = PartnerEventType | TrajectoryEventType;

export function isPartnerEventType(value: string): value is PartnerEventType {
  return (PARTNER_EVENT_TYPES as readonly string[]).includes(value);
}
