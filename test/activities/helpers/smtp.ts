/**
 * A real SMTP server for tests (the `smtp-server` package) on a free port, with
 * STARTTLS on a test certificate for localhost and a login, keeping every
 * message it accepted (raw, plus the headers and text decoded). Tests can make
 * it refuse the next messages with a given SMTP code.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export const TEST_CA_FILE = path.join(__dirname, '../fixtures/localhost-cert.pem');
const KEY_FILE = path.join(__dirname, '../fixtures/localhost-key.pem');

export interface ReceivedMail {
  readonly raw: string;
  readonly recipients: string[];
  readonly headers: Record<string, string>;
  readonly subject: string;
  readonly messageId: string;
  readonly text: string;
  readonly secure: boolean;
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`). */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

export function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

export class SmtpTestServer {
  readonly mails: ReceivedMail[] = [];
  /** SMTP codes to refuse the next messages with (consumed one per message). */
  readonly refusals: number[] = [];
  private readonly server: SMTPServer;

  private constructor(readonly user: string, readonly pass: string) {
    this.server = new SMTPServer({
      key: readFileSync(KEY_FILE),
      cert: readFileSync(TEST_CA_FILE),
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.pass) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const refusal = this.refusals.shift();
          if (refusal !== undefined) {
            callback(Object.assign(new Error(`refused by test (${refusal})`), { responseCode: refusal }));
            return;
          }
          const raw = Buffer.concat(chunks).toString('latin1');
          const { headers, text } = parseMail(raw);
          this.mails.push({
            raw,
            recipients: session.envelope.rcptTo.map((r) => r.address),
            headers,
            subject: decodeWords(headers.subject ?? ''),
            messageId: headers['message-id'] ?? '',
            text,
            secure: session.secure,
          });
          callback();
        });
      },
    });
  }

  static async start(user = 'meldingen', pass = 'test-wachtwoord'): Promise<SmtpTestServer> {
    const smtp = new SmtpTestServer(user, pass);
    await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
    return smtp;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** SMTP_* variables for a client of this server (STARTTLS required, the test CA trusted). */
  env(): Record<string, string> {
    return {
      SMTP_HOST: 'localhost',
      SMTP_PORT: String(this.port),
      SMTP_USER: this.user,
      SMTP_PASS: this.pass,
      SMTP_FROM: 'trajecten@meldingen.example',
      SMTP_TLS_CA_FILE: TEST_CA_FILE,
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
