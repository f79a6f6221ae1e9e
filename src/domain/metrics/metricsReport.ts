import { formatDuration } from '../incident/durations.ts';
import { escapeInline, safeLink, tableRow } from '../text/markdown.ts';
import { aggregate, aggregateBy, type MetricsAggregate } from './aggregateMetrics.ts';
import { incidentMetrics, type IncidentMetrics, type IncidentRecord } from './incidentMetrics.ts';

export interface MetricsReport {
  from: string;
  to: string;
  repos: string[];
  incidents: IncidentMetrics[];
  all: MetricsAggregate;
  byService: MetricsAggregate[];
  bySeverity: MetricsAggregate[];
  byMonth: MetricsAggregate[];
}

/** Incidents triggered in `[from, to)`, measured and grouped. Pure: the records were read beforehand. */
export function metricsReport(records: readonly IncidentRecord[], period: { from: Date; to: Date }): MetricsReport {
  const incidents = records
    .filter((record) => {
      const at = Date.parse(record.state.triggeredAt);
      return at >= period.from.getTime() && at < period.to.getTime();
    })
    .map(incidentMetrics)
    .sort((a, b) => Date.parse(a.triggeredAt) - Date.parse(b.triggeredAt) || a.number - b.number);
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    repos: [...new Set(records.map((record) => record.repo))].sort(),
    incidents,
    all: aggregate('all', incidents),
    byService: aggregateBy(incidents, 'service'),
    bySeverity: aggregateBy(incidents, 'severity'),
    byMonth: aggregateBy(incidents, 'month'),
  };
}

/** A Vega-Lite specification (plain data); the feature renders it to SVG. */
export type ChartSpec = Record<string, unknown>;

export interface ReportChart {
  /** File name without extension, e.g. `incidents-by-month`. */
  name: string;
  title: string;
  /** Text alternative for the image: what the chart shows, in words. */
  alt: string;
  spec: ChartSpec;
}

const minutes = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 6000) / 10);
const BASE = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 480, height: 220, background: 'white', config: { font: 'sans-serif' } };
const SEVERITY_COLORS = { domain: ['P1', 'P2', 'P3', 'P4', 'P5'], range: ['#b3261e', '#e8710a', '#f2b90c', '#4285f4', '#80868b'] };

/** The charts of the report; none for an empty period (an empty chart says less than a sentence). */
export function reportCharts(report: MetricsReport): ReportChart[] {
  if (report.incidents.length === 0) return [];
  const perMonth = report.incidents.filter((incident) => incident.status !== 'canceled').map((incident) => ({ month: incident.month, severity: incident.severity }));
  const responseRows = report.byMonth.flatMap((row) => [
    { month: row.key, measure: 'MTTA (median)', minutes: minutes(row.mttaMedian) },
    { month: row.key, measure: 'MTTR (median)', minutes: minutes(row.mttrMedian) },
  ]).filter((row) => row.minutes !== null);
  const serviceRows = report.byService.flatMap((row) => [
    { service: row.key, measure: 'median', minutes: minutes(row.mttrMedian) },
    { service: row.key, measure: 'p90', minutes: minutes(row.mttrP90) },
  ]).filter((row) => row.minutes !== null);
  return [
    {
      name: 'incidents-by-month',
      title: 'Incidents per month by severity',
      alt: `Bar chart: incidents per month, stacked by severity (${report.byMonth.map((row) => `${row.key}: ${row.count}`).join(', ')}).`,
      spec: {
        ...BASE,
        title: 'Incidents per month by severity',
        data: { values: perMonth },
        mark: 'bar',
        encoding: {
          x: { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: 0 } },
          y: { aggregate: 'count', type: 'quantitative', title: 'Incidents', axis: { tickMinStep: 1 } },
          color: { field: 'severity', type: 'nominal', title: 'Severity', scale: SEVERITY_COLORS },
        },
      },
    },
    {
      name: 'response-times-by-month',
      title: 'Median time to acknowledge and to resolve per month',
      alt: `Grouped bar chart in minutes: ${report.byMonth.map((row) => `${row.key} MTTA ${formatDuration(row.mttaMedian)}, MTTR ${formatDuration(row.mttrMedian)}`).join('; ')}.`,
      spec: {
        ...BASE,
        title: 'Median time to acknowledge / resolve (minutes)',
        data: { values: responseRows },
        mark: 'bar',
        encoding: {
          x: { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: 0 } },
          xOffset: { field: 'measure' },
          y: { field: 'minutes', type: 'quantitative', title: 'Minutes' },
          color: { field: 'measure', type: 'nominal', title: null, scale: { range: ['#1a73e8', '#b3261e'] } },
        },
      },
    },
    {
      name: 'time-to-resolve-by-service',
      title: 'Time to resolve per service (median and p90)',
      alt: `Bar chart in minutes: ${report.byService.map((row) => `${row.key} median ${formatDuration(row.mttrMedian)}, p90 ${formatDuration(row.mttrP90)}`).join('; ')}.`,
      spec: {
        ...BASE,
        title: 'Time to resolve per service (minutes)',
        data: { values: serviceRows },
        mark: 'bar',
        encoding: {
          y: { field: 'service', type: 'nominal', title: 'Service' },
          yOffset: { field: 'measure' },
          x: { field: 'minutes', type: 'quantitative', title: 'Minutes' },
          color: { field: 'measure', type: 'nominal', title: null, scale: { range: ['#1a73e8', '#9aa0a6'] } },
        },
      },
    },
  ];
}

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

