/**
 * Command line of the embedded engine, a drop-in for the two servers the SDK launches:
 *   temporal-devserver server start-dev [flags]   (Temporal CLI dev server form)
 *   temporal-devserver <port>                     (Java test server form: time skipping)
 */
import { startEngine } from './main';
import { callCounts } from './frontend/server';
import { activityStarts } from './state/activities';
import { createLogger, Level } from './logger';
import { SearchAttributeType } from './state/namespace';
import { applyDynamicConfig, DEFAULT_FEATURES, DEFAULT_LIMITS, Features, Limits } from './limits';
import { certificateWarnings, loadTls, probeFrontend, serverCredentials, TlsConfigError, TlsMaterial, uiClientTls } from './tls';
import { grpcExposureWarning, hostPort } from './exposure';

const HELP = `temporal-devserver: an embedded Temporal-compatible engine (gRPC on one Node process)

Usage:
  temporal-devserver server start-dev [flags]   dev server: real time, optional durable file
  temporal-devserver <port>                     test server: time skipping, in memory, on 127.0.0.1

Flags of start-dev:
  -p, --port N                    gRPC port (default 7233)
      --ip ADDR                   address to bind (default 127.0.0.1: this machine only)
  -n, --namespace NS              namespace to create (repeatable; "default" always exists)
  -f, --db-filename PATH          keep everything in this file across restarts (default: in memory)
      --search-attribute KEY=TYPE register a search attribute (Keyword, Text, Int, Double, Bool,
                                  Datetime, KeywordList; repeatable)
      --time-skipping             virtual time that jumps to the next timer when nothing runs
      --headless                  no Web UI
      --ui-port N                 Web UI port (default: gRPC port + 1000)
      --ui-ip ADDR                address the Web UI binds (default: --ip)
      --ui-codec-endpoint URL     codec server the Web UI decodes payloads with
      --tls-cert-path FILE        serve gRPC over TLS with this PEM certificate (and its chain)
      --tls-key-path FILE         the PEM private key of that certificate (required with it)
      --tls-client-ca-path FILE   admit only clients with a certificate signed by this PEM CA (mTLS)
      --max-message-size BYTES    largest gRPC request, also once inflated (default 4194304, as
                                  Temporal's frontend); larger ones get RESOURCE_EXHAUSTED
      --log-level L               debug, info, warn, error (default info)
      --log-format F              json or pretty (default pretty)
      --dynamic-config-value K=V  applied: limit.blobSize.error (default 2097152 bytes per payload),
                                  limit.blobSize.warn (524288), limit.memoSize.error (2097152),
                                  limit.memoSize.warn (2048), system.enableActivityEagerExecution
                                  (default true); other keys accepted and ignored
  -h, --help                      this help

Security: anyone who can reach the gRPC port or the Web UI can read and change every workflow.
Both bind 127.0.0.1 by default. To serve a network, give a certificate (--tls-cert-path,
--tls-key-path) and a client CA (--tls-client-ca-path), and keep the Web UI on 127.0.0.1
(--ui-ip 127.0.0.1) or turn it off (--headless); the engine warns at startup when it is exposed.
`;

const TYPES: Record<string, SearchAttributeType> = {
  keyword: 'Keyword', text: 'Text', int: 'Int', double: 'Double', bool: 'Bool', datetime: 'Datetime', keywordlist: 'KeywordList',
};

/** Flags of the Temporal CLI that take a value and mean nothing here. */
const IGNORED_WITH_VALUE = new Set(['--http-port', '--metrics-port', '--ui-asset-path', '--sqlite-pragma', '--log-config', '--config', '--env', '--ui-public-path']);

class UsageError extends Error {}

interface Parsed {
  port: number;
  ip: string;
  namespaces: string[];
  dbFilename?: string;
  searchAttributes: Array<[string, SearchAttributeType]>;
  timeSkipping: boolean;
  logLevel: Level;
  logFormat: 'json' | 'pretty';
  headless?: boolean;
  uiPort?: number;
  uiIp?: string;
  uiCodecEndpoint?: string;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsClientCaPath?: string;
  limits: Limits;
  features: Features;
}

