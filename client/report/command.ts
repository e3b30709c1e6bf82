/**
 * `trajectory report`: the outcome figures per programme and period, as a
 * table, CSV (`--csv`), JSON (`--json`) and a funnel chart (`--svg FILE`).
 * Facts come from each trajectory's `timeline` query (found by a visibility
 * query), so the worker must be running; the start date of a trajectory that
 * has not started yet comes from its memo.
 */
import fs from 'node:fs';
import { capacityQuery, capacityWorkflowId } from '../../workflows/capacity-api';
import type { Client } from '@temporalio/client';
import { amsterdamDate, builtInProgrammes, findBuiltInProgramme, formatIsoDate, isoDateSchema, slugSchema, type ProgrammeDefinition } from '../../domain';
import { timelineQuery } from '../../workflows/queries';
import { ProgrammeAttribute } from '../../workflows/search-attributes';
import { TRAJECTORY_WORKFLOW_TYPE } from '../../workflows/start-options';
import { EXIT, toCliError, usageError, type ExitCode } from '../errors';
import { START_DATE_MEMO } from '../intake/start';
import { csvLine, percent, stdout, table } from '../output';
import { mapPool } from '../pool';
import { ask, type TrajectoryHandle } from '../trajectories';
import { trajectoryFacts, type TrajectoryFacts } from './facts';
import { programmeReport, type CapacityFacts, type Period, type ProgrammeReport } from './figures';
import { funnelSvg } from './svg';

export interface ReportOptions {
  readonly programme?: string;
  readonly from?: string;
  readonly to?: string;
  readonly csv?: boolean;
  readonly json?: boolean;
  readonly svg?: string;
  readonly concurrency?: number;
}

export interface Collected {
  readonly facts: TrajectoryFacts[];
  /** Trajectories left out, with the reason (e.g. a programme that is not built in). */
  readonly leftOut: { readonly workflowId: string; readonly reason: string }[];
}

export async function collectFacts(client: Client, programme: string | undefined, concurrency = 16): Promise<Collected> {
  const query = [`WorkflowType = '${TRAJECTORY_WORKFLOW_TYPE}'`, ...(programme ? [`${ProgrammeAttribute.name} = '${programme}'`] : [])].join(' AND ');
  const found: { workflowId: string; programmeId?: string; startDate?: string }[] = [];
  for await (const info of client.workflow.list({ query })) {
    const memoDate = info.memo?.[START_DATE_MEMO];
    found.push({
      workflowId: info.workflowId,
      programmeId: info.typedSearchAttributes.get(ProgrammeAttribute),
      startDate: typeof memoDate === 'string' ? memoDate : undefined,
    });
  }
  const leftOut: Collected['leftOut'] = [];
  const facts = await mapPool(found, concurrency, async (item): Promise<TrajectoryFacts | undefined> => {
    const definition = item.programmeId ? findBuiltInProgramme(item.programmeId) : undefined;
    if (!definition) {
      leftOut.push({ workflowId: item.workflowId, reason: `programme ${item.programmeId ?? '(unknown)'} is not a built-in programme` });
      return undefined;
    }
    const handle = client.workflow.getHandle(item.workflowId) as TrajectoryHandle;
    try {
      const timeline = await ask(client, handle, timelineQuery);
      return trajectoryFacts(item.workflowId, definition, timeline, item.startDate);
    } catch (error) {
      const failure = toCliError(error);
      if (failure.exitCode === EXIT.connection) throw failure;
      leftOut.push({ workflowId: item.workflowId, reason: failure.message });
      return undefined;
    }
  });
  return { facts: facts.filter((f): f is TrajectoryFacts => f !== undefined), leftOut };
}

function periodText(period: Period): string {
  return period.from || period.to ? `trajectories starting ${period.from ?? '(any)'} to ${period.to ?? '(any)'}` : 'all trajectories';
}

function valueText(value: number | null, of: number | undefined, share: number | undefined): string {
  if (value === null) return 'n/a';
  return of !== undefined ? `${value} of ${of} (${percent(share)})` : String(value);
}

