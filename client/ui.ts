/**
 * `trajectory ui`: the Temporal Web UI (ui/gateway) alone, against whatever
 * cluster the connection settings name (or the embedded engine `trajectory start`
 * runs). Prints the address; Ctrl-C stops it. With an encryption key configured,
 * the gateway serves a codec endpoint (client/ui-codec.ts) and the command prints,
 * once and only to the terminal, the link that lets a browser read the payloads.
 */
import type { CodecGatewayOptions, TlsOptions } from '../ui/gateway';
import { MissingKeyError } from '../privacy';
import { DEFAULT_DATA_DIR, type ConnectionSettings } from './connection';
import { EXIT, usageError, type ExitCode } from './errors';
import type { Logger } from './logger';
import { stdout } from './output';
import { cliKeyError } from './privacy';
import { CODEC_TOKEN_ENV, trajectoryCodecGateway, type TrajectoryCodecGateway } from './ui-codec';

export interface UiCommandOptions {
  readonly port: string;
  readonly ip?: string;
  readonly readOnly?: boolean;
  readonly codecEndpoint?: string;
  /** Folder of the participant keys (`<dataDir>/participant-keys`, unless TRAJECTORY_PARTICIPANT_KEYS_DIR). */
  readonly dataDir?: string;
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

/**
 * The built-in codec endpoint, unless a remote one is named; none (with a warning) when no
 * encryption key is configured: the UI then shows payloads as they are stored, encrypted.
 */
function codecFor(options: UiCommandOptions, env: NodeJS.ProcessEnv, logger: Logger): TrajectoryCodecGateway | undefined {
  if (options.codecEndpoint) return undefined;
  try {
    return trajectoryCodecGateway(env, options.dataDir ?? DEFAULT_DATA_DIR, logger);
  } catch (error) {
    if (error instanceof MissingKeyError) {
      logger.warn(`${error.message}; the Web UI shows encrypted payloads as they are stored`);
      return undefined;
    }
    throw cliKeyError(error);
  }
}

/** Starts the gateway; resolves with the exit code once `stopped` resolves (default: Ctrl-C or SIGTERM). */
export async function uiCommand(
  settings: ConnectionSettings,
  options: UiCommandOptions,
  logger: Logger,
  stopped?: Promise<unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExitCode> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port: expected a port number, got "${options.port}"`);
  const codec = codecFor(options, env, logger);
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
    codec: codec satisfies CodecGatewayOptions | undefined,
    log: (level, msg) => logger[level](msg),
  });
  stdout.line(`Web UI at ${ui.url} (Temporal: ${settings.description}); Ctrl-C stops`);
  if (codec) {
    // The token reaches a terminal only: never a log line, nor stdout collected by a service manager.
    const loginPage = `To read encrypted payloads in the Web UI, open ${new URL('/codec/login', ui.url)} and enter ${CODEC_TOKEN_ENV}`;
    if (codec.tokenFromEnv) stdout.line(loginPage);
    else if (process.stdout.isTTY) stdout.line(`To read encrypted payloads in the Web UI, open ${codec.loginUrl(ui.url)}`);
    else stdout.line(`Payloads show encrypted: set ${CODEC_TOKEN_ENV} and restart to log in to the codec endpoint (a random token is shown on a terminal only)`);
  }
  await (stopped ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }));
  await ui.close();
  return EXIT.ok;
}
