/** The partner registry file: validation with paths, secrets only from the environment, the example covering all five programmes. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { smtpConfigFromEnv } from '../../activities/email';
import {
  loadPartnerRegistry,
  parsePartnerRegistry,
  routeNotification,
  unservedRoles,
  webhookSecrets,
  type PartnerRegistryInput,
} from '../../activities/partner-registry';
import { builtInProgrammes } from '../../domain';
import { EXAMPLE_REGISTRY, newSecret, tempDir } from './helpers/setup';

const valid: PartnerRegistryInput = {
  version: 1,
  roles: { municipality: { participantRef: true, fields: ['bsn', 'employer'] }, 'training-company': { fields: ['employer'] } },
  partners: [
    {
      id: 'work2',
      organisation: 'Work2',
      serves: [{ programme: 'kwalificatiebanen', roles: ['training-company'] }],
      webhook: { url: 'https://work2.example/meldingen', secretEnv: 'PARTNER_WORK2_SECRET' },
    },
    {
      id: 'gemeente-rotterdam',
      organisation: 'Gemeente Rotterdam',
      serves: [{ programme: 'kwalificatiebanen', roles: ['municipality'] }],
      email: { to: ['meldingen@rotterdam.example'] },
    },
  ],
};

function problems(raw: unknown): string[] {
  try {
    parsePartnerRegistry(raw, 'partners.json');
  } catch (error) {
    return (error as { problems: string[] }).problems;
  }
  throw new Error('expected the registry to be refused');
}

test('a valid registry loads with its defaults: roles receive nothing unless listed', () => {
  const registry = parsePartnerRegistry(valid);
  expect(registry.roles['training-company']).toEqual({ participantRef: false, phase: false, fields: ['employer'] });
  expect(registry.partners[0].webhook?.timeoutSeconds).toBe(10);
});

test('every problem is reported with its path in the file', () => {
  const broken = {
    version: 1,
    roles: { 'training-company': { fields: ['employer', 'bsn'] }, Employer: {} },
    partners: [
      { id: 'work2', organisation: 'Work2', serves: [{ programme: 'kwalificatiebanen', roles: ['training-company', 'school'] }] },
      {
        id: 'work2',
        organisation: 'Work2 bis',
        serves: [{ programme: 'kwalificatiebanen', roles: ['training-company'] }],
        webhook: { url: 'http://work2.example/hook', secretEnv: 'lower_case' },
        email: { to: ['not an address'] },
      },
    ],
  };
  expect(problems(broken)).toEqual(
    expect.arrayContaining([
      'roles.Employer: not a valid name: use a slug: lower-case letters, digits and single hyphens, e.g. "pre-track"',
      'partners[0]: give a "webhook", an "email" channel or both',
      'partners[1].webhook.url: use https; plain http is allowed for localhost only',
      expect.stringMatching(/^partners\[1\]\.webhook\.secretEnv: the name of an environment variable/),
      'partners[1].email.to[0]: an e-mail address',
    ]),
  );
  // Cross-field checks run once the shapes are right.
  const shapesRight = {
    ...broken,
    roles: { 'training-company': { fields: ['employer', 'bsn'] } },
    partners: [
      { ...broken.partners[0], email: { to: ['a@work2.example'] } },
      { ...broken.partners[1], webhook: { url: 'http://localhost:8080/hook', secretEnv: 'S' }, email: { to: ['b@work2.example'] } },
    ],
  };
  expect(problems(shapesRight)).toEqual([
    'roles.training-company.fields[1]: "bsn" may only go to municipality',
    'partners[0].serves[0].roles[1]: role "school" is not described under "roles"',
    'partners[1].id: partner id "work2" is used twice',
  ]);
});

test('a secret written in the file is refused with a pointer to secretEnv', () => {
  const withSecret = structuredClone(valid) as { partners: { webhook?: Record<string, unknown> }[] };
  withSecret.partners[0].webhook!.secret = 'hunter2hunter2hunter2hunter2hunter2';
  expect(problems(withSecret)).toEqual([
    'partners[0].webhook.secret: never put the secret in the partner file: set it in an environment variable and name that variable in "secretEnv"',
  ]);
});

test('a file that cannot be read or parsed is named in the error', () => {
  const dir = tempDir();
  const file = path.join(dir, 'partners.json');
  writeFileSync(file, '{ "version": 1, ');
  expect(() => loadPartnerRegistry(file)).toThrow(`${file}: invalid partner registry:\n  not valid JSON`);
  expect(() => loadPartnerRegistry(path.join(dir, 'missing.json'))).toThrow('cannot read the file (ENOENT)');
});

test('webhook secrets come from the environment variables the file names; missing or short ones are named, never shown', () => {
  const registry = parsePartnerRegistry(valid);
  const secret = newSecret();
  expect(webhookSecrets(registry, { PARTNER_WORK2_SECRET: secret }).get('work2')).toBe(secret);
  expect(() => webhookSecrets(registry, {})).toThrow('partner "work2": environment variable PARTNER_WORK2_SECRET is not set');
  let message = '';
  try {
    webhookSecrets(registry, { PARTNER_WORK2_SECRET: 'short-secret-value' });
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toContain('PARTNER_WORK2_SECRET is shorter than 32 characters');
  expect(message).not.toContain('short-secret-value');
});

test('SMTP settings come from SMTP_* variables, checked with the variable named', () => {
  expect(smtpConfigFromEnv({ SMTP_HOST: 'smtp.example', SMTP_FROM: 'trajecten@meldingen.example' })).toEqual({
    host: 'smtp.example',
    port: 587,
    secure: false,
    requireTLS: true,
    rejectUnauthorized: true,
    from: 'trajecten@meldingen.example',
    fromName: 'Trajectmeldingen',
  });
  expect(smtpConfigFromEnv({ SMTP_HOST: 'smtp.example', SMTP_PORT: '465', SMTP_FROM: 'a@b.example', SMTP_USER: 'u', SMTP_PASS: 'p' })).toMatchObject({
    port: 465,
    secure: true,
    auth: { user: 'u', pass: 'p' },
  });
  expect(() => smtpConfigFromEnv({ SMTP_FROM: 'a@b.example' })).toThrow('SMTP_HOST is not set');
  expect(() => smtpConfigFromEnv({ SMTP_HOST: 'h', SMTP_FROM: 'nobody', SMTP_PORT: 'x' })).toThrow(/SMTP_PORT must be a port number\n {2}SMTP_FROM must be an e-mail address/);
  expect(() => smtpConfigFromEnv({ SMTP_HOST: 'h', SMTP_FROM: 'a@b.example', SMTP_USER: 'u' })).toThrow('set SMTP_USER and SMTP_PASS together, or neither');
  expect(() => smtpConfigFromEnv({ SMTP_HOST: 'h', SMTP_FROM: 'a@b.example', SMTP_SECURE: 'maybe' })).toThrow('SMTP_SECURE must be true or false');
});

test('examples/partners.json is valid and serves every role of the five programmes', () => {
  const registry = loadPartnerRegistry(EXAMPLE_REGISTRY);
  expect(builtInProgrammes).toHaveLength(5);
  expect(unservedRoles(registry, builtInProgrammes)).toEqual([]);
  for (const partner of registry.partners) {
    if (partner.webhook) expect(new URL(partner.webhook.url).hostname).toBe('127.0.0.1');
    for (const address of partner.email?.to ?? []) expect(address).toMatch(/\.example$/);
  }
  // The BSN is allowed for the municipality only.
  expect(Object.entries(registry.roles).filter(([, data]) => data.fields.includes('bsn')).map(([role]) => role)).toEqual(['municipality']);
});

test('a notification goes to the partners that serve its roles in its programme, one message per partner', () => {
  const registry = loadPartnerRegistry(EXAMPLE_REGISTRY);
  const routed = routeNotification(registry, 'kwalificatiebanen', ['case-manager', 'municipality', 'training-company']);
  expect(routed.targets.map((t) => `${t.partner.id}: ${t.roles.join(',')}`)).toEqual(['work2: training-company', 'gemeente-rotterdam: case-manager,municipality']);
  expect(routed.unrouted).toEqual([]);
  expect(routeNotification(registry, 'kwalificatiebanen', ['school']).unrouted).toEqual(['school']);
});
