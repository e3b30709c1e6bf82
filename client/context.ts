/** What every command gets: the global flags, a logger on stderr, and a Temporal client made on first use. */
import { Client, type Connection } from '@temporalio/client';
import { connectClient, loadConnectionSettings, type ConnectionFlags, type ConnectionSettings } from './connection';
import { createLogger, loggerOptionsFromEnv, type Logger } from './logger';

/** Flags every command accepts (see cli.ts). */
export interface GlobalOptions extends ConnectionFlags {
  readonly logLevel?: string;
  readonly json?: boolean;
}

export class CliContext {
  readonly logger: Logger;
  private settingsValue?: ConnectionSettings;
  private connection?: Connection;
  private clientValue?: Client;

  constructor(
    readonly options: GlobalOptions,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    const fromEnv = loggerOptionsFromEnv(env);
    // One-shot commands keep stdout for their result: logs (warnings by default) go to stderr.
    this.logger = createLogger({ level: options.logLevel ?? fromEnv.level ?? 'warn', format: fromEnv.format, destination: 2 });
  }

  get settings(): ConnectionSettings {
    this.settingsValue ??= loadConnectionSettings(this.options, this.env);
    return this.settingsValue;
  }

  async client(): Promise<Client> {
    if (this.clientValue) return this.clientValue;
    const settings = this.settings;
    this.logger.debug({ temporal: settings.description }, 'connecting');
    this.connection = await connectClient(settings);
    this.clientValue = new Client({ connection: this.connection, namespace: settings.namespace });
    return this.clientValue;
  }

  async close(): Promise<void> {
    await this.connection?.close();
  }
}
