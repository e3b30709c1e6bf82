/**
 * The `notifyPartners` activity: tells partner roles what happened in a
 * trajectory. It hands each notification to a sink: an in-memory list for tests
 * and demos, a log line, or real delivery by webhook and e-mail
 * (`PartnerDeliverySink` in partner-delivery.ts, which decides per partner and
 * channel what was already delivered).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { partnerNotificationSchema, type NotifyResult, type PartnerNotification, type TrajectoryActivities } from '../workflows/activities-api';

/** What the activity tells a sink about the attempt it runs in. */
export interface DeliveryContext {
  /** Aborted when the activity is cancelled (or times out on the worker). */
  readonly signal?: AbortSignal;
  /** The activity's attempt number (1 on the first try). */
  readonly attempt?: number;
}

export interface NotificationSink {
  /** Whether this idempotency key was delivered before. */
  has(idempotencyKey: string): boolean | Promise<boolean>;
  /** Delivers; may return the result (default `{ delivered: true }`). */
  deliver(notification: PartnerNotification, context?: DeliveryContext): void | NotifyResult | Promise<void | NotifyResult>;
}

/** Keeps every notification in order of delivery; tests assert on `notifications`. */
export class MemoryNotificationSink implements NotificationSink {
  readonly notifications: PartnerNotification[] = [];
  private readonly keys = new Set<string>();

  has(idempotencyKey: string): boolean {
    return this.keys.has(idempotencyKey);
  }

  deliver(notification: PartnerNotification): void {
    this.keys.add(notification.idempotencyKey);
    this.notifications.push(notification);
  }

  /** Notifications of one trajectory, in event order. */
  forWorkflow(workflowId: string): PartnerNotification[] {
    return this.notifications.filter((n) => n.workflowId === workflowId).sort((a, b) => a.sequence - b.sequence);
  }

  clear(): void {
    this.notifications.length = 0;
    this.keys.clear();
  }
}

/** The minimal logger shape (pino's `info` fits). */
export interface NotificationLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

/** Writes one log line per notification: event, roles, trajectory; no participant data beyond the pseudonym. */
export class LoggingNotificationSink implements NotificationSink {
  private readonly keys = new Set<string>();

  constructor(private readonly logger: NotificationLogger) {}

  has(idempotencyKey: string): boolean {
    return this.keys.has(idempotencyKey);
  }

  deliver(n: PartnerNotification): void {
    this.keys.add(n.idempotencyKey);
    this.logger.info(
      { idempotencyKey: n.idempotencyKey, workflowId: n.workflowId, event: n.event, roles: n.roles, sequence: n.sequence, phase: n.phase?.id },
      'partner notification',
    );
  }
}

export function createNotifyActivities(sink: NotificationSink): TrajectoryActivities {
  return {
    async notifyPartners(raw: PartnerNotification): Promise<NotifyResult> {
      const parsed = partnerNotificationSchema.safeParse(raw);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ');
        throw ApplicationFailure.nonRetryable(`invalid partner notification: ${problems}`, 'InvalidNotification');
      }
      if (await sink.has(parsed.data.idempotencyKey)) return { delivered: false };
      const result = await sink.deliver(parsed.data, activityContext());
      return result ?? { delivered: true };
    },
  };
}

function activityContext(): DeliveryContext {
  try {
    const context = Context.current();
    return { signal: context.cancellationSignal, attempt: context.info.attempt };
  } catch {
    return {}; // called outside an activity (a script or a test)
  }
}
