/** What every command gets: the global flags, a logger on stderr, and a Temporal client made on first use. */
import { Client, type Connection } from '@temporalio/client';
import { connectClient, DEFAULT_DATA_DIR, loadConnectionSettings, type ConnectionFlags, type ConnectionSettings } from './connection';
import { loadPrivacy, type PrivacySetup } from './privacy';
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
  private privacyValue?: PrivacySetup;

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

  /** The keys and codec (client/privacy.ts); throws, saying how to create a key, when there is none. */
  get privacy(): PrivacySetup {
    this.privacyValue ??= loadPrivacy(this.env, this.options.dataDir ?? DEFAULT_DATA_DIR);
    return this.privacyValue;
  }

  /** A client whose payloads are encrypted: no key, no client. */
  async client(): Promise<Client> {
    if (this.clientValue) return this.clientValue;
    const settings = this.settings;
    const { dataConverter } = this.privacy;
    this.logger.debug({ temporal: settings.description }, 'connecting');
    this.connection = await connectClient(settings);
    this.clientValue = new Client({ connection: this.connection, namespace: settings.namespace, dataConverter });
    return this.clientValue;
  }

  async close(): Promise<void> {
    await this.connection?.close();
  }
}
