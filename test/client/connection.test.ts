/** Connection settings the Temporal way: envconfig profiles, TEMPORAL_* variables, flags, the embedded engine. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConnectionSettings, readEngineFile, removeEngineFile, writeEngineFile } from '../../client/connection';
import { CliError, EXIT } from '../../client/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trajectory-connection-'));
const noFile = { TEMPORAL_CONFIG_FILE: path.join(dir, 'missing.toml') };

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadConnectionSettings', () => {
  it('without any address uses the embedded engine, at the address trajectory start recorded', () => {
    const settings = loadConnectionSettings({ dataDir: path.join(dir, 'none') }, noFile);
    expect(settings).toMatchObject({ mode: 'embedded', namespace: 'default', options: { address: '127.0.0.1:7233' } });

    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(dataDir);
    writeEngineFile(dataDir, { address: '127.0.0.1:17999', pid: 42, dataFile: path.join(dataDir, 'engine.db') });
    expect(readEngineFile(dataDir)?.address).toBe('127.0.0.1:17999');
    expect(loadConnectionSettings({ dataDir }, noFile).options.address).toBe('127.0.0.1:17999');
    removeEngineFile(dataDir);
    expect(loadConnectionSettings({ dataDir }, noFile).options.address).toBe('127.0.0.1:7233');
  });

  it('takes TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEMPORAL_API_KEY (an API key turns TLS on)', () => {
    const settings = loadConnectionSettings({}, { ...noFile, TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'my-ns.a1b2c', TEMPORAL_API_KEY: 'secret-key' });
    expect(settings.mode).toBe('configured');
    expect(settings.namespace).toBe('my-ns.a1b2c');
    expect(settings.options).toMatchObject({ address: 'my-ns.a1b2c.tmprl.cloud:7233', apiKey: 'secret-key', tls: true });
    expect(settings.description).toBe('my-ns.a1b2c.tmprl.cloud:7233 (namespace my-ns.a1b2c, TLS, API key)');
    expect(settings.description).not.toContain('secret-key');
  });

  it('reads TLS client certificates from TEMPORAL_TLS_* paths', () => {
    const cert = path.join(dir, 'client.pem');
    const key = path.join(dir, 'client.key');
    fs.writeFileSync(cert, 'CERT');
    fs.writeFileSync(key, 'KEY');
    const settings = loadConnectionSettings({}, { ...noFile, TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key, TEMPORAL_TLS_SERVER_NAME: 'temporal' });
    const tls = settings.options.tls as { clientCertPair?: { crt: Buffer; key: Buffer }; serverNameOverride?: string };
    expect(Buffer.from(tls.clientCertPair!.crt).toString()).toBe('CERT');
    expect(Buffer.from(tls.clientCertPair!.key).toString()).toBe('KEY');
    expect(tls.serverNameOverride).toBe('temporal');
  });

  it('reads profiles from the Temporal config file; variables override the profile and flags override both', () => {
    const file = path.join(dir, 'temporal.toml');
    fs.writeFileSync(file, ['[profile.default]', 'address = "localhost:7233"', '', '[profile.prod]', 'address = "prod.example:7233"', 'namespace = "trajectories"', ''].join('\n'));
    const env = { TEMPORAL_CONFIG_FILE: file };
    expect(loadConnectionSettings({}, env).options.address).toBe('localhost:7233');
    expect(loadConnectionSettings({ profile: 'prod' }, env)).toMatchObject({ mode: 'configured', namespace: 'trajectories', options: { address: 'prod.example:7233', tls: undefined } });
    expect(loadConnectionSettings({}, { ...env, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other' }).namespace).toBe('other');
    expect(loadConnectionSettings({ profile: 'prod', address: '10.0.0.5:7233', namespace: 'flag-ns' }, env)).toMatchObject({ namespace: 'flag-ns', options: { address: '10.0.0.5:7233' } });
  });

  it('names bad settings as usage errors (exit 2)', () => {
    const attempt = (flags: Parameters<typeof loadConnectionSettings>[0], env: NodeJS.ProcessEnv) => {
      try {
        loadConnectionSettings(flags, env);
      } catch (error) {
        return error as CliError;
      }
      throw new Error('expected an error');
    };
    const badAddress = attempt({}, { ...noFile, TEMPORAL_ADDRESS: 'http://localhost' });
    expect(badAddress.exitCode).toBe(EXIT.usage);
    expect(badAddress.message).toContain('HOST:PORT');
    const missingProfile = attempt({ profile: 'nope' }, noFile);
    expect(missingProfile.exitCode).toBe(EXIT.usage);
    expect(missingProfile.message).toContain("Profile 'nope' not found");
    expect(attempt({ namespace: 'has space' }, noFile).message).toContain('namespace');
  });
});
