/**
 * The `trajectory` command line (bin/trajectory). Every command has --help;
 * results go to stdout (a table, or JSON with --json), errors to stderr as one
 * line, and the exit code says what happened (client/errors.ts, docs/cli.md).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { PARTNER_EVENT_TYPES } from '../domain/events';
import type { CliContext, GlobalOptions } from './context';
import { CliError, EXIT, toCliError, type ExitCode } from './errors';

// Command modules load on use: `--help` and `programmes` need no Temporal client.
const load = {
  context: () => import('./context'),
  intake: () => import('./intake/command'),
  list: () => import('./list'),
  programmes: () => import('./programmes'),
  report: () => import('./report/command'),
  signal: () => import('./signal/command'),
  start: () => import('./start'),
  status: () => import('./status'),
  ui: () => import('./ui'),
};

/** The event a batch row without an `event` column reports (see signal/batch.ts). */
const DEFAULT_BATCH_EVENT = 'assessment-completed';

const EXIT_CODES = `
Exit codes:
  0  done
  1  rows or signals rejected (invalid data, or the trajectory refused a signal)
  2  usage: unknown command or option, bad flag value, bad connection settings
  3  not found: no such trajectory, file or programme
  4  Temporal not reachable, or it did not answer in time (is the worker running?)
  5  unexpected error

Connection: --address/--namespace/--profile, else TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE and the Temporal CLI's config file
(temporal.toml), else the embedded engine that "trajectory start" runs. See docs/cli.md.`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

type Action = (context: CliContext) => Promise<ExitCode> | ExitCode;

