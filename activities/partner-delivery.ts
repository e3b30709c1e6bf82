/**
 * Real delivery of partner notifications: routes a notification to the
 * partners that serve its roles in its programme, builds each partner's
 * least-data message, and sends it over each of the partner's channels that the
 * delivery log does not already record as done. Channels are tried side by
 * side; every final outcome is flushed to the delivery log before it counts.
 *
 * At least once: a send whose confirmation was not yet logged when the worker
 * died is sent again on the activity's retry, with the same idempotency key /
 * Message-ID, so a receiver that honours the key sees the event once.
 *
 * The activity then: succeeds when every channel is confirmed; fails for a
 * retry (with Retry-After as the next delay) while any channel should be tried
 * again; fails for good when a receiver refused (its refusal is logged, so the
 * other channels are not sent twice meanwhile).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { NotifyResult, PartnerNotification } from '../workflows/activities-api';
import { DeliveryLog, type DeliveryChannel } from './delivery-log';
import { createEmailSender, smtpConfigFromEnv, type EmailSender } from './email';
import { allowance, eventKey, partnerMessage } from './least-data';
import type { DeliveryContext, NotificationSink } from './notify';
import type { SendOutcome } from './outcome';
import { openPersonalData, wantsPersonalData, type SealedOpener } from './personal-data';
import { loadPartnerRegistry, routeNotification, webhookSecrets, type PartnerEntry, type PartnerRegistry } from './partner-registry';
import { sendWebhook } from './webhook';

/** The pino shape this module logs through (a pino logger fits). */
export interface DeliveryLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Upper bound on a receiver's Retry-After (the workflow's own maximum interval). */
const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;

export interface PartnerDeliveryOptions {
  readonly registry: PartnerRegistry;
  readonly log: DeliveryLog;
  readonly logger: DeliveryLogger;
  /** Webhook signing secrets by partner id (see `webhookSecrets`). */
  readonly secrets: ReadonlyMap<string, string>;
  /** Needed when any partner has an e-mail channel. */
  readonly email?: EmailSender;
  /** Opens sealed personal data for roles allowed to receive it; without it none is sent. */
  readonly opener?: SealedOpener;
}

export interface ChannelResult {
  readonly partner: string;
  readonly channel: DeliveryChannel;
  /** `sent`: confirmed now; `already`: confirmed by an earlier attempt; `rejected` / `retry`: see the detail. */
  readonly status: 'sent' | 'already' | 'rejected' | 'retry';
  readonly detail: string;
}

export interface PartnerDeliveryResult extends NotifyResult {
  readonly channels: readonly ChannelResult[];
  /** Roles of the notification that no partner in the registry serves in this programme. */
  readonly unrouted: readonly string[];
}

type Settled = ChannelResult & { readonly retryAfterMs?: number };

interface Attempt {
  readonly partner: PartnerEntry;
  readonly channel: DeliveryChannel;
  readonly send: () => Promise<SendOutcome>;
}

export class PartnerDeliverySink implements NotificationSink {
  constructor(private readonly options: PartnerDeliveryOptions) {
    const needsEmail = options.registry.partners.some((p) => p.email !== undefined);
    if (needsEmail && !options.email) throw new Error('the partner registry has e-mail channels but no SMTP sender was given');
    for (const partner of options.registry.partners) {
      if (partner.webhook && !options.secrets.has(partner.id)) throw new Error(`no webhook secret for partner "${partner.id}"`);
    }
  }

  /** Always false: which channels are done is decided per partner and channel in `deliver`. */
  has(): boolean {
    return false;
  }

