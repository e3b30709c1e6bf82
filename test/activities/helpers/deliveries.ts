/** A real delivery set-up for tests: a registry file pointing at the local receiver and SMTP server, secrets in an env object. */
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createNotifyActivities } from '../../../activities/notify';
import { createPartnerDeliverySink, type PartnerDeliveryResult } from '../../../activities/partner-delivery';
import type { PartnerRegistryInput } from '../../../activities/partner-registry';
import type { NotifyResult, PartnerNotification } from '../../../workflows/activities-api';
import type { Receiver } from './receiver';
import { capturingLogger, exampleRoles, newSecret, secretEnvName, tempDir, writeRegistry } from './setup';
import type { SmtpTestServer } from './smtp';

export interface PartnerSpec {
  readonly id: string;
  readonly roles: readonly string[];
  readonly programme?: string;
  readonly webhook?: boolean;
  readonly email?: boolean;
}

export interface DeliverySetup {
  readonly registryPath: string;
  readonly deliveryLogPath: string;
  readonly env: Record<string, string>;
  readonly secrets: Record<string, string>;
  readonly logger: Logger;
  readonly logText: () => string;
  readonly logLines: () => Record<string, unknown>[];
}

/** Writes the registry (webhooks to `receiver`, e-mail via `smtp`) into a fresh folder. */
export function deliverySetup(partners: readonly PartnerSpec[], servers: { receiver?: Receiver; smtp?: SmtpTestServer }): DeliverySetup {
  const dir = tempDir();
  const secrets: Record<string, string> = {};
  const env: Record<string, string> = { ...(servers.smtp?.env() ?? {}) };
  const registry: PartnerRegistryInput = {
    version: 1,
    roles: exampleRoles(),
    partners: partners.map((p) => {
      const wantsWebhook = p.webhook ?? servers.receiver !== undefined;
      const wantsEmail = p.email ?? servers.smtp !== undefined;
      if (wantsWebhook) {
        secrets[p.id] = newSecret();
        env[secretEnvName(p.id)] = secrets[p.id];
      }
      return {
        id: p.id,
        organisation: `Organisatie ${p.id}`,
        serves: [{ programme: p.programme ?? 'kwalificatiebanen', roles: [...p.roles] }],
        ...(wantsWebhook && servers.receiver ? { webhook: { url: servers.receiver.url(p.id), secretEnv: secretEnvName(p.id), timeoutSeconds: 5 } } : {}),
        ...(wantsEmail ? { email: { to: [`meldingen@${p.id}.example`] } } : {}),
      };
    }),
  };
  const captured = capturingLogger();
  return {
    registryPath: writeRegistry(dir, registry),
    deliveryLogPath: path.join(dir, 'state', 'deliveries.jsonl'),
    env,
    secrets,
    logger: captured.logger,
    logText: captured.text,
    logLines: captured.lines,
  };
}

/** The notifyPartners activity over real delivery, run as the worker would run attempt `attempt`. */
export async function runNotify(setup: DeliverySetup, n: PartnerNotification, attempt = 1): Promise<PartnerDeliveryResult> {
  const sink = await createPartnerDeliverySink({ registryPath: setup.registryPath, deliveryLogPath: setup.deliveryLogPath, logger: setup.logger, env: setup.env });
  const { notifyPartners } = createNotifyActivities(sink);
  const env = new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') });
  const result: NotifyResult = await env.run(notifyPartners, n);
  return result as PartnerDeliveryResult;
}

/** The failure an attempt ended with (or a thrown error if it succeeded). */
export async function failureOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the attempt to fail');
}
