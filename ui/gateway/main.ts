/**
 * Standalone UI gateway: `node dist/ui/gateway/main.js --address host:7233 --port 8233`.
 * Serves the Temporal Web UI for whatever frontend --address names (the embedded engine, a
 * cluster, Temporal Cloud with --tls and --api-key). Flags fall back to the TEMPORAL_* variables.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startUiGateway } from './server';

const HELP = `temporal-ui-gateway: the Temporal Web UI for any Temporal frontend

Flags:
  --address HOST:PORT     Temporal frontend gRPC address (default $TEMPORAL_ADDRESS or 127.0.0.1:7233)
  --namespace NS          namespace the UI opens first (default $TEMPORAL_NAMESPACE or default)
  --port N                HTTP port of the UI (default 8233)
  --ip ADDR               address to listen on (default 127.0.0.1)
  --tls                   connect to the frontend with TLS
  --tls-ca-path PATH      CA certificate (PEM) for the frontend's certificate
  --tls-cert-path PATH    client certificate (PEM) for mTLS, with --tls-key-path
  --tls-key-path PATH     client key (PEM)
  --tls-server-name NAME  name to expect in the frontend's certificate
  --api-key KEY           API key (default $TEMPORAL_API_KEY), sent as a bearer token
  --codec-endpoint URL    remote codec server the UI decodes payloads with
  --read-only             no write actions (only queries reach the frontend)
  -h, --help              this help
`;

const Flags = z.object({
  address: z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'must be HOST:PORT'),
  namespace: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  ip: z.string().min(1),
  tls: z.boolean(),
  tlsCaPath: z.string().optional(),
  tlsCertPath: z.string().optional(),
  tlsKeyPath: z.string().optional(),
  tlsServerName: z.string().optional(),
  apiKey: z.string().optional(),
  codecEndpoint: z.string().url().optional(),
  readOnly: z.boolean(),
});

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      address: { type: 'string' },
      namespace: { type: 'string' },
      port: { type: 'string' },
      ip: { type: 'string' },
      tls: { type: 'boolean' },
      'tls-ca-path': { type: 'string' },
      'tls-cert-path': { type: 'string' },
      'tls-key-path': { type: 'string' },
      'tls-server-name': { type: 'string' },
      'api-key': { type: 'string' },
      'codec-endpoint': { type: 'string' },
      'read-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const parsed = Flags.safeParse({
    address: values.address ?? env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: values.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
    port: values.port ?? '8233',
    ip: values.ip ?? '127.0.0.1',
    tls: !!values.tls || !!values['tls-ca-path'] || !!values['tls-cert-path'],
    tlsCaPath: values['tls-ca-path'],
    tlsCertPath: values['tls-cert-path'],
    tlsKeyPath: values['tls-key-path'],
    tlsServerName: values['tls-server-name'],
    apiKey: values['api-key'] ?? env.TEMPORAL_API_KEY,
    codecEndpoint: values['codec-endpoint'],
    readOnly: !!values['read-only'],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    process.stderr.write(`temporal-ui-gateway: --${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${issue.message}\n`);
    process.exit(2);
  }
  const f = parsed.data;
  if (!!f.tlsCertPath !== !!f.tlsKeyPath) {
    process.stderr.write('temporal-ui-gateway: --tls-cert-path and --tls-key-path go together\n');
    process.exit(2);
  }
  const tls = f.tls || f.apiKey
    ? {
        serverRootCACertificate: f.tlsCaPath ? fs.readFileSync(f.tlsCaPath) : undefined,
        clientCertPair: f.tlsCertPath && f.tlsKeyPath ? { crt: fs.readFileSync(f.tlsCertPath), key: fs.readFileSync(f.tlsKeyPath) } : undefined,
        serverNameOverride: f.tlsServerName,
      }
    : undefined;
  const gateway = await startUiGateway({
    temporalAddress: f.address,
    namespace: f.namespace,
    port: f.port,
    ip: f.ip,
    tls,
    apiKey: f.apiKey,
    codecEndpoint: f.codecEndpoint,
    disableWriteActions: f.readOnly,
    log: (level, msg) => process.stderr.write(`${level}: ${msg}\n`),
  });
  process.stdout.write(`Temporal Web UI for ${f.address} at ${gateway.url}\n`);
  const stop = () => gateway.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`temporal-ui-gateway: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