export function printReportTable(reports: readonly ProgrammeReport[], period: Period, leftOut: Collected['leftOut']): void {
  stdout.line(`Outcome report: ${periodText(period)} (dates are Europe/Amsterdam calendar dates)`);
  const bases = new Map<string, string>();
  for (const report of reports) {
    stdout.line('');
    stdout.line(`${report.programme.name} (${report.programme.id} v${report.programme.version})`);
    const rows = report.figures.map((f) => {
      const key = `${f.label}: ${f.basis}`;
      if (!bases.has(key)) bases.set(key, String(bases.size + 1));
      return [`${f.label} [${bases.get(key)}]`, valueText(f.value, f.of, f.share), f.expected !== undefined ? percent(f.expected) : '', f.note ?? ''];
    });
    for (const line of table(['figure', 'value', 'expected', 'note'], rows)) stdout.line(`  ${line}`);
  }
  stdout.line('');
  stdout.line('Based on (every figure comes from the trajectories\' timelines, read with the "timeline" query):');
  for (const [key, n] of bases) stdout.line(`  [${n}] ${key}`);
  if (leftOut.length > 0) {
    stdout.line('');
    stdout.line(`Left out (${leftOut.length}):`);
    for (const l of leftOut) stdout.line(`  ${l.workflowId}: ${l.reason}`);
  }
}

export function reportCsv(reports: readonly ProgrammeReport[], period: Period): string {
  const lines = [csvLine(['programme', 'period_from', 'period_to', 'figure', 'label', 'value', 'of', 'share', 'expected', 'note', 'based_on'])];
  for (const report of reports) {
    for (const f of report.figures) {
      lines.push(
        csvLine([
          report.programme.id,
          period.from ?? '',
          period.to ?? '',
          f.id,
          f.label,
          f.value,
          f.of,
          f.share === undefined ? undefined : f.share.toFixed(4),
          f.expected === undefined ? undefined : f.expected.toFixed(4),
          f.note,
          f.basis,
        ]),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function checkOptions(options: ReportOptions): Period {
  for (const [flag, value] of [['--from', options.from], ['--to', options.to]] as const) {
    if (value !== undefined && !isoDateSchema.safeParse(value).success) throw usageError(`${flag}: expected a date written as YYYY-MM-DD`);
  }
  if (options.from && options.to && options.from > options.to) throw usageError('--from must not be after --to');
  if (options.programme !== undefined && (!slugSchema.safeParse(options.programme).success || !findBuiltInProgramme(options.programme))) {
    throw usageError(`--programme: unknown programme; use one of ${builtInProgrammes.map((p) => p.id).join(', ')}`);
  }
  if (options.csv && options.json) throw usageError('choose one of --csv and --json');
  return { from: options.from, to: options.to };
}

/** Asks each programme's capacity workflow, where one runs, for its places and waiting list. */
async function capacityFacts(client: Client, programmes: readonly ProgrammeDefinition[]): Promise<Map<string, CapacityFacts>> {
  const out = new Map<string, CapacityFacts>();
  for (const p of programmes) {
    if (!p.capacity) continue;
    try {
      const view = await client.workflow.getHandle(capacityWorkflowId(p.id)).query(capacityQuery);
      out.set(p.id, { placesUsed: view.placesUsed, waiting: view.waiting });
    } catch {
      // no capacity workflow for this programme (or it does not answer): the report says so
    }
  }
  return out;
}

export async function reportCommand(client: Client, options: ReportOptions, now = Date.now()): Promise<ExitCode> {
  const period = checkOptions(options);
  const { facts, leftOut } = await collectFacts(client, options.programme, options.concurrency);
  const today = formatIsoDate(amsterdamDate(now));
  const programmes = options.programme ? builtInProgrammes.filter((p) => p.id === options.programme) : builtInProgrammes;
  const capacity = await capacityFacts(client, programmes);
  const reports = programmes.map((p) => programmeReport(p, facts, period, today, capacity.get(p.id)));
  if (options.svg) {
    fs.writeFileSync(options.svg, funnelSvg(reports, `Funnel per programme: ${periodText(period)}; generated ${today}`));
  }
  if (options.json) stdout.json({ period, generatedOn: today, programmes: reports, leftOut });
  else if (options.csv) process.stdout.write(reportCsv(reports, period));
  else {
    printReportTable(reports, period, leftOut);
    if (options.svg) stdout.line(`\nFunnel chart written to ${options.svg}`);
  }
  return EXIT.ok;
}
