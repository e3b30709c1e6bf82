/**
 * `trajectory ui`: the Temporal Web UI (ui/gateway) alone, against whatever
 * cluster the connection settings name (or the embedded engine `trajectory start`
 * runs). Prints the address; Ctrl-C stops it.
 */
import type { TlsOptions } from '../ui/gateway';
import type { ConnectionSettings } from './connection';
import { EXIT, usageError, type ExitCode } from './errors';
import type { Logger } from './logger';
import { stdout } from './output';

export interface UiCommandOptions {
  readonly port: string;
  readonly ip?: string;
  readonly readOnly?: boolean;
  readonly codecEndpoint?: string;
}

/** The SDK's TLS settings (Uint8Array PEMs) in the gateway's shape (Buffers). */
function gatewayTls(tls: ConnectionSettings['options']['tls']): boolean | TlsOptions | undefined {
  if (tls === null || tls === undefined || typeof tls === 'boolean') return tls ?? undefined;
  const buf = (b: Uint8Array | undefined) => (b ? Buffer.from(b) : undefined);
  return {
    serverNameOverride: tls.serverNameOverride,
    serverRootCACertificate: buf(tls.serverRootCACertificate),
    clientCertPair: tls.clientCertPair ? { crt: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) } : undefined,
  };
}

/** Starts the gateway; resolves with the exit code once `stopped` resolves (default: Ctrl-C or SIGTERM). */
export async function uiCommand(
  settings: ConnectionSettings,
  options: UiCommandOptions,
  logger: Logger,
  stopped?: Promise<unknown>,
): Promise<ExitCode> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port: expected a port number, got "${options.port}"`);
  const { startUiGateway } = await import('../ui/gateway');
  const ui = await startUiGateway({
    temporalAddress: settings.options.address,
    namespace: settings.namespace,
    tls: gatewayTls(settings.options.tls),
    apiKey: settings.options.apiKey,
    port,
    ip: options.ip,
    disableWriteActions: options.readOnly,
    codecEndpoint: options.codecEndpoint,
    log: (level, msg) => logger[level](msg),
  });
  stdout.line(`Web UI at ${ui.url} (Temporal: ${settings.description}); Ctrl-C stops`);
  await (stopped ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  await ui.close();
  return EXIT.ok;
}
