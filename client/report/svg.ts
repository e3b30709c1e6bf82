/** The funnel per programme as a hand-written SVG image (no dependencies, readable in any browser). */
import type { ProgrammeReport } from './figures';

const WIDTH = 760;
const LABEL_WIDTH = 210;
const BAR_AREA = 420;
const ROW = 34;
const BAR = 24;
const PANEL_HEAD = 44;
const PANEL_GAP = 22;
const COLOURS = ['#1f4e79', '#2e75b6', '#5b9bd5', '#70ad47'];

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function panel(report: ProgrammeReport, top: number, subtitle: string): string[] {
  const parts: string[] = [];
  const first = report.funnel[0]?.count ?? 0;
  parts.push(`<g transform="translate(0,${top})">`);
  parts.push(`<text x="16" y="24" class="title">${escapeXml(`${report.programme.name} (v${report.programme.version})`)}</text>`);
  parts.push(`<text x="${WIDTH - 16}" y="24" class="note" text-anchor="end">${escapeXml(subtitle)}</text>`);
  report.funnel.forEach((stage, i) => {
    const y = PANEL_HEAD + i * ROW;
    const fraction = first > 0 ? stage.count / first : 0;
    const barWidth = Math.max(first > 0 && stage.count > 0 ? 2 : 0, Math.round(BAR_AREA * fraction));
    const x = LABEL_WIDTH + (BAR_AREA - barWidth) / 2;
    const share = first > 0 ? ` (${Math.round(fraction * 100)}%)` : '';
    parts.push(`<text x="${LABEL_WIDTH - 10}" y="${y + BAR / 2 + 5}" class="label" text-anchor="end">${escapeXml(stage.label)}</text>`);
    parts.push(`<rect x="${x}" y="${y}" width="${barWidth}" height="${BAR}" rx="3" fill="${COLOURS[i % COLOURS.length]}"><title>${escapeXml(`${stage.label}: ${stage.count}`)}</title></rect>`);
    parts.push(`<text x="${LABEL_WIDTH + BAR_AREA + 12}" y="${y + BAR / 2 + 5}" class="count">${stage.count}${share}</text>`);
  });
  parts.push('</g>');
  return parts;
}

export function panelHeight(report: ProgrammeReport): number {
  return PANEL_HEAD + report.funnel.length * ROW;
}

/** One panel per programme, stacked; `caption` says the period and what the stages mean. */
export function funnelSvg(reports: readonly ProgrammeReport[], caption: string): string {
  const body: string[] = [];
  let top = 40;
  for (const report of reports) {
    body.push(...panel(report, top, `${report.funnel[0]?.count ?? 0} trajectories`));
    top += panelHeight(report) + PANEL_GAP;
  }
  const height = top + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Trajectory funnel per programme">`,
    '<style>text{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;fill:#222}.title{font-size:16px;font-weight:600}.note,.caption{font-size:12px;fill:#555}.label{font-size:13px}.count{font-size:13px;font-variant-numeric:tabular-nums}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" class="caption">${escapeXml(caption)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