export function parseArgs(argv: string[]): Parsed | 'help' {
  if (argv.length === 1 && /^\d+$/.test(argv[0])) {
    return { port: Number(argv[0]), ip: '127.0.0.1', namespaces: [], searchAttributes: [], timeSkipping: true, logLevel: 'warn', logFormat: 'pretty', headless: true, limits: { ...DEFAULT_LIMITS }, features: { ...DEFAULT_FEATURES } };
  }
  if (argv.includes('-h') || argv.includes('--help') || argv.length === 0) return 'help';
  if (argv[0] !== 'server' || argv[1] !== 'start-dev') throw new UsageError(`unknown command "${argv.slice(0, 2).join(' ')}"; expected "server start-dev" or a port`);
  const p: Parsed = { port: 7233, ip: '127.0.0.1', namespaces: [], searchAttributes: [], timeSkipping: false, logLevel: 'info', logFormat: 'pretty', limits: { ...DEFAULT_LIMITS }, features: { ...DEFAULT_FEATURES } };
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    let flag = args[i];
    let inline: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      inline = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`flag ${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-p': case '--port': p.port = intFlag(flag, value()); break;
      case '--ip': p.ip = value(); break;
      case '-n': case '--namespace': p.namespaces.push(value()); break;
      case '-f': case '--db-filename': p.dbFilename = value(); break;
      case '--search-attribute': {
        const [key, type] = value().split('=');
        const t = TYPES[(type ?? '').toLowerCase()];
        if (!key || !t) throw new UsageError(`--search-attribute wants KEY=TYPE with TYPE one of ${Object.values(TYPES).join(', ')}`);
        p.searchAttributes.push([key, t]);
        break;
      }
      case '--time-skipping': p.timeSkipping = true; break;
      case '--headless': p.headless = true; break;
      case '--ui-port': p.uiPort = intFlag(flag, value()); break;
      case '--ui-ip': p.uiIp = value(); break;
      case '--ui-codec-endpoint': p.uiCodecEndpoint = value(); break;
      case '--tls-cert-path': p.tlsCertPath = value(); break;
      case '--tls-key-path': p.tlsKeyPath = value(); break;
      case '--tls-client-ca-path': p.tlsClientCaPath = value(); break;
      case '--max-message-size': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1024) throw new UsageError(`--max-message-size wants a number of bytes of at least 1024, got "${v}"`);
        p.limits.maxReceiveMessageBytes = n;
        break;
      }
      case '--dynamic-config-value':
        try {
          applyDynamicConfig(p.limits, value(), p.features);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        break;
      case '--log-level': {
        const l = value().toLowerCase();
        p.logLevel = (l === 'warning' ? 'warn' : l) as Level;
        if (!['debug', 'info', 'warn', 'error'].includes(p.logLevel)) throw new UsageError(`--log-level must be debug, info, warn or error`);
        break;
      }
      case '--log-format': p.logFormat = value() === 'json' ? 'json' : 'pretty'; break;
      default:
        if (IGNORED_WITH_VALUE.has(flag)) { value(); break; }
        throw new UsageError(`unknown flag ${flag}`);
    }
  }
  if (p.tlsCertPath || p.tlsKeyPath || p.tlsClientCaPath) {
    if (!p.tlsCertPath || !p.tlsKeyPath) {
      throw new UsageError(`TLS needs both --tls-cert-path and --tls-key-path: ${!p.tlsCertPath ? '--tls-cert-path' : '--tls-key-path'} is missing`);
    }
  }
  return p;
}

function intFlag(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port number, got "${v}"`);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  let parsed: Parsed | 'help';
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`temporal-devserver: ${err.message}\nRun "temporal-devserver --help" for usage.\n`);
      process.exit(2);
    }
    throw err;
  }
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const logger = createLogger(parsed.logLevel, parsed.logFormat);
  let tls: TlsMaterial | undefined;
  try {
    tls = loadTls({ certPath: parsed.tlsCertPath, keyPath: parsed.tlsKeyPath, clientCaPath: parsed.tlsClientCaPath });
  } catch (err) {
    if (!(err instanceof TlsConfigError)) throw err;
    logger.error(err.message);
    process.exit(1);
  }
  for (const w of certificateWarnings(tls)) logger.warn(w);
  let running;
  try {
    running = await startEngine({ ...parsed, logger, credentials: serverCredentials(tls) });
  } catch (err) {
    logger.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
  // Warnings come before the line that says the engine is up, so that no reader misses them.
  const exposed = await grpcExposureWarning({ ip: parsed.ip, port: running.port, tls: !!tls, clientCa: !!tls?.clientCa });
  if (exposed) logger.warn(exposed);
  const security = tls ? (tls.clientCa ? ', TLS with client certificates' : ', TLS') : '';
  logger.info(`engine listening on ${hostPort(parsed.ip, running.port)}${security}${parsed.dbFilename ? ` (data in ${parsed.dbFilename})` : ' (in memory)'}${parsed.timeSkipping ? ', time skipping' : ''}`);
  // The Web UI gateway loads only now, with the gRPC port already accepting connections.
  const ui = parsed.headless ? undefined : await startWebUi(parsed, running.port, tls, logger);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    logger.debug(`calls answered: ${JSON.stringify(Object.fromEntries(callCounts))}`);
    logger.debug(`activity attempts started: ${JSON.stringify(activityStarts)}`);
    Promise.resolve(ui?.close()).then(() => running!.close()).then(() => process.exit(0), () => process.exit(1));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  // Diagnostics: `kill -USR2 <pid>` logs memory use (after a collection when run with --expose-gc).
  process.on('SIGUSR2', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    logger.warn(`memory: rss ${m.rss} heapUsed ${m.heapUsed} external ${m.external} arrayBuffers ${m.arrayBuffers} runs ${[...running!.engine.namespaces.values()].reduce((n, ns) => n + ns.runs.size, 0)}`);
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function startWebUi(p: Parsed, grpcPort: number, tls: TlsMaterial | undefined, logger: ReturnType<typeof createLogger>): Promise<{ close(): Promise<void> } | undefined> {
  const { startUiGateway } = await import('../ui/gateway');
  const port = p.uiPort ?? (grpcPort + 1000 <= 65535 ? grpcPort + 1000 : 0);
  const uiIp = p.uiIp ?? p.ip;
  const host = p.ip === '0.0.0.0' || p.ip === '::' ? '127.0.0.1' : p.ip;
  const temporalAddress = hostPort(host, grpcPort);
  const clientTls = tls && uiClientTls(tls, host);
  try {
    const ui = await startUiGateway({ temporalAddress, tls: clientTls, ip: uiIp, port, codecEndpoint: p.uiCodecEndpoint, log: (level, msg) => logger[level](msg) });
    // (Bound beyond loopback, the gateway itself warns that it is plain HTTP with no login.)
    const failure = clientTls && (await probeFrontend(temporalAddress, clientTls));
    if (failure) {
      logger.warn(
        `the Web UI cannot reach the engine over TLS (${failure}). It trusts the certificate file${tls!.clientCa ? ' and the client CA, and presents the server certificate and key as its client certificate' : ''}: ` +
          'use a self-signed certificate or append the issuing CA to the certificate file, or run with --headless',
      );
    }
    logger.info(`Web UI at ${ui.url}`);
    return ui;
  } catch (err) {
    logger.error(`Web UI not started on port ${port}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
