/**
 * `trajectory start`: the whole main job in one command. Without a configured
 * cluster: the embedded engine with its data file in the data folder, the
 * search attributes, the worker. With a configured cluster (flags, profile or
 * TEMPORAL_ADDRESS): the worker only. Ctrl-C stops the worker, then the engine;
 * a second run continues the same trajectories from the same data file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { resolveNotificationSink, startTrajectoryWorker, type StartedWorker } from '../worker/run';
import { startRetentionSchedule } from '../worker/retention';
import { loadPrivacy, type PrivacySetup } from './privacy';
import { trajectoryCodecGateway, type TrajectoryCodecGateway } from './ui-codec';
import type { RunningUiGateway } from '../ui/gateway';
import { registerTrajectorySearchAttributes } from '../worker/search-attributes';
import { connectClient, DEFAULT_DATA_DIR, embeddedSettings, loadConnectionSettings, removeEngineFile, writeEngineFile, type ConnectionFlags, type ConnectionSettings } from './connection';
import { portFree, startEmbeddedEngine, type EmbeddedEngine } from './engine';
import { CliError, EXIT, usageError, type ExitCode } from './errors';
import { intakeJson, printIntakeReport, runIntake } from './intake/command';
import { createLogger, logFormatSchema, loggerOptionsFromEnv, logLevelSchema, type Logger } from './logger';

export interface StartOptions extends ConnectionFlags {
  readonly port?: string;
  readonly uiPort?: string;
  readonly headless?: boolean;
  /** Partner registry (docs/partners.md); without it notifications are logged only. */
  readonly partners?: string;
  readonly intake?: string;
  readonly taskQueue?: string;
  readonly logLevel?: string;
  readonly logFormat?: string;
  readonly registerSearchAttributes?: boolean;
}

function parsePort(text: string | undefined, flag: string, fallback: number): number {
  const port = Number(text ?? fallback);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usageError(`${flag} must be a port number (1–65535)`);
  return port;
}

function startLogger(options: StartOptions): Logger {
  const env = loggerOptionsFromEnv();
  const level = logLevelSchema.safeParse(options.logLevel ?? env.level ?? 'info');
  if (!level.success) throw usageError(`--log-level must be one of ${logLevelSchema.options.join(', ')}`);
  const format = logFormatSchema.safeParse(options.logFormat ?? env.format ?? 'auto');
  if (!format.success) throw usageError(`--log-format must be one of ${logFormatSchema.options.join(', ')}`);
  // The long-running main job logs to stdout: its log is its output.
  return createLogger({ level: level.data, format: format.data, destination: 1 });
}

interface Started {
  readonly partners?: string;
  readonly settings: ConnectionSettings;
  readonly engine?: EmbeddedEngine;
  readonly worker: StartedWorker;
  readonly client: Client;
  readonly privacy: PrivacySetup;
  readonly ui?: { readonly gateway: RunningUiGateway; readonly loginUrl: string; readonly tokenFromEnv: boolean };
}

/**
 * The Web UI of the embedded engine, served from this process (the engine runs headless): its
 * codec endpoint holds the keys, so a browser that logged in with the codec token reads payloads.
 */
async function startWebUi(settings: ConnectionSettings, port: number, codec: TrajectoryCodecGateway, logger: Logger): Promise<Started['ui']> {
  const { startUiGateway } = await import('../ui/gateway');
  const gateway = await startUiGateway({
    temporalAddress: settings.options.address,
    namespace: settings.namespace,
    port,
    codec,
    log: (level, msg) => logger[level](msg),
  });
  return { gateway, loginUrl: codec.loginUrl(gateway.url), tokenFromEnv: codec.tokenFromEnv };
}

async function bringUp(options: StartOptions, logger: Logger): Promise<Started> {
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const configured = loadConnectionSettings(options);
  fs.mkdirSync(dataDir, { recursive: true });
  // No key (or a bad codec token), no start: before anything runs, so the message is the only output.
  const privacy = loadPrivacy(process.env, dataDir);
  const codec = configured.mode === 'embedded' && !options.headless ? trajectoryCodecGateway(process.env, dataDir, logger, privacy.keyring) : undefined;
  let sink;
  try {
    sink = await resolveNotificationSink({ partnerRegistryPath: options.partners, deliveryLogPath: path.join(dataDir, 'partner-deliveries.jsonl'), logger, privacy });
  } catch (error) {
    throw usageError(`partner notifications (--partners ${options.partners ?? ''}): ${error instanceof Error ? error.message : String(error)}`);
  }
  let engine: EmbeddedEngine | undefined;
  let uiPort: number | undefined;
  let settings = configured;
  if (configured.mode === 'embedded') {
    const port = parsePort(options.port, '--port', 7233);
    uiPort = options.headless ? undefined : parsePort(options.uiPort, '--ui-port', port + 1000 <= 65535 ? port + 1000 : 8233);
    if (uiPort === port) throw usageError(`--ui-port ${uiPort} is the gRPC port (--port) as well: choose another, or --headless for no Web UI`);
    if (uiPort !== undefined && !(await portFree(uiPort))) throw usageError(`port ${uiPort} (Web UI) is in use: pass --ui-port, or --headless for no Web UI`);
    engine = await startEmbeddedEngine({
      dataDir,
      port,
      logger,
      logLevel: logger.isLevelEnabled('debug') ? 'debug' : 'warn',
      logFormat: process.stdout.isTTY ? 'pretty' : 'json',
    });
    settings = embeddedSettings(port, configured.namespace);
    writeEngineFile(dataDir, { address: engine.address, pid: engine.pid, dataFile: engine.dataFile });
  } else if (options.port !== undefined || options.uiPort !== undefined) {
    throw usageError('--port and --ui-port only apply to the embedded engine; a configured cluster is used as it is');
  }
  try {
    const connection = await connectClient(settings, 15_000);
    const client = new Client({ connection, namespace: settings.namespace, dataConverter: privacy.dataConverter });
    if (engine || options.registerSearchAttributes) {
      const added = await registerTrajectorySearchAttributes(connection, settings.namespace);
      logger.info({ added, namespace: settings.namespace }, added.length > 0 ? 'search attributes registered' : 'search attributes already registered');
    }
    const worker = await startTrajectoryWorker({
      settings,
      logger,
      taskQueue: options.taskQueue,
      sink,
      privacy,
    });
    await startRetentionSchedule(client, worker.taskQueue);
    logger.info({ retentionDays: privacy.retentionDays, erasureLog: privacy.erasureLogPath }, 'retention schedule running');
    const ui = uiPort !== undefined && codec ? await startWebUi(settings, uiPort, codec, logger) : undefined;
    return { settings, engine, worker, client, privacy, ui, partners: options.partners };
  } catch (error) {
    if (engine) {
      await engine.stop();
      removeEngineFile(dataDir);
    }
    throw error;
  }
}

