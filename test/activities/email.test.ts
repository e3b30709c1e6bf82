/** E-mail delivery against a real local SMTP server (STARTTLS, login): the Dutch mail, its stable Message-ID, refusals and retries. */
import { ApplicationFailure } from '@temporalio/common';
import { eventKey } from '../../activities/least-data';
import { deliverySetup, failureOf, runNotify } from './helpers/deliveries';
import { notification } from './helpers/setup';
import { SmtpTestServer } from './helpers/smtp';

let smtp: SmtpTestServer;
beforeEach(async () => {
  smtp = await SmtpTestServer.start();
});
afterEach(async () => {
  await smtp.close();
});

test('the partner receives a Dutch plain-text mail over TLS with a Message-ID derived from the event key', async () => {
  const setup = deliverySetup([{ id: 'gemeente-rotterdam', roles: ['case-manager', 'municipality'] }], { smtp });
  const n = notification({ roles: ['case-manager'], fields: { employer: 'Havenbedrijf Voorbeeld', withLks: true, lksEndDate: '2027-12-31' } });

  expect(await runNotify(setup, n)).toMatchObject({ delivered: true, channels: [{ partner: 'gemeente-rotterdam', channel: 'email', status: 'sent' }] });

  expect(smtp.mails).toHaveLength(1);
  const mail = smtp.mails[0];
  expect(mail.secure).toBe(true);
  expect(mail.recipients).toEqual(['meldingen@gemeente-rotterdam.example']);
  expect(mail.messageId).toBe(`<${eventKey(n.idempotencyKey)}.gemeente-rotterdam@meldingen.example>`);
  expect(mail.headers['x-idempotency-key']).toBe(eventKey(n.idempotencyKey));
  expect(mail.headers.from).toBe('Trajectmeldingen <trajecten@meldingen.example>');
  expect(mail.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/);
  expect(mail.subject).toBe('Kwalificatiebanen: Plaatsing (deelnemer p-7f3a9c)');
  expect(mail.text).toBe(
    [
      'Beste Organisatie gemeente-rotterdam,',
      '',
      'De deelnemer is geplaatst bij Havenbedrijf Voorbeeld, met loonkostensubsidie tot en met 31 december 2027.',
      '',
      'Programma: Kwalificatiebanen',
      'Gebeurtenis: Plaatsing',
      'Datum: 15 juni 2027',
      'Deelnemer (kenmerk): p-7f3a9c',
      'Fase: Voortraject',
      'Werkgever: Havenbedrijf Voorbeeld',
      'Met loonkostensubsidie: ja',
      'Einde loonkostensubsidie: 31 december 2027',
      '',
      `Kenmerk van deze melding: ${eventKey(n.idempotencyKey)} (volgnummer 5)`,
      '',
      'U ontvangt deze melding als klantmanager in dit programma. Zij bevat alleen de gegevens die u in die rol nodig hebt.',
      'Dit is een automatisch bericht; een antwoord op dit bericht wordt niet gelezen.',
      '',
    ].join('\n'),
  );
});

test('a mail sent again after a lost confirmation keeps its Message-ID, so the receiving side can drop the copy', async () => {
  const setup = deliverySetup([{ id: 'work2', roles: ['training-company'] }], { smtp });
  const ended = notification({ event: 'trajectory-ended', roles: ['training-company'], sequence: 9, fields: { outcome: 'uitval', category: 'dropout' } });
  await runNotify(setup, ended);
  // A second worker without the first one's delivery log (as if the confirmation was never logged) sends again.
  await runNotify({ ...setup, deliveryLogPath: `${setup.deliveryLogPath}.other` }, ended, 2);
  expect(smtp.mails.map((m) => m.subject)).toEqual(['Kwalificatiebanen: Traject afgerond (deelnemer p-7f3a9c)', 'Kwalificatiebanen: Traject afgerond (deelnemer p-7f3a9c)']);
  expect(smtp.mails[1].messageId).toBe(smtp.mails[0].messageId);
  expect(smtp.mails[0].text).toContain('Het traject is afgerond met uitkomst uitval.');
});

test('a 5xx refusal is final; a 4xx answer and a wrong login are retried', async () => {
  const setup = deliverySetup([{ id: 'work2', roles: ['training-company'] }], { smtp });
  const n = notification({ roles: ['training-company'] });

  smtp.refusals.push(451);
  const later = await failureOf(runNotify(setup, n));
  expect(later).toBeInstanceOf(ApplicationFailure);
  expect(later).toMatchObject({ type: 'PartnerDeliveryRetry', nonRetryable: false });
  expect(String(later.message)).toMatch(/^partner delivery incomplete: work2 email SMTP 451/);

  const wrongLogin = await failureOf(runNotify({ ...setup, env: { ...setup.env, SMTP_PASS: 'wrong' } }, n, 2));
  expect(wrongLogin).toMatchObject({ type: 'PartnerDeliveryRetry', nonRetryable: false });
  expect(String(wrongLogin.message)).toContain('(EAUTH)');
  expect(String(wrongLogin.message)).not.toContain('wrong');

  smtp.refusals.push(550);
  const refused = await failureOf(runNotify(setup, n, 3));
  expect(refused).toMatchObject({ type: 'PartnerDeliveryRejected', nonRetryable: true });
  expect(String(refused.message)).toMatch(/^partner refused the notification: work2 email SMTP 550/);
  expect(smtp.mails).toHaveLength(0);
});

test('a partner with a webhook and e-mail gets both; a failing channel does not resend the confirmed one', async () => {
  const { Receiver } = await import('./helpers/receiver');
  const receiver = await Receiver.start();
  try {
    const setup = deliverySetup([{ id: 'work2', roles: ['training-company'] }], { smtp, receiver });
    Object.assign(receiver.secrets, setup.secrets);
    const n = notification({ roles: ['training-company'] });
    smtp.refusals.push(421);
    await failureOf(runNotify(setup, n));
    expect(await runNotify(setup, n, 2)).toMatchObject({
      delivered: true,
      channels: [
        { channel: 'webhook', status: 'already' },
        { channel: 'email', status: 'sent' },
      ],
    });
    expect(receiver.requests).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  } finally {
    await receiver.close();
  }
});
