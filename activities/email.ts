/**
 * E-mail delivery over SMTP (nodemailer): the Dutch plain-text template of
 * templates.ts, a Message-ID derived from the event key and the partner (so a
 * resent copy is recognisably the same message), and the SMTP connection from
 * the environment, never from the partner file. The server's answer decides
 * what happens next: accepted is confirmed; a 5xx refusal is final; a 4xx
 * answer, a connection, TLS or login problem is tried again later.
 */
import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { formatIssuePath } from '../domain';
import type { PartnerMessage } from './least-data';
import { errorCode, type SendOutcome } from './outcome';
import { renderEmail } from './templates';

const flag = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: `${name} must be true or false` })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional();

const smtpEnvSchema = z
  .object({
    SMTP_HOST: z.string({ error: 'SMTP_HOST is not set' }).min(1, 'SMTP_HOST is empty'),
    SMTP_PORT: z
      .string()
      .regex(/^\d{1,5}$/, 'SMTP_PORT must be a port number')
      .transform(Number)
      .refine((port) => port >= 1 && port <= 65535, 'SMTP_PORT must be 1–65535')
      .optional(),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASS: z.string().min(1).optional(),
    SMTP_FROM: z.email({ error: 'SMTP_FROM must be an e-mail address (the sender)' }),
    SMTP_FROM_NAME: z.string().min(1).max(100).optional(),
    /** Implicit TLS from the first byte (port 465); default: on for port 465. */
    SMTP_SECURE: flag('SMTP_SECURE'),
    /** Refuse to send unless STARTTLS succeeds; default true. */
    SMTP_REQUIRE_TLS: flag('SMTP_REQUIRE_TLS'),
    /** Check the server's certificate; default true. */
    SMTP_TLS_REJECT_UNAUTHORIZED: flag('SMTP_TLS_REJECT_UNAUTHORIZED'),
    /** A PEM file with the CA(s) to trust for the server's certificate (a private CA). */
    SMTP_TLS_CA_FILE: z.string().min(1).optional(),
  })
  .refine((env) => (env.SMTP_USER === undefined) === (env.SMTP_PASS === undefined), {
    message: 'set SMTP_USER and SMTP_PASS together, or neither',
    path: ['SMTP_PASS'],
  });

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly requireTLS: boolean;
  readonly rejectUnauthorized: boolean;
  readonly ca?: string;
  readonly auth?: { readonly user: string; readonly pass: string };
  readonly from: string;
  readonly fromName: string;
}

/** The SMTP connection from SMTP_* variables; throws naming each variable that is wrong (not its value). */
export function smtpConfigFromEnv(env: NodeJS.ProcessEnv): SmtpConfig {
  const picked = Object.fromEntries(Object.entries(env).filter(([name, value]) => name.startsWith('SMTP_') && value !== ''));
  const parsed = smtpEnvSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length > 0 && !i.message.includes(String(i.path[0])) ? `${formatIssuePath(i.path)}: ${i.message}` : i.message));
    throw new Error(`SMTP settings for e-mail to partners:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const port = e.SMTP_PORT ?? (e.SMTP_SECURE ? 465 : 587);
  let ca: string | undefined;
  if (e.SMTP_TLS_CA_FILE !== undefined) {
    try {
      ca = readFileSync(e.SMTP_TLS_CA_FILE, 'utf8');
    } catch {
      throw new Error(`SMTP_TLS_CA_FILE: cannot read ${e.SMTP_TLS_CA_FILE}`);
    }
  }
  return {
    host: e.SMTP_HOST,
    port,
    secure: e.SMTP_SECURE ?? port === 465,
    requireTLS: e.SMTP_REQUIRE_TLS ?? true,
    rejectUnauthorized: e.SMTP_TLS_REJECT_UNAUTHORIZED ?? true,
    ...(ca !== undefined ? { ca } : {}),
    ...(e.SMTP_USER !== undefined && e.SMTP_PASS !== undefined ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASS } } : {}),
    from: e.SMTP_FROM,
    fromName: e.SMTP_FROM_NAME ?? 'Trajectmeldingen',
  };
}

/** `<1f0c…e2.work2@meldingen.example>`: the same for every copy of this event to this partner. */
export function emailMessageId(message: Pick<PartnerMessage, 'id' | 'recipient'>, from: string): string {
  const domain = from.slice(from.lastIndexOf('@') + 1);
  return `<${message.id}.${message.recipient.partner}@${domain}>`;
}

export function classifySmtpError(error: unknown): SendOutcome {
  const code = errorCode(error);
  const responseCode = (error as { responseCode?: unknown }).responseCode;
  if (typeof responseCode === 'number') {
    const detail = `SMTP ${responseCode} (${code})`;
    // A refused login is a settings problem an operator fixes: keep trying rather than lose the message.
    if (responseCode >= 500 && code !== 'EAUTH') return { kind: 'rejected', detail };
    return { kind: 'retry', detail };
  }
  return { kind: 'retry', detail: `SMTP ${code}` };
}

export type EmailSender = (to: readonly string[], message: PartnerMessage) => Promise<SendOutcome>;

/** A sender over one SMTP configuration; a connection per message (notifications are few). */
export function createEmailSender(config: SmtpConfig): EmailSender {
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && config.requireTLS,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    tls: { rejectUnauthorized: config.rejectUnauthorized, ...(config.ca !== undefined ? { ca: config.ca } : {}) },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  });
  return async (to, message) => {
    const mail = renderEmail(message);
    try {
      const info = await transport.sendMail({
        from: { name: config.fromName, address: config.from },
        to: [...to],
        subject: mail.subject,
        text: mail.text,
        messageId: emailMessageId(message, config.from),
        headers: { 'X-Trajectory-Event': message.event, 'X-Idempotency-Key': message.id, 'Auto-Submitted': 'auto-generated' },
      });
      const accepted = info.accepted?.length ?? 0;
      const rejected = info.rejected?.length ?? 0;
      return { kind: 'confirmed', detail: rejected > 0 ? `SMTP accepted ${accepted} of ${accepted + rejected} recipients` : 'SMTP accepted' };
    } catch (error) {
      return classifySmtpError(error);
    }
  };
}