function printBanner(started: Started, logger: Logger): void {
  const { settings, engine, worker } = started;
  const where = {
    engine: engine ? 'embedded' : 'configured cluster',
    address: settings.options.address,
    namespace: settings.namespace,
    dataFile: engine?.dataFile,
    taskQueue: worker.taskQueue,
    webUi: started.ui?.gateway.url ?? null,
    partners: started.partners ?? null,
  };
  const webUiText = started.ui
    ? started.ui.gateway.url
    : engine
      ? 'none (--headless)'
      : "your cluster's Web UI (Temporal Cloud: https://cloud.temporal.io)";
  // The codec token goes to the terminal only, never into a log line.
  const codecText = started.ui
    ? started.ui.tokenFromEnv
      ? `log in at ${new URL('/codec/login', started.ui.gateway.url)} with TRAJECTORY_CODEC_TOKEN to read encrypted payloads`
      : `open ${started.ui.loginUrl} once to read encrypted payloads`
    : undefined;
  if (process.stdout.isTTY) {
    const lines = [
      '',
      `  Trajectory worker running on task queue "${worker.taskQueue}"`,
      `  Temporal   ${settings.description}`,
      ...(engine ? [`  Data file  ${engine.dataFile} (kept across restarts)`] : []),
      `  Web UI     ${webUiText}`,
      ...(codecText ? [`             ${codecText}`] : []),
      `  Partners   ${started.partners ? `notified as ${started.partners} says` : 'notifications are only logged (pass --partners FILE to deliver them)'}`,
      '',
      '  Try: trajectory list · trajectory status REF · trajectory report   (Ctrl-C stops)',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  logger.info(where, 'ready');
  if (started.ui && !started.ui.tokenFromEnv && !process.stdout.isTTY) {
    logger.info('the Web UI shows payloads encrypted: set TRAJECTORY_CODEC_TOKEN to log in to its codec endpoint (a random token is shown on a terminal only)');
  }
}

async function runStartIntake(file: string, started: Started, logger: Logger): Promise<void> {
  try {
    const report = await runIntake(file, { taskQueue: started.worker.taskQueue, seal: started.privacy.seal }, async () => started.client, logger);
    if (process.stdout.isTTY) printIntakeReport(report);
    // The log line keeps every row of a small file; for a long one the summary and the first problems.
    const full = intakeJson(report) as Record<string, unknown>;
    const intake = report.outcomes.length <= 200 ? full : { ...full, results: undefined, rejected: report.problems.slice(0, 50), resultsOmitted: report.outcomes.length };
    logger.info({ intake }, report.exitCode === EXIT.ok ? 'intake done' : 'intake done with rejected rows');
  } catch (error) {
    logger.error({ err: error, file }, 'intake failed; the worker keeps running');
  }
}

export async function startCommand(options: StartOptions): Promise<ExitCode> {
  const logger = startLogger(options);
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const started = await bringUp(options, logger);
  printBanner(started, logger);

  let stopping = false;
  let exitCode: ExitCode = EXIT.ok;
  const stopped = new Promise<void>((resolve) => {
    const stop = (reason: string) => {
      if (stopping) {
        logger.warn('second interrupt: stopping at once');
        process.exit(130);
      }
      stopping = true;
      logger.info({ reason }, 'stopping: worker first, then the engine');
      started.worker.worker.shutdown();
      resolve();
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    started.engine?.exited.then((code) => {
      if (stopping) return;
      logger.error({ code }, 'the embedded engine stopped unexpectedly');
      exitCode = EXIT.internal;
      stop('engine exited');
    });
    started.worker.running.catch((error: unknown) => {
      if (stopping) return;
      logger.error({ err: error }, 'the worker failed');
      exitCode = EXIT.internal;
      stop('worker failed');
    });
  });

  if (options.intake) await runStartIntake(options.intake, started, logger);
  await stopped;
  await started.ui?.gateway.close().catch(() => undefined);
  await started.worker.running.catch(() => undefined);
  await started.worker.connection.close().catch(() => undefined);
  await started.client.connection.close().catch(() => undefined);
  if (started.engine) {
    const code = await started.engine.stop();
    removeEngineFile(dataDir);
    logger.info({ code }, 'embedded engine stopped');
  }
  logger.info('stopped');
  if (exitCode !== EXIT.ok) throw new CliError('stopped after a failure (see the log above)', exitCode);
  return EXIT.ok;
}