/** A Markdown table of aggregates, one row per group, titled by the group's kind (`Service`, `Severity`, `Month`). */
export function aggregateTable(title: string, rows: readonly MetricsAggregate[]): string[] {
  return [
    `| ${title} | Incidents | MTTA median | MTTA p90 | MTTR median | MTTR p90 | SLO breached | Postmortems done | Change-related | Rolled back |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map((row) =>
      tableRow([
        escapeInline(row.key),
        `${row.count}${row.canceled ? ` (+${row.canceled} canceled)` : ''}`,
        formatDuration(row.mttaMedian),
        formatDuration(row.mttaP90),
        formatDuration(row.mttrMedian),
        formatDuration(row.mttrP90),
        percent(row.sloBreachRate),
        percent(row.postmortemCompletionRate),
        percent(row.changeRelatedShare),
        percent(row.rollbackShare),
      ]),
    ),
  ];
}

/** The period's headline figures as a Markdown list (the report's summary; the review issue shows it too). */
export function summaryLines(report: MetricsReport): string[] {
  const all = report.all;
  return [
    `- **${all.count}** incidents (${all.resolved} resolved${all.canceled ? `, ${all.canceled} canceled` : ''})`,
    `- MTTA **${formatDuration(all.mttaMedian)}** (p90 ${formatDuration(all.mttaP90)}), MTTR **${formatDuration(all.mttrMedian)}** (p90 ${formatDuration(all.mttrP90)})`,
    `- Ack SLO breached: ${percent(all.sloBreachRate)}; postmortems done (drafted or skipped on purpose): ${percent(all.postmortemCompletionRate)}`,
    `- Change-related cause: ${percent(all.changeRelatedShare)}; rolled back: ${percent(all.rollbackShare)}`,
  ];
}

/**
 * The report as GitHub-flavoured Markdown. Charts are linked by relative path (`charts/x.svg`) so the
 * report reads the same in a repository, a pull request or a local preview.
 */
export function reportMarkdown(report: MetricsReport, charts: readonly Pick<ReportChart, 'name' | 'alt'>[], options: { chartDir?: string; csv?: string } = {}): string {
  const dir = options.chartDir ?? 'charts';
  const day = (iso: string): string => iso.slice(0, 10);
  const lines = [
    `# Incident report ${day(report.from)} – ${day(report.to)}`,
    '',
    `Repositories: ${report.repos.length ? report.repos.map(escapeInline).join(', ') : '—'}. Times are measured from the trigger; MTTA and MTTR are medians with the 90th percentile beside them. Canceled incidents (not an incident) are listed apart and measured nowhere.`,
    '',
  ];
  if (report.incidents.length === 0) {
    lines.push('No incidents were triggered in this period.', '');
    return lines.join('\n');
  }
  lines.push('## Summary', '', ...summaryLines(report), '');
  if (charts.length) {
    lines.push('## Charts', '');
    for (const chart of charts) lines.push(`![${escapeInline(chart.alt)}](${dir}/${chart.name}.svg)`, '');
  }
  lines.push('## By service', '', ...aggregateTable('Service', report.byService), '', '## By severity', '', ...aggregateTable('Severity', report.bySeverity), '', '## By month', '', ...aggregateTable('Month', report.byMonth), '');
  lines.push(
    '## Incidents',
    '',
    '| Incident | Service | Severity | Status | Triggered (UTC) | TTA | TTM | TTR | Notes |',
    '|---|---|---|---|---|--:|--:|--:|---|',
    ...report.incidents.map((i) => {
      const notes = [i.sloBreached ? 'SLO breached' : '', i.reopened ? `reopened ×${i.reopened}` : '', i.rolledBack ? 'rolled back' : i.changeRelated ? 'change suspected' : '', i.postmortem === 'missing' ? 'no postmortem' : ''].filter(Boolean).join(', ');
      return tableRow([
        `${safeLink(`${i.repo}#${i.number}`, i.url)} ${escapeInline(i.title)}`,
        escapeInline(i.service),
        i.severity,
        i.status,
        i.triggeredAt.slice(0, 16).replace('T', ' '),
        formatDuration(i.timeToAcknowledge),
        formatDuration(i.timeToMitigate),
        formatDuration(i.timeToResolve),
        notes || '—',
      ]);
    }),
    '',
  );
  if (options.csv) lines.push(`Raw figures: [${options.csv}](${options.csv}) (durations in seconds).`, '');
  return lines.join('\n');
}