export function buildProgram(setResult: (code: ExitCode) => void): Command {
  const program = new Command('trajectory');
  const run = (command: Command, action: Action) => async () => {
    const { CliContext } = await load.context();
    const context = new CliContext(command.optsWithGlobals<GlobalOptions>());
    try {
      setResult(await action(context));
    } finally {
      await context.close();
    }
  };

  program
    .description('Re-integration trajectories on Temporal: intake, partner signals, status, lists and outcome reports.')
    .option('--address <host:port>', 'Temporal frontend address (overrides TEMPORAL_ADDRESS and the profile)')
    .option('--namespace <namespace>', 'Temporal namespace (overrides TEMPORAL_NAMESPACE; default "default")')
    .option('--profile <name>', 'envconfig profile of the Temporal config file (overrides TEMPORAL_PROFILE)')
    .option('--data-dir <dir>', 'folder of the embedded engine (data file, address)', '.data')
    .option('--log-level <level>', 'trace, debug, info, warn, error or silent (default: warn; start: info)')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES);

  const start = program
    .command('start')
    .description('Run the main job: the embedded engine (unless a cluster is configured), the search attributes and the worker. Ctrl-C stops.')
    .option('--port <port>', 'gRPC port of the embedded engine', '7233')
    .option('--ui-port <port>', 'Web UI port of the embedded engine (default: gRPC port + 1000)')
    .option('--headless', 'run the embedded engine without its Web UI')
    .option('--partners <file>', 'partner registry (docs/partners.md): deliver notifications by webhook and e-mail; without it they are logged')
    .option('--intake <file>', 'run an intake of this file once the worker is up')
    .option('--task-queue <name>', 'task queue of the worker', 'trajectories')
    .option('--log-format <format>', 'auto (pretty on a terminal, else JSON), json or pretty')
    .option('--register-search-attributes', 'on a configured cluster too, register the search attributes (the embedded engine always gets them)')
    .addHelpText('after', '\nExample:\n  trajectory start --intake examples/intake.csv\n  TEMPORAL_ADDRESS=temporal.internal:7233 trajectory start   # worker only');
  start.action(async () => {
    const opts = start.optsWithGlobals<
      GlobalOptions & { port: string; uiPort?: string; headless?: boolean; partners?: string; intake?: string; taskQueue: string; logFormat?: string; registerSearchAttributes?: boolean }
    >();
    // --port has a default; only an explicit one is an error against a configured cluster.
    const port = start.getOptionValueSource('port') === 'default' ? undefined : opts.port;
    const { startCommand } = await load.start();
    setResult(await startCommand({ ...opts, port }));
  });

  const intake = program
    .command('intake')
    .description('Start a trajectory for every valid row of FILE (CSV, JSON or JSON Lines; see docs/intake.md); idempotent.')
    .argument('<file>', 'the intake file')
    .option('--dry-run', 'validate only; contact nothing and start nothing')
    .option('--json', 'print the result as JSON')
    .option('--all-or-nothing', 'start nothing when any row is rejected')
    .option('--concurrency <n>', 'starts in flight at once', positiveInt, 32)
    .option('--task-queue <name>', 'task queue of the trajectories', 'trajectories')
    .option('--no-progress', 'no progress bar (it shows on a terminal for files of 100 rows or more)')
    .addHelpText(
      'after',
      '\nColumns: participantRef, programme, startDate (optional), region, municipality, attentionAfterWeeks;\noptional personal details name, email, phone, address, bsn: sealed with the participant\'s own key, never stored in the clear.',
    );
  intake.action(async (file: string) => {
    const opts = intake.opts<{ dryRun?: boolean; json?: boolean; allOrNothing?: boolean; concurrency: number; taskQueue: string; progress: boolean }>();
    const { intakeCommand } = await load.intake();
    await run(intake, (ctx) =>
      intakeCommand(file, { ...opts, progress: opts.progress ? undefined : false, seal: opts.dryRun ? undefined : ctx.privacy.seal }, () => ctx.client(), ctx.logger),
    )();
  });

  const signal = program
    .command('signal')
    .description('Send a partner report (a signal) to a trajectory, checked against the workflow\'s schema first; or a batch from a CSV export.')
    .argument('[ref]', 'participant reference or workflow id (traject-…)')
    .argument('[name]', `signal: ${PARTNER_EVENT_TYPES.join(', ')}`)
    .option('-f, --field <key=value>', 'a payload field (repeatable)', collect, [])
    .option('--json-file <file>', 'the payload as a JSON object (fields from --field override it)')
    .option('--programme <id>', 'the programme, when the participant is in several')
    .option('--note <text>', "free text about the participant (may touch on health): sent sealed with the participant's own key")
    .option('--csv <file>', `batch: one signal per row (columns participantRef, programme, event [default ${DEFAULT_BATCH_EVENT}], reportId and payload fields)`)
    .option('--dry-run', 'validate only; send nothing')
    .option('--no-confirm', 'do not ask the trajectory what it did with the signal')
    .option('--concurrency <n>', 'batch: trajectories signalled at once', positiveInt, 8)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  trajectory signal p-7f3a9c assessment-completed --field conclusion=ready-for-placement --field reportId=relim-001\n' +
        '  trajectory signal p-7f3a9c placement -f employer="Balanz Facilitair" -f withLks=true -f lksEndDate=2027-06-30\n' +
        '  trajectory signal --csv assessments.csv',
    );
  signal.action(async (ref: string | undefined, name: string | undefined) => {
    const { note, ...opts } = signal.opts<{ field: string[]; note?: string; jsonFile?: string; programme?: string; csv?: string; dryRun?: boolean; confirm: boolean; concurrency: number; json?: boolean }>();
    const field = note !== undefined ? [...opts.field, `note=${note}`] : opts.field;
    const { signalCommand } = await load.signal();
    await run(signal, (ctx) => signalCommand(() => ctx.client(), ref, name, { ...opts, field, ...(opts.dryRun ? {} : { seal: ctx.privacy.seal }) }))();
  });

  const status = program
    .command('status')
    .description('Phase, deadlines ahead, timeline and rejected signals of one trajectory (through its queries).')
    .argument('<ref>', 'participant reference or workflow id (traject-…)')
    .option('--programme <id>', 'the programme, when the participant is in several')
    .option('--last <n>', 'only the last N timeline entries', positiveInt)
    .option('--json', 'print as JSON');
  status.action(async (ref: string) => {
    const { statusCommand } = await load.status();
    await run(status, async (ctx) => statusCommand(await ctx.client(), ref, status.opts()))();
  });

  const erase = program
    .command('erase')
    .description("Erase a participant's personal data (right to erasure): withdraw their running trajectories, then delete their data key.")
    .argument('<ref>', 'participant reference')
    .option('--withdraw-timeout <seconds>', 'how long a withdrawn trajectory may take to end before it is terminated', positiveInt, 60)
    .option('--json', 'print the erasure record as JSON')
    .addHelpText('after', '\nEvery sealed copy (histories, backups) becomes unreadable; anonymous figures remain. See docs/privacy.md.');
  erase.action(async (ref: string) => {
    const { eraseCommand } = await import('./erase');
    await run(erase, async (ctx) => eraseCommand(await ctx.client(), ctx.privacy, ref, erase.opts()))();
  });

  const list = program
    .command('list')
    .description('Trajectories matching filters (visibility queries on the search attributes), soonest deadline first.')
    .option('--programme <id>', 'programme id')
    .option('--phase <id>', 'phase id')
    .option('--region <id>', 'region id')
    .option('--deadline-before <date>', 'next deadline falls before this date (YYYY-MM-DD)')
    .option('--needs-attention', 'only those flagged "needs attention"')
    .option('--status <status>', 'running, closed or all', 'running')
    .option('--limit <n>', 'at most this many', positiveInt, 1000)
    .option('--json', 'print as JSON');
  list.action(async () => {
    const { listCommand } = await load.list();
    await run(list, async (ctx) => listCommand(await ctx.client(), list.opts()))();
  });

  const report = program
    .command('report')
    .description('Outcome figures per programme and period, each with what it is based on: table, --csv, --json, --svg FILE (funnel).')
    .option('--programme <id>', 'only this programme')
    .option('--from <date>', 'trajectories starting on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'trajectories starting on or before this date (YYYY-MM-DD)')
    .option('--csv', 'print CSV (one line per programme and figure)')
    .option('--json', 'print as JSON')
    .option('--svg <file>', 'also write a funnel chart per programme to this SVG file');
  report.action(async () => {
    const { reportCommand } = await load.report();
    await run(report, async (ctx) => reportCommand(await ctx.client(), report.opts()))();
  });

  const programmes = program
    .command('programmes')
    .description('The programmes and their phases.')
    .argument('[id]', 'one programme')
    .option('--json', 'print the full definitions as JSON');
  programmes.action(async (id: string | undefined) => {
    const { programmesCommand } = await load.programmes();
    setResult(programmesCommand(id, programmes.opts()));
  });

  const ui = program
    .command('ui')
    .description('Serve the Temporal Web UI for the configured cluster (or the embedded engine) on --port. Ctrl-C stops.')
    .option('--port <port>', 'HTTP port (0: any free port)', '8233')
    .option('--ip <address>', 'address to listen on', '127.0.0.1')
    .option('--read-only', 'hide and refuse every write action (queries still work)')
    .option('--codec-endpoint <url>', 'remote codec server for payloads');
  ui.action(async () => {
    const { uiCommand } = await load.ui();
    await run(ui, (ctx) => uiCommand(ctx.settings, { ...ui.opts(), dataDir: ctx.options.dataDir }, ctx.logger))();
  });

  program.addCommand((require('./keys') as typeof import('./keys')).keysCommand(program)); // trajectory keys create|list
  return program;
}

/** Runs the command line; resolves with the exit code (never exits the process itself). */
export async function main(argv: readonly string[]): Promise<number> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT.internal;
      return EXIT.usage; // commander already printed the message
    }
    const failure: CliError = toCliError(error);
    process.stderr.write(`trajectory: ${failure.message}\n`);
    return failure.exitCode;
  }
}