  async deliver(notification: PartnerNotification, context: DeliveryContext = {}): Promise<PartnerDeliveryResult> {
    const { registry, log, logger } = this.options;
    const { targets, unrouted } = routeNotification(registry, notification.programmeId, notification.roles);
    const base = { event: notification.event, sequence: notification.sequence, programme: notification.programmeId, attempt: context.attempt };
    if (unrouted.length > 0) logger.warn({ ...base, roles: unrouted }, 'no partner in the registry for these roles');

    // Decrypt only the personal fields some receiving role may have, once for all partners.
    const wanted = new Set(targets.flatMap(({ roles }) => [...allowance(registry, roles).fields]));
    const personal = wantsPersonalData(wanted) ? openPersonalData(notification, this.options.opener, wanted) : { values: {} };
    if (personal.unavailable) logger.info({ ...base, personalData: personal.unavailable }, 'personal data not sent: it could not be opened');

    const attempts: Attempt[] = [];
    for (const { partner, roles } of targets) {
      const message = partnerMessage(registry, notification, partner, roles, personal.values);
      const webhook = partner.webhook;
      if (webhook) {
        const target = { url: webhook.url, secret: this.options.secrets.get(partner.id) as string, timeoutSeconds: webhook.timeoutSeconds };
        attempts.push({ partner, channel: 'webhook', send: () => sendWebhook(target, message, context.signal) });
      }
      const email = partner.email;
      const sender = this.options.email;
      if (email && sender) attempts.push({ partner, channel: 'email', send: () => sender(email.to, message) });
    }

    const key = eventKey(notification.idempotencyKey);
    const channels = await Promise.all(
      attempts.map(async ({ partner, channel, send }): Promise<Settled> => {
        const where = { ...base, key, partner: partner.id, channel };
        const done = await log.find(key, partner.id, channel);
        if (done) return { partner: partner.id, channel, status: done.outcome === 'confirmed' ? 'already' : 'rejected', detail: done.detail };
        const outcome = await send();
        if (outcome.kind === 'retry') {
          logger.warn({ ...where, detail: outcome.detail, retryAfterMs: outcome.retryAfterMs }, 'partner delivery will be retried');
          return { partner: partner.id, channel, status: 'retry', detail: outcome.detail, retryAfterMs: outcome.retryAfterMs };
        }
        await log.record({ key, partner: partner.id, channel, outcome: outcome.kind, detail: outcome.detail });
        if (outcome.kind === 'rejected') {
          logger.warn({ ...where, detail: outcome.detail }, 'partner refused the notification');
          return { partner: partner.id, channel, status: 'rejected', detail: outcome.detail };
        }
        logger.info({ ...where, detail: outcome.detail }, 'partner notification delivered');
        return { partner: partner.id, channel, status: 'sent', detail: outcome.detail };
      }),
    );

    const retrying = channels.filter((c) => c.status === 'retry');
    if (retrying.length > 0) {
      const delays = retrying.map((c) => c.retryAfterMs).filter((d): d is number => d !== undefined);
      throw ApplicationFailure.create({
        type: 'PartnerDeliveryRetry',
        message: `partner delivery incomplete: ${describe(retrying)}`,
        nonRetryable: false,
        ...(delays.length > 0 ? { nextRetryDelay: Math.min(Math.max(...delays), MAX_RETRY_AFTER_MS) } : {}),
      });
    }
    const rejected = channels.filter((c) => c.status === 'rejected');
    if (rejected.length > 0) {
      throw ApplicationFailure.nonRetryable(`partner refused the notification: ${describe(rejected)}`, 'PartnerDeliveryRejected');
    }
    return { delivered: channels.some((c) => c.status === 'sent'), channels: channels.map(stripDelay), unrouted };
  }
}

function stripDelay(c: ChannelResult): ChannelResult {
  return { partner: c.partner, channel: c.channel, status: c.status, detail: c.detail };
}

function describe(channels: readonly ChannelResult[]): string {
  return channels.map((c) => `${c.partner} ${c.channel} ${c.detail}`).join('; ');
}

export interface PartnerDeliveryFromFiles {
  readonly registryPath: string;
  readonly deliveryLogPath: string;
  readonly logger: DeliveryLogger;
  /** Where secrets and SMTP settings come from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Opens sealed personal data (the participant key store). */
  readonly opener?: SealedOpener;
}

/** Loads the registry, reads the secrets and SMTP settings, opens the delivery log; throws naming what is wrong. */
export async function createPartnerDeliverySink(options: PartnerDeliveryFromFiles): Promise<PartnerDeliverySink> {
  const env = options.env ?? process.env;
  const registry = loadPartnerRegistry(options.registryPath);
  const secrets = webhookSecrets(registry, env);
  const email = registry.partners.some((p) => p.email !== undefined) ? createEmailSender(smtpConfigFromEnv(env)) : undefined;
  const log = await DeliveryLog.open(options.deliveryLogPath);
  options.logger.info(
    { partners: registry.partners.length, deliveryLog: log.file, recorded: log.size, unreadableLines: log.unreadableLines },
    'partner delivery ready',
  );
  return new PartnerDeliverySink({ registry, log, logger: options.logger, secrets, ...(email ? { email } : {}), ...(options.opener ? { opener: options.opener } : {}) });
}
